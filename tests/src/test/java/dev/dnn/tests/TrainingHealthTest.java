package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.init.Init;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.optim.Adam;
import dev.dnn.optim.Sgd;
import dev.dnn.train.EpochStats;
import dev.dnn.train.GradientHealth;
import dev.dnn.train.History;
import dev.dnn.train.Trainer;
import dev.dnn.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Divergence while the loss is finite, vanishing gradients, and trainers fitting several models.
 */
class TrainingHealthTest {
  private static Model small(Backend backend, long seed) {
    return Model.sequential(Dense.of(6, 16), Activation.RELU, Dense.of(16, 3)).on(backend, seed);
  }

  private static double[] losses(History history) {
    return history.epochs().stream().mapToDouble(EpochStats::trainLoss).toArray();
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aFiniteButHugeLossStopsTraining(Backend backend) {
    DataSet data = TrainingTest.blobs(64, 6, 1);
    try (Model model = small(backend, 1)) {
      Trainer trainer =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Adam.learningRate(1e6))
              .batchSize(8)
              .epochs(20)
              .build();
      TrainingDivergedException e =
          assertThrows(TrainingDivergedException.class, () -> trainer.fit(model, data));
      assertTrue(Double.isFinite(e.loss()), "caught while still finite: " + e.getMessage());
      assertTrue(e.loss() > 100 * Math.log(3), e.getMessage());
      assertTrue(e.getMessage().contains("consecutive batches"), e.getMessage());
      assertTrue(e.step() >= 5, "five batches above the threshold are needed: " + e.step());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void theDivergenceCheckIsConfigurable(Backend backend) {
    DataSet data = TrainingTest.blobs(64, 6, 1);
    try (Model model = small(backend, 1)) {
      // A factor this large is never reached by a loss that stays finite in float32.
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Sgd.learningRate(0.1))
              .batchSize(8)
              .epochs(2)
              .divergence(1e300, 1)
              .build()
              .fit(model, data);
      assertEquals(2, history.epochs().size());
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .optimizer(Sgd.learningRate(0.1))
                .divergence(0.5, 5)
                .build());
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void vanishingGradientsOfADeepSigmoidNetworkAreReported(Backend backend) {
    DataSet data = TrainingTest.blobs(64, 6, 2);
    List<LayerSpec> layers = new ArrayList<>();
    layers.add(Dense.of(6, 16).init(Init.GLOROT_UNIFORM));
    for (int i = 0; i < 30; i++) {
      layers.add(Activation.SIGMOID);
      layers.add(Dense.of(16, 16).init(Init.GLOROT_UNIFORM));
    }
    layers.add(Activation.SIGMOID);
    layers.add(Dense.of(16, 3));
    try (Model model = Model.sequential(layers.toArray(LayerSpec[]::new)).on(backend, 2)) {
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Sgd.learningRate(0.1))
              .batchSize(16)
              .epochs(1)
              .build()
              .fit(model, data);
      GradientHealth health = history.last().gradientHealth();
      // Each sigmoid scales the gradient by at most 1/4: 30 of them by below 1e-18.
      assertTrue(health.vanishing().contains("layers.0"), health.toString());
      assertFalse(health.vanishing().contains("layers.62"), health.toString());
      assertEquals(List.of(), health.exploding());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aShallowReluNetworkIsHealthy(Backend backend) {
    DataSet data = TrainingTest.blobs(64, 6, 1);
    try (Model model = small(backend, 1)) {
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Adam.learningRate(1e-2))
              .batchSize(16)
              .epochs(2)
              .build()
              .fit(model, data);
      history.epochs().forEach(e -> assertTrue(e.gradientHealth().isHealthy(), e.toString()));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aTrainerFittingANewModelStartsFromFreshOptimizerState(Backend backend) {
    DataSet data = TrainingTest.blobs(64, 6, 1);
    Adam adam = Adam.learningRate(1e-2);
    Trainer reused =
        Trainer.builder()
            .loss(Loss.SOFTMAX_CROSS_ENTROPY)
            .optimizer(adam)
            .batchSize(16)
            .epochs(3)
            .seed(4)
            .build();
    Trainer fresh =
        Trainer.builder()
            .loss(Loss.SOFTMAX_CROSS_ENTROPY)
            .optimizer(Adam.learningRate(1e-2))
            .batchSize(16)
            .epochs(3)
            .seed(4)
            .build();
    try (Model first = small(backend, 7);
        Model second = small(backend, 1);
        Model reference = small(backend, 1)) {
      reused.fit(first, data);
      double[] secondLosses = losses(reused.fit(second, data));
      assertArrayEquals(losses(fresh.fit(reference, data)), secondLosses);
      assertEquals(12, adam.stepCount(), "the count restarted for the second model");
      // The same model again continues where it stopped.
      reused.fit(second, data);
      assertEquals(24, adam.stepCount());
    } finally {
      adam.close();
      fresh.optimizer().close();
    }
  }
}
