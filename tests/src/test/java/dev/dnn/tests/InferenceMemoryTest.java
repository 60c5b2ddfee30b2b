package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Maxout;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Residual;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inference shares its activation buffers across layers: memory follows the widest activation and
 * the batch size, not the layer count, and the numbers are those of the per-layer forward pass.
 */
class InferenceMemoryTest {
  private static final int FEATURES = 6;
  private static final int WIDTH = 16;

  /** A view of {@code backend} that counts the floats of every tensor it is asked to create. */
  private static Backend counting(Backend backend, AtomicLong floats) {
    return (Backend)
        Proxy.newProxyInstance(
            Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class},
            (proxy, method, args) -> {
              String name = method.getName();
              if (name.equals("zeros") || name.equals("fromHost")) {
                floats.addAndGet(((Shape) args[args.length - 1]).size());
              }
              try {
                return method.invoke(backend, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static float[] inputs(int rows, long seed) {
    float[] values = new float[rows * FEATURES];
    Philox.fillUniform(seed, 3, 0, values, 0, values.length);
    for (int i = 0; i < values.length; i++) {
      values[i] = 2 * values[i] - 1;
    }
    return values;
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void twoThousandActivationLayersPredictInMemoryOfAFewActivations(Backend backend) {
    List<LayerSpec> layers = new ArrayList<>();
    layers.add(Dense.of(FEATURES, WIDTH));
    for (int i = 0; i < 2000; i++) {
      layers.add(i % 2 == 0 ? Activation.TANH : Activation.SOFTPLUS);
    }
    layers.add(Dense.of(WIDTH, 3));
    ModelSpec spec = new ModelSpec(FEATURES, layers);
    int rows = 50;
    AtomicLong floats = new AtomicLong();
    try (Model model = spec.on(counting(backend, floats), 1)) {
      DataSet data = DataSet.unlabeled(inputs(rows, 4), FEATURES);
      floats.set(0);
      float[] shared = model.predictOutputs(data);
      long allocated = floats.get();
      // The uploaded batch, two sides and one scratch of [rows, WIDTH], the [rows, 3] outputs and
      // probabilities and the [rows, 1] classes (a prediction keeps the scratch of every kind of
      // answer): the per-layer path would need 2,000 [rows, WIDTH] outputs (1.6 million floats).
      long bound = rows * (FEATURES + 3L * WIDTH + 2 * 3 + 1);
      assertTrue(allocated <= bound, allocated + " floats allocated, bound " + bound);

      floats.set(0);
      assertArrayEquals(shared, model.predictOutputs(data));
      assertTrue(floats.get() == 0, "a repeated call allocated " + floats.get() + " floats");

      try (Tensor x = backend.fromHost(inputs(rows, 4), Shape.matrix(rows, FEATURES))) {
        assertArrayEquals(model.forward(x).toArray(), shared);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void everyLayerKindPredictsBitForBitWhatTheForwardPassComputes(Backend backend) {
    ModelSpec spec =
        Model.sequential(
            FEATURES,
            Dense.of(FEATURES, WIDTH),
            Activation.RELU,
            Activation.prelu(0.2),
            BatchNorm.of(),
            Residual.of(
                Dense.of(WIDTH, 8),
                Activation.TANH,
                Residual.of(Activation.randomizedLeakyRelu(0.1, 0.3), Dropout.keep(0.5)),
                Dense.of(8, WIDTH)),
            Dropout.keep(0.8),
            Maxout.of(2),
            Dense.of(WIDTH / 2, 4),
            Activation.SWISH,
            Dense.of(4, 3));
    try (Model model = spec.on(backend, 7)) {
      float[] mean = new float[WIDTH];
      float[] variance = new float[WIDTH];
      for (int i = 0; i < WIDTH; i++) {
        mean[i] = 0.05f * i - 0.3f;
        variance[i] = 0.5f + 0.1f * i;
      }
      model.set("layers.3.running_mean", mean);
      model.set("layers.3.running_var", variance);
      for (int rows : new int[] {300, 17, 300}) {
        float[] x = inputs(rows, rows);
        float[] shared = model.predictOutputs(DataSet.unlabeled(x, FEATURES));
        try (Tensor input = backend.fromHost(x, Shape.matrix(rows, FEATURES))) {
          assertArrayEquals(model.forward(input).toArray(), shared, rows + " rows");
        }
      }
    }
  }
}
