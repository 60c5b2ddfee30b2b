package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.AdamStep;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Vector API forms of the element-wise families against their plain-Java forms, in one JVM, to
 * the bit: the activations ({@link VectorMath} and {@link ScalarMath} give the same bits, and the
 * kernels use them in the same expressions) and Adam (the same float operations in the same order).
 * A seeded run therefore trains to the same figures on either path.
 */
class KernelPathsAgreeTest {
  private static Parallel parallel;
  private static VectorForms vector;

  @BeforeAll
  static void open() {
    parallel = new Parallel(2);
    vector = KernelPath.found().vector();
    vector = vector == null ? null : vector.alwaysOn();
  }

  @AfterAll
  static void close() {
    parallel.close();
  }

  @ParameterizedTest
  @EnumSource(ActivationKind.class)
  void activationsGiveTheSameBitsOnBothPaths(ActivationKind kind) {
    assumeTrue(vector != null, "the Vector API is not readable in this JVM");
    int rows = 7;
    int cols = 37; // not a multiple of any vector length: the tails take the plain form
    int n = rows * cols;
    Random random = new Random(kind.ordinal());
    float[] z = new float[n];
    float[] gradOut = new float[n];
    float[] slopes = new float[kind == ActivationKind.PRELU ? cols : n];
    for (int i = 0; i < n; i++) {
      z[i] = (random.nextFloat() * 2f - 1f) * 6f;
      gradOut[i] = random.nextFloat() * 2f - 1f;
    }
    for (int i = 0; i < slopes.length; i++) {
      slopes[i] = random.nextFloat() * 0.3f;
    }
    ActivationKernels plain = new ActivationKernels(parallel);
    ActivationKernels fast = vector.activations(parallel);
    float[][] expected = apply(plain, kind, slopes, z, gradOut, rows, cols);
    float[][] actual = apply(fast, kind, slopes, z, gradOut, rows, cols);
    assertArrayEquals(expected[0], actual[0], kind + " forward");
    assertArrayEquals(expected[1], actual[1], kind + " backward");
  }

  @Test
  void adamGivesTheSameBitsOnBothPaths() {
    assumeTrue(vector != null, "the Vector API is not readable in this JVM");
    int n = 1000;
    Random random = new Random(3);
    float[] p = new float[n];
    float[] g = new float[n];
    float[] m = new float[n];
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = random.nextFloat() - 0.5f;
      g[i] = random.nextFloat() - 0.5f;
      m[i] = (random.nextFloat() - 0.5f) * 0.1f;
      v[i] = random.nextFloat() * 0.01f;
    }
    float[][] plain = {p.clone(), g, m.clone(), v.clone()};
    float[][] fast = {p.clone(), g, m.clone(), v.clone()};
    AdamStep step = new AdamStep(1e-3f, 0.9f, 0.999f, 1e-8f, 7, 1e-4f, 1e-2f);
    new OptimizerKernels(parallel).adam(plain[0], g, plain[2], plain[3], step);
    vector.optimizers(parallel).adam(fast[0], g, fast[2], fast[3], step);
    assertArrayEquals(plain[0], fast[0], "parameters");
    assertArrayEquals(plain[2], fast[2], "first moments");
    assertArrayEquals(plain[3], fast[3], "second moments");
  }

  private static float[][] apply(
      ActivationKernels kernels,
      ActivationKind kind,
      float[] slopes,
      float[] z,
      float[] gradOut,
      int rows,
      int cols) {
    float[] zCopy = z.clone();
    float[] out = new float[z.length];
    float[] gradIn = new float[z.length];
    kernels.biasForward(kind, 0.3f, slopes, zCopy, null, out, rows, cols);
    kernels.backward(kind, 0.3f, slopes, zCopy, out, gradOut, gradIn, cols);
    return new float[][] {out, gradIn};
  }
}
