package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnn.backend.Backend;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.nn.Pass;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The five 6-5-4-3 networks of {@code golden/mlp.json} (PyTorch, float64): logits, mean softmax
 * cross-entropy, and every weight and bias gradient, through {@link Model}.
 *
 * <p>Tolerance {@code 2e-5 + 2e-5 |expected|}: inputs and weights are of order 1 and rounded to
 * float32 (relative error 6e-8); three layers of at most 6-term dot products, activations and the
 * loss accumulate a few dozen roundings, about 1e-6 relative, so 2e-5 leaves a wide margin while a
 * wrong formula is off by orders of magnitude more.
 */
class MlpGoldenTest {
  private static final double TOL = 2e-5;
  private static final Map<String, Activation> ACTIVATIONS =
      Map.of(
          "relu", Activation.RELU,
          "tanh", Activation.TANH,
          "sigmoid", Activation.SIGMOID,
          "elu(1.0)", Activation.ELU,
          "swish", Activation.SWISH);

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void matchesPyTorch(Backend backend) {
    JsonNode cases = Golden.load("mlp.json").get("cases");
    assertEquals(5, cases.size());
    for (JsonNode c : cases) {
      String name = c.get("activation").asText();
      Activation activation = ACTIVATIONS.get(name);
      JsonNode sizes = c.get("sizes");
      int[] s = {
        sizes.get(0).asInt(), sizes.get(1).asInt(), sizes.get(2).asInt(), sizes.get(3).asInt()
      };
      try (Model model =
          Model.sequential(
                  Dense.of(s[0], s[1]),
                  activation,
                  Dense.of(s[1], s[2]),
                  activation,
                  Dense.of(s[2], s[3]))
              .on(backend)) {
        for (int layer = 0; layer < 3; layer++) {
          model.set("layers." + 2 * layer + ".weight", Golden.floats(c.get("weights").get(layer)));
          model.set("layers." + 2 * layer + ".bias", Golden.floats(c.get("biases").get(layer)));
        }
        float[] x = Golden.floats(c.get("x"));
        int rows = x.length / s[0];
        float[] labels = Golden.floats(c.get("labels"));
        try (Tensor input = backend.fromHost(x, Shape.matrix(rows, s[0]));
            Tensor target = backend.fromHost(labels, Shape.vector(rows));
            Tensor grad = backend.zeros(Shape.matrix(rows, s[3]));
            Tensor lossSum = backend.zeros(Shape.vector(1))) {
          Tensor logits = model.forward(input, Pass.training(0, 0));
          assertClose(Golden.doubles(c.get("logits")), logits.toArray(), name + " logits");
          Loss.SOFTMAX_CROSS_ENTROPY.apply(backend, logits, target, grad, lossSum);
          double loss = backend.sum(lossSum) / rows;
          double expected = c.get("loss").asDouble();
          assertEquals(expected, loss, TOL + TOL * Math.abs(expected), name + " loss");
          model.backward(grad);
          for (int layer = 0; layer < 3; layer++) {
            assertClose(
                Golden.doubles(c.get("dweights").get(layer)),
                model.gradients().get("layers." + 2 * layer + ".weight").toArray(),
                name + " dW" + layer);
            assertClose(
                Golden.doubles(c.get("dbiases").get(layer)),
                model.gradients().get("layers." + 2 * layer + ".bias").toArray(),
                name + " db" + layer);
          }
        }
      }
    }
  }

  static void assertClose(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + " size");
    for (int i = 0; i < expected.length; i++) {
      double tolerance = TOL + TOL * Math.abs(expected[i]);
      int at = i;
      assertTrue(
          Math.abs(expected[i] - actual[i]) <= tolerance,
          () -> what + "[" + at + "]: expected " + expected[at] + ", got " + actual[at]);
    }
  }
}
