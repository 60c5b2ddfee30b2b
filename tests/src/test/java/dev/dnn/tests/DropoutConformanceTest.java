package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.internal.random.RandomStreams;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Inverted dropout: masks exactly from Philox, scaling by 1 / keep, backward through the mask. */
class DropoutConformanceTest {
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void maskFollowsPhiloxAndScales(Backend backend) {
    int[][] shapes = {{1, 1}, {513, 7}, {7, 513}};
    float[] keeps = {0.8f, 0.5f, 0.13f, 1f};
    long seed = 42;
    for (int[] shape : shapes) {
      for (float keep : keeps) {
        check(backend, shape[0], shape[1], keep, seed++, RandomStreams.stream(3, 2, seed));
      }
    }
  }

  private static void check(
      Backend backend, int rows, int cols, float keep, long seed, long stream) {
    int n = rows * cols;
    float[] x = Check.uniform(seed, n, -2, 2);
    float[] gradOut = Check.uniform(seed + 1, n, -2, 2);
    float scale = 1f / keep;
    double[] mask = new double[n];
    double[] out = new double[n];
    double[] gradIn = new double[n];
    int kept = 0;
    for (int i = 0; i < n; i++) {
      boolean keepIt = Philox.uniform(seed, stream, i) < keep;
      kept += keepIt ? 1 : 0;
      mask[i] = keepIt ? scale : 0;
      out[i] = x[i] * mask[i];
      gradIn[i] = gradOut[i] * mask[i];
    }
    String what = "dropout keep=" + keep + " [" + rows + ", " + cols + "]";
    try (TensorScope s = new TensorScope(backend)) {
      Tensor tMask = s.zeros(rows, cols);
      Tensor tOut = s.zeros(rows, cols);
      backend.dropoutForward(s.matrix(x, rows, cols), keep, seed, stream, tMask, tOut);
      // The mask is exactly 0 or 1/keep, chosen by the same Philox word; 1/keep is one float32
      // division (correctly rounded, or within an ulp under fast-math): 2 EPS relative, and the
      // zero pattern exact. out and gradIn are one multiplication each: half an ulp.
      Check.assertClose(what + " mask", mask, tMask.toArray(), Check.relative(mask, 2));
      Check.assertClose(what + " out", out, tOut.toArray(), Check.relative(out, 1));
      Tensor tGrad = s.matrix(gradOut, rows, cols);
      Tensor tGradIn = s.zeros(rows, cols);
      backend.dropoutBackward(tGrad, tMask, tGradIn);
      Check.assertClose(what + " backward", gradIn, tGradIn.toArray(), Check.relative(gradIn, 1));
      backend.dropoutBackward(tGrad, tMask, tGrad);
      Check.assertClose(
          what + " backward in place", gradIn, tGrad.toArray(), Check.relative(gradIn, 1));
    }
    if (n > 1000) {
      // Binomial(n, keep): the kept fraction lies within 5 standard deviations (fails with
      // probability below 1e-6 for a good generator).
      double sigma = Math.sqrt(n * keep * (1.0 - keep));
      assertTrue(
          Math.abs(kept - n * (double) keep) <= 5 * sigma,
          what + ": kept " + kept + " of " + n + ", expected about " + n * keep);
    }
  }
}
