package dev.dnn.tests;

import static dev.dnn.tests.Check.EPS;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Backend#gemm} in all four transpose cases, odd shapes, and every alpha/beta regime. */
class GemmConformanceTest {
  /** {m, k, n}: C is [m, n], op(A) is [m, k], op(B) is [k, n]. */
  private static final int[][] SIZES = {
    {1, 1, 1},
    {1, 7, 1},
    {7, 1, 513},
    {513, 7, 1},
    {7, 513, 7},
    {513, 7, 513},
    {33, 65, 17},
    // Larger than one cache block of a packed GEMM in every dimension.
    {130, 257, 513}
  };

  /** {alpha, beta}: beta 0 must ignore NaN in C; the others accumulate into C. */
  private static final float[][] SCALARS = {{1f, 0f}, {-0.75f, 0f}, {0.5f, -1.5f}, {-2f, 1f}};

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void allTransposeCasesMatchFloat64(Backend backend) {
    long seed = 1;
    for (int[] size : SIZES) {
      for (float[] scalars : SCALARS) {
        for (int t = 0; t < 4; t++) {
          check(backend, size[0], size[1], size[2], (t & 1) != 0, (t & 2) != 0, scalars, seed++);
        }
      }
    }
  }

  private static void check(
      Backend backend,
      int m,
      int k,
      int n,
      boolean transA,
      boolean transB,
      float[] scalars,
      long seed) {
    float alpha = scalars[0];
    float beta = scalars[1];
    float[] a = Check.uniform(seed, m * k, -1, 1);
    float[] b = Check.uniform(seed + 1000, k * n, -1, 1);
    float[] c = Check.uniform(seed + 2000, m * n, -1, 1);
    if (beta == 0f) {
      Arrays.fill(c, Float.NaN);
    }
    double[] expected = new double[m * n];
    // Error bound of a float32 dot product of length k, whatever the summation order:
    // |err| <= k * EPS * sum |a||b| (Higham, Accuracy and Stability, 3.1); doubled for the
    // scaling by alpha, the beta term and the final rounding, plus 2 EPS on beta * C.
    double[] tolerance = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double dot = 0;
        double magnitude = 0;
        for (int p = 0; p < k; p++) {
          double x = transA ? a[p * m + i] : a[i * k + p];
          double y = transB ? b[j * k + p] : b[p * n + j];
          dot += x * y;
          magnitude += Math.abs(x * y);
        }
        double old = beta == 0f ? 0 : beta * (double) c[i * n + j];
        expected[i * n + j] = alpha * dot + old;
        tolerance[i * n + j] =
            2 * (k + 2) * EPS * Math.abs(alpha) * magnitude + 2 * EPS * Math.abs(old);
      }
    }
    try (TensorScope s = new TensorScope(backend)) {
      Tensor ta = transA ? s.matrix(a, k, m) : s.matrix(a, m, k);
      Tensor tb = transB ? s.matrix(b, n, k) : s.matrix(b, k, n);
      Tensor tc = s.matrix(c, m, n);
      backend.gemm(transA, transB, alpha, ta, tb, beta, tc);
      Check.assertClose(
          String.format(
              "gemm(transA=%b, transB=%b, alpha=%s, beta=%s) m=%d k=%d n=%d",
              transA, transB, alpha, beta, m, k, n),
          expected,
          tc.toArray(),
          tolerance);
      Check.assertExact("gemm leaves A unchanged", a, ta.toArray());
      Check.assertExact("gemm leaves B unchanged", b, tb.toArray());
    }
  }
}
