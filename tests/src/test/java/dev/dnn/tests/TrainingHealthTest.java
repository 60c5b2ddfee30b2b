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
import dev.dnn.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /** The run of {@link #aFiniteButHugeLossStopsTraining}, with the divergence check given. */
  private static History diverging(Backend backend, double factor, int patience, List<Double> out) {
    DataSet data = TrainingTest.blobs(64, 6, 1);
    try (Model model = small(backend, 1)) {
      return Trainer.builder()
          .loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .optimizer(Adam.learningRate(1e6))
          .batchSize(8)
          .epochs(20)
          .divergence(factor, patience)
          .listener(
              new TrainingListener() {
                @Override
                public void onBatchEnd(Model m, int epoch, int batch, long step, double loss) {
                  assertEquals(out.size(), step, "steps are counted from 0 without gaps");
                  out.add(loss);
                }
              })
          .build()
          .fit(model, data);
    }
  }

  /**
   * The step at which a check of {@code factor} and {@code patience} stops a run whose batch losses
   * are {@code losses}, by the rule the builder documents; -1 if it does not.
   */
  private static int predictedStop(List<Double> losses, double factor, int patience) {
    double reference = Math.max(losses.get(0), Math.log(3));
    int consecutive = 0;
    for (int step = 0; step < losses.size(); step++) {
      consecutive = losses.get(step) > factor * reference ? consecutive + 1 : 0;
      if (consecutive >= patience) {
        return step;
      }
    }
    return -1;
  }

  /** The step at which the run of {@link #diverging} stops with the check given. */
  private static long stopStep(Backend backend, double factor, int patience) {
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () -> diverging(backend, factor, patience, new ArrayList<>()));
    assertTrue(Double.isFinite(e.loss()), e.getMessage());
    assertTrue(e.getMessage().contains(patience + " consecutive batches"), e.getMessage());
    return e.step();
  }

  /**
   * The same seeded run, whose loss grows by orders of magnitude, first with the finite check off
   * (factor 0) to record every batch loss, then with other factors and patiences: each stops
   * exactly where the recorded losses say it must, so a setting that were ignored would stop
   * elsewhere.
   */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void theDivergenceFactorAndPatienceDecideWhereTheRunStops(Backend backend) {
    List<Double> losses = new ArrayList<>();
    try {
      diverging(backend, 0, 1, losses);
    } catch (TrainingDivergedException e) {
      // With the factor off only a loss that is no longer finite stops the run.
      assertFalse(Double.isFinite(e.loss()), e.getMessage());
    }
    int byDefault = predictedStop(losses, 100, 5);
    assertTrue(byDefault > 0, "the recorded run must exceed the default check: " + losses);
    assertTrue(losses.size() > byDefault, "factor 0 let the run go on past the default stop");
    assertEquals(byDefault, stopStep(backend, 100, 5));

    // Patience: one batch above the factor is enough; five need at least four batches more.
    int impatient = predictedStop(losses, 100, 1);
    assertTrue(impatient >= 0 && impatient + 4 <= byDefault, impatient + " vs " + byDefault);
    assertEquals(impatient, stopStep(backend, 100, 1));

    // Factor: one just above or below a recorded loss (relative to the reference), with a patience
    // under which it stops the run elsewhere than factor 100 does; the first such pair is taken.
    double reference = Math.max(losses.get(0), Math.log(3));
    double factor = 0;
    int patience = 0;
    int stop = -1;
    search:
    for (int p = 1; p <= 5; p++) {
      for (double loss : losses) {
        for (double f :
            new double[] {loss / reference * (1 + 1e-6), loss / reference * (1 - 1e-6)}) {
          int at = predictedStop(losses, f, p);
          if (f > 1 && f != 100 && at >= 0 && at != predictedStop(losses, 100, p)) {
            factor = f;
            patience = p;
            stop = at;
            break search;
          }
        }
      }
    }
    assertTrue(stop >= 0, "no factor of the recorded losses moves the stop: " + losses);
    assertEquals(stop, stopStep(backend, factor, patience), "factor " + factor + ", " + patience);

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
    // The same run with the vanishing check off flags nothing.
    try (Model model = Model.sequential(layers.toArray(LayerSpec[]::new)).on(backend, 2)) {
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Sgd.learningRate(0.1))
              .batchSize(16)
              .epochs(1)
              .gradientHealth(0, 100)
              .build()
              .fit(model, data);
      assertEquals(GradientHealth.healthy(), history.last().gradientHealth());
    }
  }

  /** The last epoch of the shallow run of {@link #aShallowReluNetworkIsHealthy}. */
  private static EpochStats shallow(Backend backend, double vanishing, double exploding) {
    DataSet data = TrainingTest.blobs(64, 6, 1);
    try (Model model = small(backend, 1)) {
      return Trainer.builder()
          .loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .optimizer(Adam.learningRate(1e-2))
          .batchSize(16)
          .epochs(2)
          .gradientHealth(vanishing, exploding)
          .build()
          .fit(model, data)
          .last();
    }
  }

  /** The layers the documented rule flags, computed here from the norms an epoch recorded. */
  private static GradientHealth predicted(EpochStats stats, double vanishing, double exploding) {
    Map<String, Double> norms = stats.gradientNorms();
    double largest = norms.values().stream().mapToDouble(d -> d).max().orElse(0);
    List<String> small = new ArrayList<>();
    List<String> large = new ArrayList<>();
    for (Map.Entry<String, Double> e : norms.entrySet()) {
      double weights = stats.weightNorms().get(e.getKey());
      if (exploding > 0 && e.getValue() > exploding * weights) {
        large.add(e.getKey());
      } else if (vanishing > 0 && e.getValue() < vanishing * largest) {
        small.add(e.getKey());
      }
    }
    return new GradientHealth(small, large);
  }

  /**
   * Thresholds chosen from the norms of the default run, which flags nothing, so that some layers
   * fall on the other side: each setting must flag exactly the layers the rule names for it.
   */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void theGradientHealthThresholdsDecideWhichLayersAreFlagged(Backend backend) {
    EpochStats defaults = shallow(backend, 1e-5, 100);
    assertTrue(defaults.gradientHealth().isHealthy(), defaults.toString());
    Map<String, Double> norms = defaults.gradientNorms();
    assertEquals(2, norms.size(), norms.toString());
    double largest = norms.values().stream().mapToDouble(d -> d).max().orElse(0);
    double smallest = norms.values().stream().mapToDouble(d -> d).min().orElse(0);
    assertTrue(0 < smallest && smallest < largest, norms.toString());
    // Between the smaller layer's share of the largest norm and 1: that layer now vanishes.
    double vanishing = Math.sqrt(smallest / largest);
    GradientHealth expected = predicted(defaults, vanishing, 100);
    assertEquals(1, expected.vanishing().size(), expected.toString());
    assertEquals(expected, shallow(backend, vanishing, 100).gradientHealth());
    // Half the largest ratio of gradient to weight norm: that layer now explodes.
    double ratio = 0;
    for (Map.Entry<String, Double> e : norms.entrySet()) {
      ratio = Math.max(ratio, e.getValue() / defaults.weightNorms().get(e.getKey()));
    }
    GradientHealth exploding = predicted(defaults, 1e-5, ratio / 2);
    assertFalse(exploding.exploding().isEmpty(), exploding.toString());
    assertEquals(exploding, shallow(backend, 1e-5, ratio / 2).gradientHealth());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .optimizer(Sgd.learningRate(0.1))
                .gradientHealth(1, 100)
                .build());
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
