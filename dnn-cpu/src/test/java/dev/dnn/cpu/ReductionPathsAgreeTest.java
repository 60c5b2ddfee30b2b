package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector API reductions against the plain form and an exact reference (BigDecimal sums rounded
 * once). Column sums add each column's rows in the same order in double on both paths, so they must
 * agree to the bit; sums and squared norms add lanes in another fixed order. Any double sum of
 * {@code n} terms is within {@code n 2^-53 sum |x|} of the exact one, and the result is then
 * rounded once to float (half an ulp, {@code 2^-24 |sum|}): the tolerance is the two together.
 */
class ReductionPathsAgreeTest {
  private static final double HALF_ULP_FLOAT = 0x1p-24;
  private static final double DOUBLE_UNIT = 0x1p-53;

  private static Parallel one;
  private static Parallel two;
  private static VectorForms vector;

  @BeforeAll
  static void open() {
    one = new Parallel(1);
    two = new Parallel(2);
    vector = KernelPath.found().vector();
    vector = vector == null ? null : vector.alwaysOn();
  }

  @AfterAll
  static void close() {
    one.close();
    two.close();
  }

  /** Widths below, at, between and above the strip and vector widths. */
  @ParameterizedTest
  @CsvSource({"7, 37, 0", "128, 500, 0", "3, 10, 0.5", "512, 75, 1", "1, 1, 0", "64, 250, 0.25"})
  void columnSumsAgreeToTheBitAndWithTheReference(int rows, int cols, float beta) {
    assumeTrue(vector != null, "the Vector API is not readable in this JVM");
    float[] x = values(rows * cols, rows * 31L + cols);
    float[] start = values(cols, cols);
    float[] plain = start.clone();
    new ReductionKernels(two).columnSums(x, rows, cols, beta, plain);
    float[] fast = start.clone();
    vector.reductions(two).columnSums(x, rows, cols, beta, fast);
    float[] fastOneThread = start.clone();
    vector.reductions(one).columnSums(x, rows, cols, beta, fastOneThread);
    assertArrayEquals(plain, fast, "vector against plain");
    assertArrayEquals(fast, fastOneThread, "two threads against one");
    for (int j = 0; j < cols; j++) {
      BigDecimal exact = new BigDecimal(beta).multiply(new BigDecimal(start[j]));
      double magnitude = Math.abs(beta * (double) start[j]);
      for (int i = 0; i < rows; i++) {
        exact = exact.add(new BigDecimal(x[i * cols + j]));
        magnitude += Math.abs(x[i * cols + j]);
      }
      double reference = exact.doubleValue();
      double tolerance =
          HALF_ULP_FLOAT * Math.abs(reference) + (rows + 1) * DOUBLE_UNIT * magnitude;
      assertEquals(reference, fast[j], tolerance, "column " + j);
    }
  }

  /** Lengths within one chunk, at a chunk and over several with a ragged tail. */
  @ParameterizedTest
  @ValueSource(ints = {1, 37, ReductionKernels.SUM_CHUNK, 3 * ReductionKernels.SUM_CHUNK + 77})
  void sumsAndSquaredNormsAgreeWithTheReference(int n) {
    assumeTrue(vector != null, "the Vector API is not readable in this JVM");
    float[] d = values(n, n);
    BigDecimal exactSum = BigDecimal.ZERO;
    BigDecimal exactSquares = BigDecimal.ZERO;
    double magnitude = 0;
    for (float v : d) {
      BigDecimal term = new BigDecimal(v);
      exactSum = exactSum.add(term);
      exactSquares = exactSquares.add(term.multiply(term));
      magnitude += Math.abs(v);
    }
    double sum = exactSum.doubleValue();
    double squares = exactSquares.doubleValue();
    double sumTolerance = HALF_ULP_FLOAT * Math.abs(sum) + n * DOUBLE_UNIT * magnitude;
    // The squares are all positive: their sum is its own magnitude.
    double squaresTolerance = (HALF_ULP_FLOAT + n * DOUBLE_UNIT) * squares;
    ReductionKernels plain = new ReductionKernels(two);
    ReductionKernels fast = vector.reductions(two);
    assertEquals(sum, plain.sum(d), sumTolerance, "plain sum");
    assertEquals(sum, fast.sum(d), sumTolerance, "vector sum");
    assertEquals(squares, plain.squaredNorm(d), squaresTolerance, "plain squared norm");
    assertEquals(squares, fast.squaredNorm(d), squaresTolerance, "vector squared norm");
    ReductionKernels fastOneThread = vector.reductions(one);
    assertEquals(
        Float.floatToRawIntBits(fast.sum(d)),
        Float.floatToRawIntBits(fastOneThread.sum(d)),
        "sum, two threads against one");
    assertEquals(
        Float.floatToRawIntBits(fast.squaredNorm(d)),
        Float.floatToRawIntBits(fastOneThread.squaredNorm(d)),
        "squared norm, two threads against one");
  }

  /** Values of mixed sign over a few binades, so cancellation and rounding both occur. */
  private static float[] values(int n, long seed) {
    Random random = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (random.nextFloat() * 2f - 1f) * (1 << random.nextInt(6));
    }
    return v;
  }
}
