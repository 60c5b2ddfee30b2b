package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forms that run while the Vector API kernels are being compiled ({@link VectorWarmUp}) against
 * the vector forms that follow them, to the bit: Adam, column sums, sums and squared norms, on
 * lengths that leave every remainder of the vector loops, one thread and two. (The vector GEMM
 * against the plain one it hands its products to meanwhile is checked in {@link VectorGemmTest}.) A
 * run's numbers must not depend on when the JIT finished.
 */
class WarmUpFormsAgreeTest {
  private static Parallel one;
  private static Parallel two;

  @BeforeAll
  static void open() {
    one = new Parallel(1);
    two = new Parallel(2);
  }

  @AfterAll
  static void close() {
    one.close();
    two.close();
  }

  @Test
  void reductionsGiveTheVectorFormsBits() {
    for (int n = 1; n <= 200; n += 7) {
      float[] x = randoms(new Random(n), n * 33);
      for (Parallel parallel : new Parallel[] {one, two}) {
        ReductionKernels vector = new VectorReductionKernels(parallel, VectorSwitch.ON);
        ReductionKernels warming = new VectorReductionKernels(parallel, VectorSwitch.OFF);
        String where = x.length + " elements, " + parallel.threads() + " threads";
        assertEquals(bits(vector.sum(x)), bits(warming.sum(x)), "sum of " + where);
        assertEquals(
            bits(vector.squaredNorm(x)), bits(warming.squaredNorm(x)), "squared norm of " + where);
        int rows = n % 13 + 1;
        int cols = x.length / rows;
        float[] fast = randoms(new Random(-n), cols);
        float[] slow = fast.clone();
        float beta = n % 2 == 0 ? 0f : 0.5f;
        vector.columnSums(x, rows, cols, beta, fast);
        warming.columnSums(x, rows, cols, beta, slow);
        assertArrayEquals(fast, slow, "column sums of " + rows + " x " + cols);
      }
    }
  }

  @Test
  void adamGivesTheVectorFormsBits() {
    OptimizerKernels.AdamTerms terms =
        new OptimizerKernels.AdamTerms(0.9f, 0.999f, 1e-8f, 1e-4f, 3e-3f, 0.25f, 1e-5f);
    for (int n : new int[] {1, 15, 16, 17, 100, 1023}) {
      Random random = new Random(n);
      float[][] fast = {
        randoms(random, n), randoms(random, n), randoms(random, n), randoms(random, n)
      };
      for (int i = 0; i < n; i++) {
        fast[3][i] = Math.abs(fast[3][i]); // a second moment is not negative
      }
      float[][] slow = {fast[0].clone(), fast[1], fast[2].clone(), fast[3].clone()};
      for (int step = 0; step < 3; step++) {
        new VectorOptimizerKernels(one, VectorSwitch.ON)
            .adamRange(fast[0], fast[1], fast[2], fast[3], terms, 0, n);
        new VectorOptimizerKernels(one, VectorSwitch.OFF)
            .adamRange(slow[0], slow[1], slow[2], slow[3], terms, 0, n);
      }
      assertArrayEquals(fast[0], slow[0], "parameters, n=" + n);
      assertArrayEquals(fast[2], slow[2], "first moments, n=" + n);
      assertArrayEquals(fast[3], slow[3], "second moments, n=" + n);
    }
  }

  /**
   * The warm-up's own rounds run without a fault on this JVM: a fault there is only logged (it
   * costs speed, not results), so without this test a wrong operand size would go unnoticed.
   */
  @Test
  void warmUpRoundsRunOnBothGemms() {
    try (VectorWarmUp.Operands operands = new VectorWarmUp.Operands()) {
      for (int round = 0; round < 3; round++) {
        operands.cover();
        operands.coverLater();
        for (VectorWarmUp.Family family : VectorWarmUp.Family.values()) {
          operands.coverFamily(family);
        }
        VectorWarmUp.Timings timings = operands.timed(2);
        assertTrue(timings.vector() > 0, "vector round: " + timings);
        assertTrue(timings.plain() > 0, "plain round: " + timings);
      }
    }
  }

  private static int bits(float x) {
    return Float.floatToRawIntBits(x);
  }

  private static float[] randoms(Random random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
