package dev.dnn.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalization's per-row steps on the Vector API: the plain form's double operations, lane
 * for lane and in the same order (floats widened exactly with {@code F2D}, results rounded to float
 * with {@code D2F} as the plain casts do, float differences taken in float where the plain form
 * takes them in float), so both paths give the same bits. The column tails take the plain form.
 */
final class VectorBatchNormKernels extends BatchNormKernels {
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

  /**
   * The GEMM's float species, twice {@link #DOUBLES}'s lanes: a float vector widens to two double
   * vectors ({@link VectorKernels#FLOATS} says why no narrower float species may be used).
   */
  private static final VectorSpecies<Float> FLOATS = VectorKernels.FLOATS;

  private static final int LANES = DOUBLES.length();

  /** Columns per vector step: one float vector, two double vectors. */
  private static final int STEP = 2 * LANES;

  /** The float lanes that the second double vector of a step fills. */
  private static final VectorMask<Float> UPPER = upperLanes();

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

  private static VectorMask<Float> upperLanes() {
    boolean[] upper = new boolean[FLOATS.length()];
    for (int i = LANES; i < upper.length; i++) {
      upper[i] = true;
    }
    return VectorMask.fromArray(FLOATS, upper, 0);
  }

  /** The first {@link #LANES} floats of {@code v}, widened exactly. */
  private static DoubleVector lower(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 0);
  }

  /** The last {@link #LANES} floats of {@code v}, widened exactly. */
  private static DoubleVector upper(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 1);
  }

  private static FloatVector floats(float[] x, int i) {
    return FloatVector.fromArray(FLOATS, x, i);
  }

  private static DoubleVector doubles(double[] x, int i) {
    return DoubleVector.fromArray(DOUBLES, x, i);
  }

  /** {@code first} and {@code second} rounded to float ({@code D2F}) into one float vector. */
  private static FloatVector narrow(DoubleVector first, DoubleVector second) {
    FloatVector low = (FloatVector) first.convertShape(VectorOperators.D2F, FLOATS, 0);
    FloatVector high = (FloatVector) second.convertShape(VectorOperators.D2F, FLOATS, -1);
    return low.blend(high, UPPER);
  }

  private static int bound(int j0, int j1) {
    return j0 + (j1 - j0) / STEP * STEP;
  }

  @Override
  void addRow(float[] x, int base, double[] acc, int j0, int j1) {
    if (!vectors.on()) {
      vectors.request();
      super.addRow(x, base, acc, j0, j1);
      return;
    }
    int end = bound(j0, j1);
    for (int j = j0; j < end; j += STEP) {
      FloatVector v = floats(x, base + j);
      doubles(acc, j).add(lower(v)).intoArray(acc, j);
      doubles(acc, j + LANES).add(upper(v)).intoArray(acc, j + LANES);
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
    for (int j = j0; j < end; j += STEP) {
      FloatVector v = floats(x, base + j);
      DoubleVector d0 = lower(v).sub(doubles(mean, j));
      DoubleVector d1 = upper(v).sub(doubles(mean, j + LANES));
      doubles(squares, j).add(d0.mul(d0)).intoArray(squares, j);
      doubles(squares, j + LANES).add(d1.mul(d1)).intoArray(squares, j + LANES);
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
    for (int j = j0; j < end; j += STEP) {
      FloatVector v = floats(x, base + j);
      FloatVector g = floats(gamma, from + j);
      FloatVector b = floats(beta, from + j);
      DoubleVector xhat0 = lower(v).sub(doubles(mean, j)).mul(doubles(invStd, j));
      DoubleVector xhat1 = upper(v).sub(doubles(mean, j + LANES)).mul(doubles(invStd, j + LANES));
      narrow(lower(g).mul(xhat0).add(lower(b)), upper(g).mul(xhat1).add(upper(b)))
          .intoArray(out, base + j);
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
    for (int j = j0; j < end; j += STEP) {
      FloatVector centred = centred(x, base + j, saved, from + j);
      FloatVector invStd = floats(saved.invStd(), from + j);
      FloatVector dy = floats(gradOut, base + j);
      gradientSums(lower(centred).mul(lower(invStd)), lower(dy), sumDy, sumDyXhat, j);
      gradientSums(upper(centred).mul(upper(invStd)), upper(dy), sumDy, sumDyXhat, j + LANES);
    }
    super.gradientSumsRow(x, gradOut, row, saved, sumDy, sumDyXhat, end, j1);
  }

  private static void gradientSums(
      DoubleVector xhat, DoubleVector dy, double[] sumDy, double[] sumDyXhat, int j) {
    doubles(sumDy, j).add(dy).intoArray(sumDy, j);
    doubles(sumDyXhat, j).add(dy.mul(xhat)).intoArray(sumDyXhat, j);
  }

  /** {@code x - mean}, in float as the plain form takes it; times invStd, it is x hat. */
  private static FloatVector centred(float[] x, int i, Saved saved, int c) {
    return floats(x, i).sub(floats(saved.mean(), c));
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
    for (int j = j0; j < end; j += STEP) {
      int c = from + j;
      FloatVector centred = centred(x, base + j, saved, c);
      FloatVector invStd = floats(saved.invStd(), c);
      FloatVector g = floats(gamma, c);
      FloatVector dy = floats(gradOut, base + j);
      DoubleVector first =
          gradientIn(lower(centred), lower(invStd), lower(g), lower(dy), n, sumDy, sumDyXhat, j);
      DoubleVector second =
          gradientIn(
              upper(centred), upper(invStd), upper(g), upper(dy), n, sumDy, sumDyXhat, j + LANES);
      narrow(first, second).intoArray(gradIn, base + j);
    }
    super.gradientInRow(x, gradOut, gamma, row, rows, saved, sumDy, sumDyXhat, gradIn, end, j1);
  }

  /** The input gradient of one double vector of columns, before its rounding to float. */
  private static DoubleVector gradientIn(
      DoubleVector centred,
      DoubleVector invStd,
      DoubleVector gamma,
      DoubleVector dy,
      double n,
      double[] sumDy,
      double[] sumDyXhat,
      int j) {
    DoubleVector xhat = centred.mul(invStd);
    DoubleVector scale = gamma.mul(invStd).div(n);
    DoubleVector dx = dy.mul(n).sub(doubles(sumDy, j)).sub(xhat.mul(doubles(sumDyXhat, j)));
    return scale.mul(dx);
  }
}
