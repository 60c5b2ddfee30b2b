package dev.dnn.tests;

import static dev.dnn.tests.Check.EPS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * softmax, softmax cross-entropy, sigmoid binary cross-entropy and mean squared error: the loss sum
 * accumulates into lossSum, the gradient is of the mean.
 */
class LossConformanceTest {
  private static final int[][] SHAPES = {{1, 1}, {1, 7}, {513, 7}, {7, 513}};

  /**
   * exp and log of float32 libraries are accurate to a few ulps and the normalization adds a few
   * roundings: 32 EPS relative, plus 4 EPS absolute for values formed by cancellation (p - y).
   */
  private static double pointwise(double expected, double scale) {
    return 32 * EPS * Math.abs(expected) + 4 * EPS * scale;
  }

  /** Logits in [-6, 6], with the first row pushed to +-1000 to test stability. */
  private static float[] logits(long seed, int rows, int cols, boolean extreme) {
    float[] x = Check.uniform(seed, rows * cols, -6, 6);
    if (extreme) {
      for (int j = 0; j < cols; j++) {
        x[j] = j % 2 == 0 ? 1000f : -1000f;
      }
    }
    return x;
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void softmaxRows(Backend backend) {
    for (int[] shape : SHAPES) {
      int rows = shape[0];
      int cols = shape[1];
      float[] x = logits(rows + cols, rows, cols, true);
      double[] expected = new double[rows * cols];
      double[] tolerance = new double[rows * cols];
      for (int i = 0; i < rows; i++) {
        double[] p = softmax(x, i, cols);
        for (int j = 0; j < cols; j++) {
          expected[i * cols + j] = p[j];
          // The row sum of cols exponentials adds cols EPS relative.
          tolerance[i * cols + j] = (32 + cols) * EPS * p[j];
        }
      }
      try (TensorScope s = new TensorScope(backend)) {
        Tensor out = s.zeros(rows, cols);
        backend.softmax(s.matrix(x, rows, cols), out);
        Check.assertClose(
            "softmax [" + rows + ", " + cols + "]", expected, out.toArray(), tolerance);
      }
    }
  }

  private static double[] softmax(float[] x, int row, int cols) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < cols; j++) {
      max = Math.max(max, x[row * cols + j]);
    }
    double total = 0;
    double[] p = new double[cols];
    for (int j = 0; j < cols; j++) {
      p[j] = Math.exp(x[row * cols + j] - max);
      total += p[j];
    }
    for (int j = 0; j < cols; j++) {
      p[j] /= total;
    }
    return p;
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void softmaxCrossEntropy(Backend backend) {
    for (int[] shape : SHAPES) {
      int rows = shape[0];
      int cols = shape[1];
      float[] x = logits(3L * rows + cols, rows, cols, true);
      float[] labels = Check.labels(rows * 7L + cols, rows, cols);
      if (cols > 1) {
        labels[0] = 1; // the -1000 logit of the extreme row: a loss of 2000, still finite
      }
      double[] grad = new double[rows * cols];
      double[] gradTol = new double[rows * cols];
      double lossSum = 0.75;
      double lossTol = 0;
      for (int i = 0; i < rows; i++) {
        double[] p = softmax(x, i, cols);
        int label = (int) labels[i];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
          max = Math.max(max, x[i * cols + j]);
        }
        double total = 0;
        for (int j = 0; j < cols; j++) {
          total += Math.exp(x[i * cols + j] - max);
        }
        double rowLoss = max + Math.log(total) - x[i * cols + label];
        lossSum += rowLoss;
        // Each row loss is log-sum-exp minus a logit: error of a few EPS of the logit magnitudes
        // plus cols EPS for the sum of exponentials; the row losses are then summed.
        lossTol +=
            (32 + cols) * EPS * (rowLoss + Math.abs(max) + Math.abs(x[i * cols + label]) + 1)
                + rows * EPS * rowLoss;
        for (int j = 0; j < cols; j++) {
          double g = (p[j] - (j == label ? 1 : 0)) / rows;
          grad[i * cols + j] = g;
          gradTol[i * cols + j] = pointwise(g, 1.0 / rows) + cols * EPS * p[j] / rows;
        }
      }
      try (TensorScope s = new TensorScope(backend)) {
        Tensor gradLogits = s.zeros(rows, cols);
        Tensor loss = s.vector(0.75f);
        Tensor tLogits = s.matrix(x, rows, cols);
        backend.softmaxCrossEntropy(tLogits, s.vector(labels), gradLogits, loss);
        Check.assertExact("softmaxCrossEntropy leaves the logits unchanged", x, tLogits.toArray());
        String what = "softmaxCrossEntropy [" + rows + ", " + cols + "]";
        float[] actualGrad = gradLogits.toArray();
        Check.assertClose(what + " gradient", grad, actualGrad, gradTol);
        Check.assertClose(what + " lossSum", lossSum, loss.toArray()[0], lossTol);
        assertTrue(Float.isFinite(loss.toArray()[0]), what + ": loss not finite");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void sigmoidBinaryCrossEntropy(Backend backend) {
    for (int[] shape : SHAPES) {
      int rows = shape[0];
      int cols = shape[1];
      int n = rows * cols;
      float[] x = logits(5L * rows + cols, rows, cols, true);
      float[] t = Check.uniform(n + 3L, n, 0, 1);
      t[0] = 0f; // logit +1000 against target 0: loss 1000, gradient 1/n
      double lossSum = -2.5;
      double lossTol = 0;
      double[] grad = new double[n];
      double[] gradTol = new double[n];
      for (int i = 0; i < n; i++) {
        double z = x[i];
        double loss = Math.max(z, 0) - z * t[i] + Math.log1p(Math.exp(-Math.abs(z)));
        lossSum += loss;
        // max(z,0) - z t + log1p(...): a few roundings of terms up to |z|, then a sum of n.
        lossTol += 8 * EPS * (2 * Math.abs(z) + 1) + n * EPS * loss;
        grad[i] = (ReferenceActivations.sigmoid(z) - t[i]) / n;
        gradTol[i] = pointwise(grad[i], 1.0 / n);
      }
      try (TensorScope s = new TensorScope(backend)) {
        Tensor gradLogits = s.zeros(rows, cols);
        Tensor loss = s.vector(-2.5f);
        backend.sigmoidBinaryCrossEntropy(
            s.matrix(x, rows, cols), s.matrix(t, rows, cols), gradLogits, loss);
        String what = "sigmoidBinaryCrossEntropy [" + rows + ", " + cols + "]";
        Check.assertClose(what + " gradient", grad, gradLogits.toArray(), gradTol);
        Check.assertClose(what + " lossSum", lossSum, loss.toArray()[0], lossTol);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void meanSquaredError(Backend backend) {
    for (int[] shape : SHAPES) {
      int rows = shape[0];
      int cols = shape[1];
      int n = rows * cols;
      float[] p = Check.uniform(9L * rows + cols, n, -3, 3);
      float[] t = Check.uniform(11L * rows + cols, n, -3, 3);
      double lossSum = 4;
      double lossTol = 0;
      double[] grad = new double[n];
      double[] gradTol = new double[n];
      for (int i = 0; i < n; i++) {
        double d = (double) p[i] - t[i];
        lossSum += d * d;
        // (p - t)^2: three roundings, then a sum of n terms.
        lossTol += (n + 3) * EPS * d * d;
        grad[i] = 2 * d / n;
        gradTol[i] = 4 * EPS * Math.abs(grad[i]);
      }
      try (TensorScope s = new TensorScope(backend)) {
        Tensor g = s.zeros(rows, cols);
        Tensor loss = s.vector(4f);
        backend.meanSquaredError(s.matrix(p, rows, cols), s.matrix(t, rows, cols), g, loss);
        String what = "meanSquaredError [" + rows + ", " + cols + "]";
        Check.assertClose(what + " gradient", grad, g.toArray(), gradTol);
        Check.assertClose(what + " lossSum", lossSum, loss.toArray()[0], lossTol + 4 * EPS * 4);
      }
    }
  }
}
