package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Adam;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Tensor;
import dev.dnn.train.History;
import dev.dnn.train.Trainer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Frozen layers keep their weights bit for bit, and no gradient work is done for them: the GEMMs
 * the backend is asked for are counted, and a frozen prefix must cost neither weight-gradient nor
 * input-gradient products.
 */
class FreezingTest {
  private static final int N = 96;
  private static final int BATCH = 32;
  private static final int EPOCHS = 2;
  private static final int STEPS = EPOCHS * (N / BATCH);

  // Top-level layers: 0 dense+relu (fused), 1 relu, 2 dense+relu, 3 relu, 4 dropout, 5 dense.
  private static final ModelSpec SPEC =
      Model.sequential(
          10,
          Dense.of(10, 12),
          Activation.RELU,
          Dense.of(12, 8),
          Activation.RELU,
          Dropout.keep(0.9),
          Dense.of(8, 3));

  /** Counts the GEMMs by kind: forward (N,N), weight gradient (T,N), input gradient (N,T). */
  private static final class GemmCounter {
    final Map<String, Integer> counts = new LinkedHashMap<>();

    Backend wrap(Backend real) {
      return (Backend)
          Proxy.newProxyInstance(
              Backend.class.getClassLoader(),
              new Class<?>[] {Backend.class},
              (proxy, method, args) -> {
                if (method.getName().equals("gemm")) {
                  String kind = ((Boolean) args[0] ? "T" : "N") + ((Boolean) args[1] ? "T" : "N");
                  counts.merge(kind, 1, Integer::sum);
                }
                try {
                  return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }

    int get(String kind) {
      return counts.getOrDefault(kind, 0);
    }
  }

  private static DataSet data() {
    float[] x = new float[N * 10];
    int[] y = new int[N];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 * Philox.uniform(9, 0, i) - 1;
    }
    for (int i = 0; i < N; i++) {
      y[i] = x[10 * i] > 0.2f ? 2 : (x[10 * i + 1] > 0 ? 1 : 0);
    }
    return DataSet.classification(x, 10, y, 3);
  }

  private static History train(Model model) {
    try (Adam adam = Adam.learningRate(1e-2)) {
      return Trainer.builder()
          .loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .optimizer(adam)
          .batchSize(BATCH)
          .epochs(EPOCHS)
          .seed(4)
          .build()
          .fit(model, data());
    }
  }

  private static Map<String, float[]> host(Map<String, Tensor> tensors) {
    Map<String, float[]> host = new LinkedHashMap<>();
    tensors.forEach((k, t) -> host.put(k, t.toArray()));
    return host;
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void frozenPrefixIsUntouchedAndCostsNoGradientWork(Backend backend) {
    GemmCounter counter = new GemmCounter();
    try (Model model = Model.fromSpec(SPEC, counter.wrap(backend), 6)) {
      model.freeze(4);
      Map<String, float[]> before = host(model.namedTensors());
      History history = train(model);

      for (String name : new String[] {"layers.0.weight", "layers.0.bias", "layers.2.weight"}) {
        assertArrayEquals(before.get(name), model.get(name), 0f, name + " of a frozen layer");
        // Gradient buffers start at zero; any gradient work for the layer would have written them.
        for (Tensor g : model.layer(Integer.parseInt(name.split("\\.")[1])).gradients().values()) {
          assertEquals(0.0, backend.squaredNorm(g), 0.0, "gradient of frozen " + name);
        }
      }
      assertFalse(
          java.util.Arrays.equals(before.get("layers.5.weight"), model.get("layers.5.weight")),
          "the trainable head did not change");
      assertEquals(
          java.util.Set.of("layers.5"),
          history.last().gradientNorms().keySet(),
          "gradient norms are reported for trainable layers only");

      // Per step: 3 forward products, 1 weight gradient (the head), no input gradient (nothing
      // trainable below the head needs one).
      assertEquals(3 * STEPS, counter.get("NN"), "forward GEMMs");
      assertEquals(STEPS, counter.get("TN"), "weight-gradient GEMMs");
      assertEquals(0, counter.get("NT"), "input-gradient GEMMs");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void anUnfrozenModelDoesAllTheGradientWork(Backend backend) {
    // The counter's baseline: the same run without freezing needs every gradient product, so the
    // counts above can only pass because freezing skipped work.
    GemmCounter counter = new GemmCounter();
    try (Model model = Model.fromSpec(SPEC, counter.wrap(backend), 6)) {
      Map<String, float[]> before = host(model.namedTensors());
      train(model);
      assertFalse(
          java.util.Arrays.equals(before.get("layers.0.weight"), model.get("layers.0.weight")));
      assertEquals(3 * STEPS, counter.get("NN"));
      assertEquals(3 * STEPS, counter.get("TN"));
      assertEquals(2 * STEPS, counter.get("NT"));
      assertTrue(counter.counts.keySet().stream().allMatch(k -> !k.equals("TT")));
    }
  }
}
