package dev.dnn.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalization's per-row steps on the Vector API: the plain form's double operations, lane
 * for lane and in the same order (floats widened exactly with {@code F2D}, results rounded to float
 * with {@code D2F} as the plain casts do, float differences taken in float where the plain form
 * takes them in float), so both paths give the same bits. The column tails take the plain form.
 */
final class VectorBatchNormKernels extends BatchNormKernels {
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

  /** Floats with as many lanes as {@link #DOUBLES}. */
  private static final VectorSpecies<Float> FLOATS =
      VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));

  private static final int LANES = DOUBLES.length();

  /**
   * Whether the vector forms run: once the warm-up has compiled them, at the first call's request
   * ({@link VectorSwitch#request}), the plain ones (the same bits) till then.
   */
  private final VectorSwitch vectors;

  /**
   * Kernels whose vector forms run when {@code vectors} says so: on request ({@link
   * VectorWarmUp.Family}) for the backend, {@link VectorSwitch#ON} for the warm-up and tests.
   */
  VectorBatchNormKernels(Parallel parallel, VectorSwitch vectors) {
    super(parallel);
    this.vectors = vectors;
  }

  private static DoubleVector widen(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 0);
  }

  private static DoubleVector widen(float[] x, int i) {
    return widen(FloatVector.fromArray(FLOATS, x, i));
  }

  private static void narrowInto(DoubleVector v, float[] out, int i) {
    ((FloatVector) v.convertShape(VectorOperators.D2F, FLOATS, 0)).intoArray(out, i);
  }

  private static int bound(int j0, int j1) {
    return j0 + (j1 - j0) / LANES * LANES;
  }

  @Override
  void addRow(float[] x, int base, double[] acc, int j0, int j1) {
    if (!vectors.on()) {
      vectors.request();
      super.addRow(x, base, acc, j0, j1);
      return;
    }
    int end = bound(j0, j1);
    for (int j = j0; j < end; j += LANES) {
      DoubleVector.fromArray(DOUBLES, acc, j).add(widen(x, base + j)).intoArray(acc, j);
    }
    super.addRow(x, base, acc, end, j1);
  }

  @Override
  void addSquaresRow(float[] x, int base, double[] mean, double[] squares, int j0, int j1) {
    if (!vectors.on()) {
      vectors.request();
      super.addSquaresRow(x, base, mean, squares, j0, j1);
      return;
    }
    int end = bound(j0, j1);
    for (int j = j0; j < end; j += LANES) {
      DoubleVector d = widen(x, base + j).sub(DoubleVector.fromArray(DOUBLES, mean, j));
      DoubleVector.fromArray(DOUBLES, squares, j).add(d.mul(d)).intoArray(squares, j);
    }
    super.addSquaresRow(x, base, mean, squares, end, j1);
  }

  @Override
  void normalizeRow(
      float[] x,
      int row,
      int from,
      double[] mean,
      double[] invStd,
      float[] gamma,
      float[] beta,
      float[] out,
      int j0,
      int j1) {
    if (!vectors.on()) {
      vectors.request();
      super.normalizeRow(x, row, from, mean, invStd, gamma, beta, out, j0, j1);
      return;
    }
    int base = row + from;
    int end = bound(j0, j1);
    for (int j = j0; j < end; j += LANES) {
      DoubleVector xhat =
          widen(x, base + j)
              .sub(DoubleVector.fromArray(DOUBLES, mean, j))
              .mul(DoubleVector.fromArray(DOUBLES, invStd, j));
      narrowInto(widen(gamma, from + j).mul(xhat).add(widen(beta, from + j)), out, base + j);
    }
    super.normalizeRow(x, row, from, mean, invStd, gamma, beta, out, end, j1);
  }

  @Override
  void gradientSumsRow(
      float[] x,
      float[] gradOut,
      int row,
      Saved saved,
      double[] sumDy,
      double[] sumDyXhat,
      int j0,
      int j1) {
    if (!vectors.on()) {
      vectors.request();
      super.gradientSumsRow(x, gradOut, row, saved, sumDy, sumDyXhat, j0, j1);
      return;
    }
    int from = saved.from();
    int base = row + from;
    int end = bound(j0, j1);
    for (int j = j0; j < end; j += LANES) {
      DoubleVector xhat = xhat(x, base + j, saved, from + j);
      DoubleVector dy = widen(gradOut, base + j);
      DoubleVector.fromArray(DOUBLES, sumDy, j).add(dy).intoArray(sumDy, j);
      DoubleVector.fromArray(DOUBLES, sumDyXhat, j).add(dy.mul(xhat)).intoArray(sumDyXhat, j);
    }
    super.gradientSumsRow(x, gradOut, row, saved, sumDy, sumDyXhat, end, j1);
  }

  /** {@code (x - mean) invStd}, the difference in float as the plain form takes it. */
  private static DoubleVector xhat(float[] x, int i, Saved saved, int c) {
    FloatVector centred =
        FloatVector.fromArray(FLOATS, x, i).sub(FloatVector.fromArray(FLOATS, saved.mean(), c));
    return widen(centred).mul(widen(saved.invStd(), c));
  }

  @Override
  void gradientInRow(
      float[] x,
      float[] gradOut,
      float[] gamma,
      int row,
      int rows,
      Saved saved,
      double[] sumDy,
      double[] sumDyXhat,
      float[] gradIn,
      int j0,
      int j1) {
    if (!vectors.on()) {
      vectors.request();
      super.gradientInRow(x, gradOut, gamma, row, rows, saved, sumDy, sumDyXhat, gradIn, j0, j1);
      return;
    }
    int from = saved.from();
    int base = row + from;
    int end = bound(j0, j1);
    double n = rows;
    for (int j = j0; j < end; j += LANES) {
      int c = from + j;
      DoubleVector xhat = xhat(x, base + j, saved, c);
      DoubleVector scale = widen(gamma, c).mul(widen(saved.invStd(), c)).div(n);
      DoubleVector dx =
          widen(gradOut, base + j)
              .mul(n)
              .sub(DoubleVector.fromArray(DOUBLES, sumDy, j))
              .sub(xhat.mul(DoubleVector.fromArray(DOUBLES, sumDyXhat, j)));
      narrowInto(scale.mul(dx), gradIn, base + j);
    }
    super.gradientInRow(x, gradOut, gamma, row, rows, saved, sumDy, sumDyXhat, gradIn, end, j1);
  }
}
