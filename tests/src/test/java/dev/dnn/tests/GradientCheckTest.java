package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.Maxout;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Residual;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of every layer, activation and loss, on every backend: all parameter
 * gradients and the input gradient of a small network (see {@link GradientCheck} for the
 * tolerance).
 */
class GradientCheckTest {
  private static final int ROWS = 6;
  private static final int IN = 4;
  private static final int CLASSES = 3;

  private static final List<Activation> ACTIVATIONS =
      List.of(
          Activation.LINEAR,
          Activation.SIGMOID,
          Activation.TANH,
          Activation.RELU,
          Activation.leakyRelu(0.1),
          Activation.randomizedLeakyRelu(0.1, 0.3),
          Activation.PRELU,
          Activation.elu(0.7),
          Activation.SELU,
          Activation.SOFTPLUS,
          Activation.SWISH,
          Activation.ABS);

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Activation a : ACTIVATIONS) {
      // After a dense layer the activation runs fused into the dense kernel (where eligible)...
      cases.add(
          Arguments.of(
              "dense+" + a.kind(),
              Model.sequential(Dense.of(IN, 5), a, Dense.of(5, CLASSES)),
              Loss.SOFTMAX_CROSS_ENTROPY));
      // ...and on its own as the first layer it runs as a stand-alone activation layer.
      cases.add(
          Arguments.of(
              "standalone " + a.kind(),
              Model.sequential(IN, a, Dense.of(IN, CLASSES)),
              Loss.SOFTMAX_CROSS_ENTROPY));
    }
    for (Loss loss : Loss.values()) {
      cases.add(
          Arguments.of(
              "loss " + loss,
              Model.sequential(Dense.of(IN, 5), Activation.TANH, Dense.of(5, CLASSES)),
              loss));
    }
    cases.add(
        Arguments.of(
            "dropout",
            Model.sequential(
                Dense.of(IN, 6), Activation.TANH, Dropout.keep(0.7), Dense.of(6, CLASSES)),
            Loss.SOFTMAX_CROSS_ENTROPY));
    cases.add(
        Arguments.of(
            "batch norm",
            Model.sequential(
                Dense.of(IN, 6), BatchNorm.of(), Activation.TANH, Dense.of(6, CLASSES)),
            Loss.SOFTMAX_CROSS_ENTROPY));
    cases.add(
        Arguments.of(
            "maxout",
            Model.sequential(Dense.of(IN, 6), Maxout.of(2), Dense.of(3, CLASSES)),
            Loss.SOFTMAX_CROSS_ENTROPY));
    cases.add(
        Arguments.of(
            "residual",
            Model.sequential(
                Dense.of(IN, 5),
                Activation.TANH,
                Residual.of(Dense.of(5, 5), Activation.TANH, Dense.of(5, 5)),
                Dense.of(5, CLASSES)),
            Loss.SOFTMAX_CROSS_ENTROPY));
    // Every case on every backend: the shared instances, whose views JUnit may close harmlessly.
    List<Arguments> withBackends = new ArrayList<>();
    for (Arguments c : cases) {
      Object[] args = c.get();
      TestBackends.all().forEach(b -> withBackends.add(Arguments.of(b, args[0], args[1], args[2])));
    }
    return withBackends.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void gradientsMatchFiniteDifferences(Backend backend, String what, ModelSpec spec, Loss loss) {
    float[] x = TestData.gaussian(ROWS * IN, 1);
    float[] targets =
        loss.usesClassLabels()
            ? TestData.labels(ROWS, CLASSES, 2)
            : TestData.uniform(ROWS * CLASSES, 2);
    GradientCheck check = new GradientCheck(backend, spec, loss, x, ROWS, targets);
    try {
      int checks = check.run(backend.name() + " " + what);
      assertTrue(checks > ROWS * IN, "checked " + checks + " derivatives");
    } finally {
      check.close();
    }
  }
}
