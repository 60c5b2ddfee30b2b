package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batch normalization's kernels with one thread and two (the same bits: each column's share walks
 * all its rows in order) against a float64 reference. Each result is rounded once to float (half an
 * ulp, {@code 2^-24}); the backward also takes {@code x - mean} in float, which puts a relative
 * error of {@code 2^-24} on each {@code xhat} and so on each term of {@code sum dy xhat}. The
 * double sums add at most {@code rows 2^-53} of their terms' magnitudes, far below that.
 */
class BatchNormKernelsTest {
  private static final double U = 0x1p-24;
  private static final float EPSILON = 1e-5f;

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

  /** The outputs of one forward and backward: out, statistics, running averages, gradients. */
  private record Run(float[][] results) {}

  /** Widths below, between and above a share of columns per thread and a vector's lanes. */
  @ParameterizedTest
  @CsvSource({"7, 37", "128, 500", "3, 10", "512, 75", "2, 1", "64, 25"})
  void oneAndTwoThreadsGiveTheSameBitsAndMatchTheReference(int rows, int cols) {
    Random random = new Random(rows * 131L + cols);
    float[] x = values(random, rows * cols, 3f, 0.5f);
    float[] dy = values(random, rows * cols, 1f, 0f);
    float[] gamma = values(random, cols, 0.5f, 1f);
    float[] beta = values(random, cols, 0.5f, 0f);
    Run twoThreads = run(new BatchNormKernels(two), x, dy, gamma, beta, rows, cols);
    Run oneThread = run(new BatchNormKernels(one), x, dy, gamma, beta, rows, cols);
    for (int k = 0; k < twoThreads.results().length; k++) {
      assertArrayEquals(
          oneThread.results()[k], twoThreads.results()[k], "two threads against one, result " + k);
    }
    checkAgainstReference(twoThreads, x, dy, gamma, beta, rows, cols);
  }

  /** Eval mode reads the running statistics only, the same bits on one thread and two. */
  @ParameterizedTest
  @CsvSource({"5, 37", "128, 250"})
  void inferenceGivesTheSameBitsOnOneAndTwoThreads(int rows, int cols) {
    Random random = new Random(rows + cols);
    float[] x = values(random, rows * cols, 3f, 0.5f);
    float[] gamma = values(random, cols, 0.5f, 1f);
    float[] beta = values(random, cols, 0.5f, 0f);
    float[] mean = values(random, cols, 0.5f, 0f);
    float[] var = values(random, cols, 0.5f, 1f);
    float[] oneThread = new float[rows * cols];
    float[] twoThreads = new float[rows * cols];
    new BatchNormKernels(one)
        .forward(
            x, gamma, beta, mean, var, 0.1f, EPSILON, false, null, null, oneThread, rows, cols);
    new BatchNormKernels(two)
        .forward(
            x, gamma, beta, mean, var, 0.1f, EPSILON, false, null, null, twoThreads, rows, cols);
    assertArrayEquals(oneThread, twoThreads);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double expected =
            gamma[j] * ((x[i * cols + j] - (double) mean[j]) / Math.sqrt(var[j] + (double) EPSILON))
                + beta[j];
        // Computed in double (a handful of operations, each within 2^-53 relative: 2^-50 of the
        // terms' magnitudes is ample) and rounded once to float (half an ulp, 2^-24).
        double scale = Math.abs(gamma[j]) / Math.sqrt(var[j] + (double) EPSILON);
        double terms = scale * Math.abs(x[i * cols + j] - (double) mean[j]) + Math.abs(beta[j]);
        double tolerance = U * Math.abs(expected) + 0x1p-50 * terms;
        assertEquals(expected, oneThread[i * cols + j], tolerance, "row " + i + ", column " + j);
      }
    }
  }

  private static Run run(
      BatchNormKernels kernels,
      float[] x,
      float[] dy,
      float[] gamma,
      float[] beta,
      int rows,
      int cols) {
    float[] runningMean = new float[cols];
    float[] runningVar = new float[cols];
    java.util.Arrays.fill(runningVar, 1f);
    float[] savedMean = new float[cols];
    float[] savedInvStd = new float[cols];
    float[] out = new float[rows * cols];
    kernels.forward(
        x,
        gamma,
        beta,
        runningMean,
        runningVar,
        0.1f,
        EPSILON,
        true,
        savedMean,
        savedInvStd,
        out,
        rows,
        cols);
    float[] gradIn = new float[rows * cols];
    float[] gradGamma = new float[cols];
    float[] gradBeta = new float[cols];
    kernels.backward(x, dy, gamma, savedMean, savedInvStd, gradIn, gradGamma, gradBeta, rows, cols);
    return new Run(
        new float[][] {
          out, savedMean, savedInvStd, runningMean, runningVar, gradIn, gradGamma, gradBeta
        });
  }

  private static void checkAgainstReference(
      Run run, float[] x, float[] dy, float[] gamma, float[] beta, int rows, int cols) {
    float[] out = run.results()[0];
    float[] gradIn = run.results()[5];
    float[] gradGamma = run.results()[6];
    float[] gradBeta = run.results()[7];
    for (int j = 0; j < cols; j++) {
      double mean = 0;
      for (int i = 0; i < rows; i++) {
        mean += x[i * cols + j];
      }
      mean /= rows;
      double squares = 0;
      for (int i = 0; i < rows; i++) {
        double d = x[i * cols + j] - mean;
        squares += d * d;
      }
      double invStd = 1.0 / Math.sqrt(squares / rows + EPSILON);
      // invStd is rounded to float before the backward uses it: one more 2^-24 on every xhat.
      double sumDy = 0;
      double sumDyXhat = 0;
      double sumDyXhatMagnitude = 0;
      double sumDyMagnitude = 0;
      double[] xhat = new double[rows];
      for (int i = 0; i < rows; i++) {
        xhat[i] = (x[i * cols + j] - mean) * invStd;
        double g = dy[i * cols + j];
        sumDy += g;
        sumDyXhat += g * xhat[i];
        sumDyMagnitude += Math.abs(g);
        sumDyXhatMagnitude += Math.abs(g * xhat[i]);
      }
      assertEquals(
          sumDy, gradBeta[j], U * Math.abs(sumDy) + rows * 0x1p-52 * sumDyMagnitude, "gradBeta");
      // xhat carries 2^-24 from x - mean in float and 2^-24 from the saved invStd.
      double xhatError = 3 * U;
      assertEquals(
          sumDyXhat,
          gradGamma[j],
          U * Math.abs(sumDyXhat) + xhatError * sumDyXhatMagnitude,
          "gradGamma column " + j);
      double scale = gamma[j] * invStd / rows;
      for (int i = 0; i < rows; i++) {
        int k = i * cols + j;
        double y = gamma[j] * xhat[i] + beta[j];
        double yScale = Math.abs(gamma[j] * xhat[i]) + Math.abs(beta[j]);
        assertEquals(y, out[k], U * Math.abs(y) + rows * 0x1p-50 * yScale, "out at " + k);
        double dx = scale * (rows * (double) dy[k] - sumDy - xhat[i] * sumDyXhat);
        // The error of xhat times sumDyXhat and of sumDyXhat times xhat, and invStd in scale.
        double dxScale =
            Math.abs(scale)
                * (rows * Math.abs(dy[k])
                    + Math.abs(sumDy)
                    + Math.abs(xhat[i]) * (Math.abs(sumDyXhat) + sumDyXhatMagnitude));
        assertEquals(dx, gradIn[k], U * Math.abs(dx) + 2 * xhatError * dxScale, "gradIn at " + k);
      }
    }
  }

  private static float[] values(Random random, int n, float spread, float centre) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = centre + (random.nextFloat() * 2f - 1f) * spread;
    }
    return v;
  }
}
