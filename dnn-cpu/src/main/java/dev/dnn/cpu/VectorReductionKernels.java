package dev.dnn.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Column sums, sums and squared norms on the Vector API, accumulated in double as the plain form
 * is: floats are widened lane for lane ({@code F2D} is exact) into {@link DoubleVector}
 * accumulators.
 *
 * <p>Column sums add each column's rows in row order, exactly as the plain form does, so both paths
 * give the same bits; the gain is that a strip of columns keeps its sums in registers across all
 * rows instead of loading and storing a double array per row. Sums and squared norms add a chunk
 * lane-wise and then the lanes in a fixed order (never {@code reduceLanes}, whose order the API
 * leaves open), so they repeat bit for bit but may differ from the plain form in the last double
 * bits: both are within {@code (n / lanes + lanes) 2^-53 sum |x|} of the exact sum, far below one
 * float rounding.
 */
final class VectorReductionKernels extends ReductionKernels {
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

  /**
   * The GEMM's float species, twice {@link #DOUBLES}'s lanes: a float load widens to two double
   * vectors ({@link VectorKernels#FLOATS} says why no narrower float species may be used).
   */
  private static final VectorSpecies<Float> FLOATS = VectorKernels.FLOATS;

  private static final int LANES = DOUBLES.length();

  /** Column vectors per strip: four double accumulators stay in registers across the rows. */
  private static final int STRIP = 4 * LANES;

  /**
   * Whether the vector forms run: once compiled ({@link VectorWarmUp}); till then forms that give
   * the same bits without the Vector API.
   */
  private final VectorSwitch vectors;

  /** Kernels whose vector forms run when {@code vectors} says so (tests). */
  VectorReductionKernels(Parallel parallel, VectorSwitch vectors) {
    super(parallel);
    this.vectors = vectors;
  }

  /** The first {@link #LANES} floats of {@code v}, widened exactly. */
  private static DoubleVector lower(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 0);
  }

  /** The last {@link #LANES} floats of {@code v}, widened exactly. */
  private static DoubleVector upper(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 1);
  }

  @Override
  void columnSumsRange(float[] x, int rows, int cols, float beta, float[] out, int from, int to) {
    if (!vectors.on()) {
      super.columnSumsRange(x, rows, cols, beta, out, from, to); // the same bits
      return;
    }
    int c = from;
    double[] lanes = new double[STRIP];
    for (; c + STRIP <= to; c += STRIP) {
      DoubleVector a0 = DoubleVector.zero(DOUBLES);
      DoubleVector a1 = a0;
      DoubleVector a2 = a0;
      DoubleVector a3 = a0;
      for (int i = 0, base = c; i < rows; i++, base += cols) {
        FloatVector first = FloatVector.fromArray(FLOATS, x, base);
        FloatVector second = FloatVector.fromArray(FLOATS, x, base + 2 * LANES);
        a0 = a0.add(lower(first));
        a1 = a1.add(upper(first));
        a2 = a2.add(lower(second));
        a3 = a3.add(upper(second));
      }
      a0.intoArray(lanes, 0);
      a1.intoArray(lanes, LANES);
      a2.intoArray(lanes, 2 * LANES);
      a3.intoArray(lanes, 3 * LANES);
      finish(lanes, STRIP, beta, out, c);
    }
    for (; c + 2 * LANES <= to; c += 2 * LANES) {
      DoubleVector a0 = DoubleVector.zero(DOUBLES);
      DoubleVector a1 = a0;
      for (int i = 0, base = c; i < rows; i++, base += cols) {
        FloatVector v = FloatVector.fromArray(FLOATS, x, base);
        a0 = a0.add(lower(v));
        a1 = a1.add(upper(v));
      }
      a0.intoArray(lanes, 0);
      a1.intoArray(lanes, LANES);
      finish(lanes, 2 * LANES, beta, out, c);
    }
    if (c < to) {
      super.columnSumsRange(x, rows, cols, beta, out, c, to);
    }
  }

  private static void finish(double[] sums, int width, float beta, float[] out, int c) {
    for (int j = 0; j < width; j++) {
      out[c + j] = columnResult(sums[j], beta, out[c + j]);
    }
  }

  @Override
  double sumRange(float[] d, int from, int to) {
    if (!vectors.on()) {
      return lanewise(d, from, to, false);
    }
    DoubleVector a0 = DoubleVector.zero(DOUBLES);
    DoubleVector a1 = a0;
    int i = from;
    for (; i + 2 * LANES <= to; i += 2 * LANES) {
      FloatVector v = FloatVector.fromArray(FLOATS, d, i);
      a0 = a0.add(lower(v));
      a1 = a1.add(upper(v));
    }
    return inOrder(a0.add(a1)) + super.sumRange(d, i, to);
  }

  @Override
  double squaredNormRange(float[] d, int from, int to) {
    if (!vectors.on()) {
      return lanewise(d, from, to, true);
    }
    DoubleVector a0 = DoubleVector.zero(DOUBLES);
    DoubleVector a1 = a0;
    int i = from;
    for (; i + 2 * LANES <= to; i += 2 * LANES) {
      FloatVector v = FloatVector.fromArray(FLOATS, d, i);
      DoubleVector x0 = lower(v);
      DoubleVector x1 = upper(v);
      a0 = a0.add(x0.mul(x0));
      a1 = a1.add(x1.mul(x1));
    }
    return inOrder(a0.add(a1)) + super.squaredNormRange(d, i, to);
  }

  /**
   * {@link #sumRange} or {@link #squaredNormRange} without the Vector API: the same two
   * accumulators per lane, added in the same order, so the same bits.
   */
  private double lanewise(float[] d, int from, int to, boolean squares) {
    double[] a0 = new double[LANES];
    double[] a1 = new double[LANES];
    int i = from;
    for (; i + 2 * LANES <= to; i += 2 * LANES) {
      for (int j = 0; j < LANES; j++) {
        double x0 = d[i + j];
        double x1 = d[i + LANES + j];
        a0[j] += squares ? x0 * x0 : x0;
        a1[j] += squares ? x1 * x1 : x1;
      }
    }
    double s = 0;
    for (int j = 0; j < LANES; j++) {
      s += a0[j] + a1[j];
    }
    return s + (squares ? super.squaredNormRange(d, i, to) : super.sumRange(d, i, to));
  }

  /** The lanes added first to last: a fixed order, unlike {@code reduceLanes(ADD)}. */
  private static double inOrder(DoubleVector v) {
    double s = 0;
    for (int j = 0; j < LANES; j++) {
      s += v.lane(j);
    }
    return s;
  }
}
