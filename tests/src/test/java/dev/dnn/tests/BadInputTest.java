package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.optim.Sgd;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import dev.dnn.train.EarlyStopping;
import dev.dnn.train.Trainer;
import dev.dnn.train.TrainingDivergedException;
import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Wrong data and diverging runs end in exceptions that say what and where. */
class BadInputTest {
  private static Trainer trainer(Loss loss) {
    return Trainer.builder().loss(loss).optimizer(Sgd.learningRate(0.1)).epochs(1).build();
  }

  private static void expect(Executable action, String... words) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
    for (String word : words) {
      assertTrue(e.getMessage().contains(word), "'" + word + "' in: " + e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void dataThatDoesNotFitTheModelIsRejected(Backend backend) {
    try (Model model =
        Model.sequential(Dense.of(6, 4), Activation.RELU, Dense.of(4, 3)).on(backend)) {
      Trainer sce = trainer(Loss.SOFTMAX_CROSS_ENTROPY);
      DataSet fiveFeatures = DataSet.classification(new float[10], 5, new int[] {0, 1}, 3);
      expect(() -> sce.fit(model, fiveFeatures), "5 features", "layers.0", "expects 6");
      DataSet fiveClasses = DataSet.classification(new float[12], 6, new int[] {0, 4}, 5);
      expect(() -> sce.fit(model, fiveClasses), "label 4", "layers.2", "3 outputs");
      DataSet empty = DataSet.classification(new float[0], 6, new int[0], 3);
      expect(() -> sce.fit(model, empty), "empty");
      DataSet good = DataSet.classification(new float[12], 6, new int[] {0, 2}, 3);
      expect(() -> sce.fit(model, good, fiveFeatures), "dev", "5 features");
      expect(() -> trainer(Loss.MEAN_SQUARED_ERROR).fit(model, good), "float targets");
      DataSet twoTargets = DataSet.regression(new float[12], 6, new float[4], 2);
      expect(
          () -> trainer(Loss.MEAN_SQUARED_ERROR).fit(model, twoTargets), "2 targets", "3 outputs");
      Trainer early =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Sgd.learningRate(0.1))
              .earlyStopping(EarlyStopping.onDevAccuracy())
              .build();
      expect(() -> early.fit(model, good), "dev");
      expect(() -> model.predict(fiveFeatures), "5 features", "layers.0");
      try (Tensor wrong = backend.zeros(Shape.matrix(2, 5))) {
        expect(() -> model.forward(wrong), "layers.0", "[2, 5]");
      }
      expect(() -> model.set("layers.0.weight", new float[5]), "layers.0.weight", "got 5");
      expect(() -> model.get("layers.9.weight"), "layers.9.weight", "layers.0.bias");
      expect(() -> model.freeze(4), "4");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void anInfiniteLossStopsTrainingNamingEpochAndStep(Backend backend) {
    float[] x = new float[4 * 2];
    Arrays.fill(x, 1e30f); // squared errors of 1e60 overflow float32
    DataSet data = DataSet.regression(x, 2, new float[4], 1);
    try (Model model =
        Model.sequential(Dense.of(2, 1).init(dev.dnn.init.Init.HE_UNIFORM)).on(backend)) {
      TrainingDivergedException e =
          assertThrows(
              TrainingDivergedException.class,
              () -> trainer(Loss.MEAN_SQUARED_ERROR).fit(model, data));
      assertEquals(0, e.epoch());
      assertEquals(0, e.step());
      assertTrue(e.getMessage().contains("epoch 0"), e.getMessage());
    }
  }
}
