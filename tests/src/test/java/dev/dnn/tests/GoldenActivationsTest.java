package dev.dnn.tests;

import static dev.dnn.tests.Check.EPS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every activation value and derivative against PyTorch (golden/activations.json). */
class GoldenActivationsTest {
  private static final JsonNode ACTIVATIONS = Golden.load("activations.json").get("activations");

  /** The golden entry name, the kind, its alpha and the PReLU/RReLU slope. */
  private record Case(ActivationKind kind, float alpha, float slope) {}

  private static final Map<String, Case> CASES =
      Map.ofEntries(
          Map.entry("sigmoid", new Case(ActivationKind.SIGMOID, 0f, 0f)),
          Map.entry("tanh", new Case(ActivationKind.TANH, 0f, 0f)),
          Map.entry("relu", new Case(ActivationKind.RELU, 0f, 0f)),
          Map.entry("leaky_relu(0.01)", new Case(ActivationKind.LEAKY_RELU, 0.01f, 0f)),
          Map.entry("elu(1.0)", new Case(ActivationKind.ELU, 1f, 0f)),
          Map.entry("selu", new Case(ActivationKind.SELU, 0f, 0f)),
          Map.entry("softplus", new Case(ActivationKind.SOFTPLUS, 0f, 0f)),
          Map.entry("swish", new Case(ActivationKind.SWISH, 0f, 0f)),
          Map.entry("abs", new Case(ActivationKind.ABS, 0f, 0f)),
          Map.entry("prelu(0.25)", new Case(ActivationKind.PRELU, 0f, 0.25f)),
          Map.entry("linear", new Case(ActivationKind.LINEAR, 0f, 0f)));

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void everyGoldenActivation(Backend backend) {
    ACTIVATIONS
        .fieldNames()
        .forEachRemaining(
            name -> {
              Case c = CASES.get(name);
              if (c == null) {
                throw new AssertionError("golden activation '" + name + "' has no test mapping");
              }
              check(backend, name, c.kind(), c);
              if (c.kind() == ActivationKind.PRELU) {
                // RReLU with every slope equal to the PReLU slope is the same function.
                check(backend, name, ActivationKind.RRELU, c);
              }
            });
  }

  private static void check(Backend backend, String name, ActivationKind kind, Case c) {
    JsonNode entry = ACTIVATIONS.get(name);
    float[] x = Golden.floats(entry.get("x"));
    double[] y = Golden.doubles(entry.get("y"));
    double[] dy = Golden.doubles(entry.get("dy_dx"));
    int n = x.length;
    // The inputs are rounded to float32 (|dx| <= EPS |x|), which moves y by |f'(x)| EPS |x| and
    // f'(x) by |f''(x)| EPS |x| (|f''| <= 2 for all of these). On top: 32 EPS relative for
    // float32 transcendental functions, 4 EPS absolute for terms formed by cancellation near 1
    // (sigmoid' from out (1 - out), tanh' = 1 - out^2, e^x - 1).
    double[] yTol = new double[n];
    double[] dyTol = new double[n];
    for (int i = 0; i < n; i++) {
      yTol[i] = Math.abs(dy[i]) * EPS * Math.abs(x[i]) + 32 * EPS * Math.abs(y[i]) + 4 * EPS;
      dyTol[i] = 2 * EPS * Math.abs(x[i]) + 32 * EPS * Math.abs(dy[i]) + 4 * EPS;
    }
    int rows = 8;
    int cols = n / rows;
    try (TensorScope s = new TensorScope(backend)) {
      Tensor slopes = null;
      if (kind == ActivationKind.PRELU) {
        float[] perColumn = new float[cols];
        Arrays.fill(perColumn, c.slope());
        slopes = s.vector(perColumn);
      } else if (kind == ActivationKind.RRELU) {
        float[] perElement = new float[n];
        Arrays.fill(perElement, c.slope());
        slopes = s.matrix(perElement, rows, cols);
      }
      Tensor z = s.matrix(x, rows, cols);
      Tensor out = s.zeros(rows, cols);
      backend.biasActivationForward(kind, c.alpha(), slopes, z, null, out);
      Check.assertClose("golden " + name + " as " + kind + " f(x)", y, out.toArray(), yTol);
      float[] ones = new float[n];
      Arrays.fill(ones, 1f);
      Tensor gradIn = s.zeros(rows, cols);
      backend.activationBackward(
          kind, c.alpha(), slopes, z, out, s.matrix(ones, rows, cols), gradIn);
      Check.assertClose("golden " + name + " as " + kind + " f'(x)", dy, gradIn.toArray(), dyTol);
    }
  }
}
