package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Maxout;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Residual;
import dev.dnn.optim.Adam;
import dev.dnn.tensor.Tensor;
import dev.dnn.train.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a layer spec says of itself (stored values, the input width it needs, the fewest training
 * rows) agrees with the live layers a backend builds from it.
 */
class LayerSpecSizesTest {
  private static final ModelSpec EVERY_KIND =
      Model.sequential(
          Residual.of(Dense.of(6, 6), Activation.prelu(0.2)),
          Dense.of(6, 12),
          Maxout.of(2),
          BatchNorm.of(),
          Activation.TANH,
          Dropout.keep(0.9),
          Residual.of(BatchNorm.of(), Activation.RELU),
          Dense.of(6, 3));

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void storedValuesAreWhatTheModelHolds(Backend backend) {
    assertEquals(6, EVERY_KIND.inputs(), "the input width is found inside the first residual");
    long declared = 0;
    int width = EVERY_KIND.inputs();
    for (LayerSpec layer : EVERY_KIND.layers()) {
      declared += layer.storedValues(width);
      width = layer.outputWidth(width);
    }
    try (Model model = EVERY_KIND.on(backend, 1)) {
      long held = 0;
      for (Tensor t : model.namedTensors().values()) {
        held += t.size();
      }
      assertEquals(held, declared);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aBatchNormInsideAResidualNeedsTwoRowsPerBatch(Backend backend) {
    assertEquals(2, EVERY_KIND.layers().get(6).minimumTrainingRows());
    assertEquals(1, EVERY_KIND.layers().get(0).minimumTrainingRows());
    float[] x = new float[7 * 6];
    DataSet seven = DataSet.classification(x, 6, new int[7], 3);
    try (Model model = EVERY_KIND.on(backend, 1)) {
      Trainer trainer =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Adam.learningRate(1e-3))
              .batchSize(3) // 7 = 2 x 3 + 1: a last batch of one
              .epochs(1)
              .build();
      assertThrows(IllegalArgumentException.class, () -> trainer.fit(model, seven, null));
    }
  }
}
