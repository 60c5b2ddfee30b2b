package dev.dnn.tests;

import static dev.dnn.tests.Check.EPS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three losses against PyTorch (golden/losses.json). The golden loss is a mean; the kernels add
 * the loss sum to lossSum, so the test compares {@code lossSum / count} (rows for cross-entropy,
 * all elements for BCE and MSE). The gradients are of the mean in both.
 */
class GoldenLossesTest {
  private static final JsonNode LOSSES = Golden.load("losses.json");

  /**
   * Golden inputs rounded to float32 move each element loss by about EPS times its logit magnitude;
   * log-sum-exp and log1p(exp) in float32 add some tens of EPS of the magnitudes; the sums over the
   * batch add count EPS. So 64 EPS of the mean magnitude (including the logits of +-1000), and for
   * gradients 64 EPS relative plus 4 EPS / count absolute times the magnitude of the operands of
   * the cancellation p - y (1 for probabilities, the inputs for MSE).
   */
  private static double[] gradientTolerance(double[] expected, int count, double scale) {
    double[] tol = new double[expected.length];
    for (int i = 0; i < tol.length; i++) {
      tol[i] = 64 * EPS * Math.abs(expected[i]) + 4 * EPS * scale / count;
    }
    return tol;
  }

  private static double maxAbs(float[] x) {
    double max = 0;
    for (float v : x) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  private static double meanAbs(double[] x) {
    double total = 0;
    for (double v : x) {
      total += Math.abs(v);
    }
    return total / x.length;
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void softmaxCrossEntropy(Backend backend) {
    JsonNode g = LOSSES.get("softmax_cross_entropy");
    JsonNode logitsNode = g.get("logits");
    int rows = logitsNode.size();
    int cols = logitsNode.get(0).size();
    float[] logits = Golden.floats(logitsNode);
    try (TensorScope s = new TensorScope(backend)) {
      Tensor grad = s.zeros(rows, cols);
      Tensor loss = s.vector(0f);
      backend.softmaxCrossEntropy(
          s.matrix(logits, rows, cols), s.vector(Golden.floats(g.get("labels"))), grad, loss);
      double expected = g.get("loss").asDouble();
      double tol = 64 * EPS * (expected + cols * meanAbs(Golden.doubles(logitsNode)));
      Check.assertClose(
          "golden softmax cross-entropy mean", expected, loss.toArray()[0] / rows, tol);
      double[] dlogits = Golden.doubles(g.get("dlogits"));
      Check.assertClose(
          "golden softmax cross-entropy gradient",
          dlogits,
          grad.toArray(),
          gradientTolerance(dlogits, rows, 1));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void sigmoidBinaryCrossEntropy(Backend backend) {
    JsonNode g = LOSSES.get("sigmoid_binary_cross_entropy");
    check(
        backend,
        "sigmoid binary cross-entropy",
        g.get("logits"),
        g.get("targets"),
        g.get("loss").asDouble(),
        g.get("dlogits"),
        true);
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void meanSquaredError(Backend backend) {
    JsonNode g = LOSSES.get("mean_squared_error");
    check(
        backend,
        "mean squared error",
        g.get("prediction"),
        g.get("target"),
        g.get("loss").asDouble(),
        g.get("dprediction"),
        false);
  }

  private static void check(
      Backend backend,
      String what,
      JsonNode inputNode,
      JsonNode targetNode,
      double expectedLoss,
      JsonNode gradNode,
      boolean bce) {
    int rows = inputNode.size();
    int cols = inputNode.get(0).isArray() ? inputNode.get(0).size() : 1;
    int count = rows * cols;
    float[] input = Golden.floats(inputNode);
    try (TensorScope s = new TensorScope(backend)) {
      Tensor x = s.matrix(input, rows, cols);
      Tensor t = s.matrix(Golden.floats(targetNode), rows, cols);
      Tensor grad = s.zeros(rows, cols);
      Tensor loss = s.vector(0f);
      if (bce) {
        backend.sigmoidBinaryCrossEntropy(x, t, grad, loss);
      } else {
        backend.meanSquaredError(x, t, grad, loss);
      }
      double tol = 64 * EPS * (expectedLoss + 2 * meanAbs(Golden.doubles(inputNode)));
      Check.assertClose("golden " + what + " mean", expectedLoss, loss.toArray()[0] / count, tol);
      double[] expected = Golden.doubles(gradNode);
      Check.assertClose(
          "golden " + what + " gradient",
          expected,
          grad.toArray(),
          gradientTolerance(expected, count, 1 + 2 * maxAbs(input)));
    }
  }
}
