package dev.dnn.tests;

import static dev.dnn.tests.Check.EPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** fill, copy, scale, axpy, add, multiply, columnSums and fillUniform. */
class ElementwiseConformanceTest {
  /** {rows, cols}: single element, one row, one column, odd non-square both ways. */
  private static final int[][] SHAPES = {{1, 1}, {1, 7}, {7, 1}, {513, 7}, {7, 513}};

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void fillCopyScale(Backend backend) {
    for (int[] shape : SHAPES) {
      int n = shape[0] * shape[1];
      float[] x = Check.uniform(n, n, -3, 3);
      try (TensorScope s = new TensorScope(backend)) {
        Tensor t = s.matrix(x, shape[0], shape[1]);
        Tensor dst = s.zeros(shape[0], shape[1]);
        backend.copy(t, dst);
        Check.assertExact("copy " + n, x, dst.toArray());

        // A single multiplication is correctly rounded: at most half an ulp.
        backend.scale(t, -1.25f);
        double[] scaled = new double[n];
        for (int i = 0; i < n; i++) {
          scaled[i] = -1.25 * x[i];
        }
        Check.assertClose("scale " + n, scaled, t.toArray(), Check.relative(scaled, 1));

        backend.fill(dst, 0.3f);
        float[] filled = new float[n];
        Arrays.fill(filled, 0.3f);
        Check.assertExact("fill " + n, filled, dst.toArray());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void axpyAddMultiply(Backend backend) {
    for (int[] shape : SHAPES) {
      int n = shape[0] * shape[1];
      float[] x = Check.uniform(2 * n, n, -3, 3);
      float[] y = Check.uniform(2 * n + 1, n, -3, 3);
      double[] axpy = new double[n];
      double[] axpyTol = new double[n];
      double[] sum = new double[n];
      double[] product = new double[n];
      for (int i = 0; i < n; i++) {
        axpy[i] = y[i] + 0.7f * (double) x[i];
        // Two roundings (product, sum), or one with a fused multiply-add.
        axpyTol[i] = 2 * EPS * (Math.abs(y[i]) + Math.abs(0.7f * (double) x[i]));
        sum[i] = (double) x[i] + y[i];
        product[i] = (double) x[i] * y[i];
      }
      try (TensorScope s = new TensorScope(backend)) {
        Tensor tx = s.matrix(x, shape[0], shape[1]);
        Tensor ty = s.matrix(y, shape[0], shape[1]);
        Tensor out = s.zeros(shape[0], shape[1]);
        backend.axpy(0.7f, tx, ty);
        Check.assertClose("axpy " + n, axpy, ty.toArray(), axpyTol);

        backend.copyFromHost(y, 0, ty);
        backend.add(tx, ty, out);
        Check.assertClose("add " + n, sum, out.toArray(), Check.relative(sum, 1));
        backend.multiply(tx, ty, out);
        Check.assertClose("multiply " + n, product, out.toArray(), Check.relative(product, 1));

        // Aliasing allowed by the contract: out may be a or b.
        backend.add(tx, ty, ty);
        Check.assertClose("add into b " + n, sum, ty.toArray(), Check.relative(sum, 1));
        backend.copyFromHost(y, 0, ty);
        backend.multiply(tx, ty, tx);
        Check.assertClose(
            "multiply into a " + n, product, tx.toArray(), Check.relative(product, 1));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void columnSumsOverwriteAndAccumulate(Backend backend) {
    for (int[] shape : SHAPES) {
      int rows = shape[0];
      int cols = shape[1];
      float[] x = Check.uniform(3L * rows + cols, rows * cols, -2, 2);
      float[] previous = Check.uniform(cols, cols, -1, 1);
      for (float beta : new float[] {0f, 1f}) {
        double[] expected = new double[cols];
        double[] tolerance = new double[cols];
        for (int j = 0; j < cols; j++) {
          double magnitude = Math.abs(previous[j]);
          double total = beta * (double) previous[j];
          for (int i = 0; i < rows; i++) {
            total += x[i * cols + j];
            magnitude += Math.abs(x[i * cols + j]);
          }
          expected[j] = total;
          // A float32 sum of rows + 1 terms in any order: (rows + 1) EPS sum |x|.
          tolerance[j] = (rows + 1) * EPS * magnitude;
        }
        try (TensorScope s = new TensorScope(backend)) {
          Tensor tx = s.matrix(x, rows, cols);
          Tensor out = s.vector(previous);
          backend.columnSums(tx, beta, out);
          Check.assertClose(
              "columnSums beta=" + beta + " [" + rows + ", " + cols + "]",
              expected,
              out.toArray(),
              tolerance);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void columnSumsWithBetaZeroIgnoresNaN(Backend backend) {
    try (TensorScope s = new TensorScope(backend)) {
      Tensor x = s.matrix(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
      Tensor out = s.vector(Float.NaN, Float.NaN, Float.NaN);
      backend.columnSums(x, 0f, out);
      Check.assertExact("columnSums beta=0 over NaN", new float[] {5, 7, 9}, out.toArray());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void fillUniformIsPhiloxExactAndInRange(Backend backend) {
    int rows = 513;
    int cols = 7;
    long seed = 0x5EEDL;
    long stream = 0x0300000100000002L;
    float low = -0.5f;
    float high = 2f;
    double[] expected = new double[rows * cols];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = low + (high - low) * Philox.uniform(seed, stream, i);
    }
    try (TensorScope s = new TensorScope(backend)) {
      Tensor t = s.zeros(rows, cols);
      backend.fillUniform(t, low, high, seed, stream);
      float[] actual = t.toArray();
      // The same Philox word per element; only low + (high - low) * u is rounded
      // (two float operations, or one fused): 2 EPS of |low| + |(high - low) u|.
      double[] tolerance = new double[expected.length];
      for (int i = 0; i < expected.length; i++) {
        tolerance[i] = 2 * EPS * (Math.abs(low) + Math.abs(expected[i] - low));
        assertTrue(
            actual[i] >= low && actual[i] < high,
            "fillUniform element "
                + i
                + " = "
                + actual[i]
                + " outside ["
                + low
                + ", "
                + high
                + ")");
      }
      Check.assertClose("fillUniform vs Philox", expected, actual, tolerance);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void hostCopiesHonourOffsets(Backend backend) {
    float[] source = Check.uniform(21, 30, -1, 1);
    try (TensorScope s = new TensorScope(backend)) {
      Tensor t = s.zeros(3, 7);
      backend.copyFromHost(source, 5, t);
      float[] expected = Arrays.copyOfRange(source, 5, 26);
      Check.assertExact("copyFromHost at offset 5", expected, t.toArray());
      float[] host = new float[25];
      Arrays.fill(host, -9f);
      backend.copyToHost(t, host, 3);
      for (int i = 0; i < 25; i++) {
        float want = i >= 3 && i < 24 ? expected[i - 3] : -9f;
        assertEquals(want, host[i], "copyToHost at offset 3, " + i);
      }
    }
  }

  /**
   * The checked upload of a prediction's rows: an exact copy and true when every value is finite,
   * false with a NaN or an infinity anywhere, at the ends, at the CPU backend's 4096-float block
   * edges and at the edge of its two threads' shares (70,001 floats are split, 4,097 are not).
   */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void checkedHostCopiesFindEveryNonFiniteValue(Backend backend) {
    for (int size : new int[] {21, 4097, 70_001}) {
      for (int offset : new int[] {0, 3}) {
        float[] source = Check.uniform(size, offset + size, -1e30f, 1e30f);
        try (TensorScope s = new TensorScope(backend)) {
          Tensor t = s.zeros(1, size);
          String what = size + " floats at offset " + offset;
          assertTrue(backend.copyFiniteFromHost(source, offset, t), what);
          Check.assertExact(what, Arrays.copyOfRange(source, offset, offset + size), t.toArray());
          for (int at : new int[] {0, 4095, 4096, size / 2 - 1, size / 2, size - 1}) {
            if (at >= size) {
              continue;
            }
            for (float bad :
                new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
              float[] withBad = source.clone();
              withBad[offset + at] = bad;
              assertFalse(
                  backend.copyFiniteFromHost(withBad, offset, t), what + ", " + bad + " at " + at);
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void hostCopiesOutOfBoundsAreRejected(Backend backend) {
    // A host range that does not hold the whole tensor must be an exception, never a read or a
    // write past the array (which native code would not notice).
    try (TensorScope s = new TensorScope(backend)) {
      Tensor t = s.zeros(3, 7);
      for (Executable call :
          new Executable[] {
            () -> backend.copyFromHost(new float[21], 1, t),
            () -> backend.copyFromHost(new float[20], 0, t),
            () -> backend.copyFromHost(new float[30], -1, t),
            () -> backend.copyFiniteFromHost(new float[21], 1, t),
            () -> backend.copyFiniteFromHost(new float[30], -1, t),
            () -> backend.copyToHost(t, new float[21], 1),
            () -> backend.copyToHost(t, new float[30], -1)
          }) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        assertTrue(
            e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException,
            "expected IllegalArgumentException or IndexOutOfBoundsException, got " + e);
      }
    }
  }
}
