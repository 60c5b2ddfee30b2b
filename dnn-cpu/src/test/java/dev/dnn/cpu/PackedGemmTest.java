package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plain-Java packed GEMM (the scalar kernel path) against a float64 reference, for every
 * transpose case and awkward sizes. {@link VectorGemmTest} covers the Vector API one.
 */
class PackedGemmTest {
  private static CpuBackend single;
  private static CpuBackend multi;

  @BeforeAll
  static void open() {
    single = new CpuBackend(1, KernelPath.scalar("test"));
    multi = new CpuBackend(3, KernelPath.scalar("test"));
  }

  @AfterAll
  static void close() {
    single.close();
    multi.close();
  }

  static Stream<Arguments> cases() {
    int[][] sizes = {
      {1, 1, 1},
      {7, 7, 7},
      {1, 9, 5},
      {9, 1, 5},
      {5, 9, 1},
      {13, 17, 300}, // k crosses a KC boundary
      {513, 7, 33},
      {33, 513, 260},
      {130, 600, 20}, // n crosses an NC boundary, m crosses MC
      {64, 64, 64},
      {600, 10, 300}, // narrow C: computed as the transposed product
      {70, 63, 9},
      {3, 2, 0}, // empty inner dimension: C = beta C
      {0, 3, 2},
      {3, 0, 2},
    };
    Stream.Builder<Arguments> all = Stream.builder();
    for (int[] s : sizes) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          all.add(Arguments.of(s[0], s[1], s[2], ta, tb));
        }
      }
    }
    return all.build();
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
  @MethodSource("cases")
  void matchesFloat64Reference(int m, int n, int k, boolean ta, boolean tb) {
    Random random = new Random(m * 31L + n * 7L + k);
    float[] a = randoms(random, m * k);
    float[] b = randoms(random, k * n);
    float[] c = randoms(random, m * n);
    float alpha = 0.75f;
    float beta = -0.5f;
    double[] expected = reference(ta, tb, m, n, k, alpha, a, b, beta, c);
    double[] magnitude = magnitudes(ta, tb, m, n, k, a, b);
    for (CpuBackend backend : new CpuBackend[] {single, multi}) {
      try (Tensor ta_ = backend.fromHost(a, ta ? Shape.matrix(k, m) : Shape.matrix(m, k));
          Tensor tb_ = backend.fromHost(b, tb ? Shape.matrix(n, k) : Shape.matrix(k, n));
          Tensor tc = backend.fromHost(c, Shape.matrix(m, n))) {
        backend.gemm(ta, tb, alpha, ta_, tb_, beta, tc);
        float[] actual = tc.toArray();
        for (int i = 0; i < actual.length; i++) {
          // Per element: a k-term float32 dot product is within k u sum |a b| of the exact one in
          // any summation order (Higham, Accuracy and Stability, 3.1), u = 2^-24; the scaling by
          // alpha, the beta C product and the final sum round once each: (k + 2) u |alpha| sum
          // |a b| + 2 u |beta c| (as the conformance suite's GemmConformanceTest).
          double tolerance =
              (k + 2) * 0x1p-24 * Math.abs(alpha) * magnitude[i]
                  + 2 * 0x1p-24 * Math.abs(beta * (double) c[i]);
          assertEquals(expected[i], actual[i], tolerance, "element " + i + " on " + backend);
        }
      }
    }
  }

  @Test
  void betaZeroIgnoresNaNInC() {
    float[] a = {1, 2, 3, 4};
    try (Tensor ta = single.fromHost(a, Shape.matrix(2, 2));
        Tensor tc = single.fromHost(new float[] {Float.NaN, Float.NaN, 1, 1}, Shape.matrix(2, 2))) {
      single.gemm(false, false, 1f, ta, ta, 0f, tc);
      assertArrayEquals(new float[] {7, 10, 15, 22}, tc.toArray());
    }
  }

  @ParameterizedTest(name = "m={0} n={1} k={2}")
  @CsvSource({"300, 700, 600", "3000, 20, 300"})
  void multiThreadedEqualsSingleThreadedBitForBit(int m, int n, int k) {
    Random random = new Random(42);
    float[] a = randoms(random, m * k);
    float[] b = randoms(random, k * n);
    float[] one = product(single, a, b, m, n, k);
    float[] many = product(multi, a, b, m, n, k);
    assertArrayEquals(one, many);
    assertFalse(Float.isNaN(one[0]));
  }

  @Test
  void mismatchedShapesNameTheOperation() {
    try (Tensor a = single.zeros(Shape.matrix(2, 3));
        Tensor b = single.zeros(Shape.matrix(4, 5));
        Tensor c = single.zeros(Shape.matrix(2, 5))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> single.gemm(false, false, 1f, a, b, 0f, c));
      assertEquals(true, e.getMessage().contains("gemm") && e.getMessage().contains("[2, 3]"));
    }
  }

  private static float[] product(CpuBackend backend, float[] a, float[] b, int m, int n, int k) {
    try (Tensor ta = backend.fromHost(a, Shape.matrix(m, k));
        Tensor tb = backend.fromHost(b, Shape.matrix(k, n));
        Tensor tc = backend.zeros(Shape.matrix(m, n))) {
      backend.gemm(false, false, 1f, ta, tb, 0f, tc);
      return tc.toArray();
    }
  }

  private static double[] reference(
      boolean ta,
      boolean tb,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      float[] b,
      float beta,
      float[] c) {
    double[] out = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          double av = ta ? a[p * m + i] : a[i * k + p];
          double bv = tb ? b[j * k + p] : b[p * n + j];
          s += av * bv;
        }
        out[i * n + j] = alpha * s + beta * (double) c[i * n + j];
      }
    }
    return out;
  }

  /** sum_p |op(A)[i, p] op(B)[p, j]| for every element of C. */
  private static double[] magnitudes(
      boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b) {
    double[] out = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          double av = ta ? a[p * m + i] : a[i * k + p];
          double bv = tb ? b[j * k + p] : b[p * n + j];
          s += Math.abs(av * bv);
        }
        out[i * n + j] = s;
      }
    }
    return out;
  }

  private static float[] randoms(Random random, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = random.nextFloat() * 2f - 1f;
    }
    return x;
  }
}
