package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;

/**
 * The emulator's GEMM against cuBLAS's documented column-major definition, with leading dimensions
 * larger than the matrices: the emulated CUDA backend can only vouch for {@code CudaBackend}'s
 * row-major mapping onto cuBLAS if the emulator means what cuBLAS means.
 */
class HostEmulatorRuntimeTest {
  private final HostEmulatorRuntime runtime = new HostEmulatorRuntime(Path.of("unused"));

  /** op(X)(i, l) of a column-major X with leading dimension ld, per cublasSgemm's definition. */
  private static float op(float[] x, boolean transpose, int ld, int i, int l) {
    return transpose ? x[l + i * ld] : x[i + l * ld];
  }

  private static float[] values(int length, int salt) {
    float[] v = new float[length];
    for (int i = 0; i < length; i++) {
      v[i] = ((i * 37 + salt * 11) % 23 - 11) / 8f;
    }
    return v;
  }

  @Test
  void gemmFollowsCublasColumnMajorSemantics() {
    int m = 5;
    int n = 3;
    int k = 4;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        int lda = (ta ? k : m) + 2;
        int ldb = (tb ? n : k) + 1;
        int ldc = m + 3;
        float[] a = values(lda * (ta ? m : k), 1);
        float[] b = values(ldb * (tb ? k : n), 2);
        float[] c = values(ldc * n, 3);
        float alpha = 0.75f;
        float beta = -0.5f;
        float[] expected = c.clone();
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < m; i++) {
            double sum = 0;
            for (int l = 0; l < k; l++) {
              sum += (double) op(a, ta, lda, i, l) * op(b, tb, ldb, l, j);
            }
            expected[i + j * ldc] = (float) (alpha * sum + beta * (double) c[i + j * ldc]);
          }
        }
        float[] actual = run(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], actual[i], 1e-5, "ta=" + ta + " tb=" + tb + " at " + i);
        }
      }
    }
  }

  @Test
  void betaZeroDoesNotReadC() {
    float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
    float[] actual =
        run(false, false, 2, 2, 1, 1f, new float[] {1, 2}, 2, new float[] {3, 4}, 1, 0f, c, 2);
    assertEquals(3f, actual[0]); // C(0,0) = a0 * b0
    assertEquals(6f, actual[1]); // C(1,0) = a1 * b0
    assertEquals(4f, actual[2]); // C(0,1) = a0 * b1
    assertEquals(8f, actual[3]);
  }

  private float[] run(
      boolean ta,
      boolean tb,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int lda,
      float[] b,
      int ldb,
      float beta,
      float[] c,
      int ldc) {
    try (FloatPointer pa = new FloatPointer(a);
        FloatPointer pb = new FloatPointer(b);
        FloatPointer pc = new FloatPointer(c)) {
      runtime.gemm(
          ta, tb, m, n, k, alpha, pa.address(), lda, pb.address(), ldb, beta, pc.address(), ldc);
      float[] out = new float[c.length];
      pc.get(out);
      return out;
    }
  }
}
