package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.internal.random.RandomStreams;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.nn.Residual;
import dev.dnn.optim.LearningRateSchedule;
import dev.dnn.optim.Optimizer;
import dev.dnn.optim.Sgd;
import dev.dnn.train.EpochStats;
import dev.dnn.train.History;
import dev.dnn.train.Trainer;
import dev.dnn.train.TrainingDivergedException;
import dev.dnn.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient clipping, augmentation and listener-driven learning rates, on every backend. */
class TrainerOptionsTest {

  private static Map<String, float[]> snapshot(Model model) {
    Map<String, float[]> w = new java.util.LinkedHashMap<>();
    model.parameters().forEach((name, t) -> w.put(name, t.toArray()));
    return w;
  }

  private static double distance(Map<String, float[]> a, Map<String, float[]> b) {
    double sum = 0;
    for (String name : a.keySet()) {
      for (int i = 0; i < a.get(name).length; i++) {
        double d = (double) a.get(name)[i] - b.get(name)[i];
        sum += d * d;
      }
    }
    return Math.sqrt(sum);
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void clippingBoundsTheGlobalGradientNorm(Backend backend) {
    DataSet data = TrainingTest.blobs(40, 6, 1);
    try (Model model =
        Model.sequential(Dense.of(6, 8), Activation.TANH, Dense.of(8, 3)).on(backend, 1)) {
      Map<String, float[]> before = snapshot(model);
      // One full-batch SGD step with lr 1: the parameters move by exactly the clipped gradient,
      // whose global norm is the clipping threshold (the unclipped norm here is far above it).
      Trainer.builder()
          .loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .optimizer(Sgd.learningRate(1.0))
          .batchSize(40)
          .epochs(1)
          .clipGradientNorm(1e-3)
          .build()
          .fit(model, data);
      // float32 parameters of order 0.5 move by ~1e-4 each: rounding of 3e-8 per element over 51
      // elements is at most 1e-6 of the distance, so 1e-2 relative is generous.
      assertEquals(1e-3, distance(before, snapshot(model)), 1e-5);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void historyRecordsTheGradientNormsBeforeClipping(Backend backend) {
    DataSet data = TrainingTest.blobs(40, 6, 1);
    try (Model model =
        Model.sequential(Dense.of(6, 8), Activation.TANH, Dense.of(8, 3)).on(backend, 1)) {
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Sgd.learningRate(1.0))
              .batchSize(40)
              .epochs(1)
              .clipGradientNorm(1e-6)
              .build()
              .fit(model, data);
      // The step was clipped to a global norm of 1e-6, but what the history shows for each layer
      // must be the raw gradient, many orders above that (an untrained 3-class softmax on blobs).
      Map<String, Double> norms = history.epochs().get(0).gradientNorms();
      assertEquals(2, norms.size(), norms.toString());
      for (Map.Entry<String, Double> e : norms.entrySet()) {
        assertTrue(e.getValue() > 1e-3, e.getKey() + " gradient norm " + e.getValue());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void anOverflowingGradientNormStopsClippedTrainingInsteadOfSkippingTheStep(Backend backend) {
    // Inputs of 1e20 keep the softmax loss finite (about 1e20) but make the weight gradients about
    // 1e20, whose squares overflow float32: clipping cannot scale by a finite factor.
    float[] x = new float[8 * 2];
    java.util.Arrays.fill(x, 1e20f);
    int[] y = {0, 1, 0, 1, 0, 1, 0, 1};
    DataSet data = DataSet.classification(x, 2, y, 2);
    try (Model model = Model.sequential(Dense.of(2, 2)).on(backend, 3)) {
      Map<String, float[]> before = snapshot(model);
      TrainingDivergedException e =
          assertThrows(
              TrainingDivergedException.class,
              () ->
                  Trainer.builder()
                      .loss(Loss.SOFTMAX_CROSS_ENTROPY)
                      .optimizer(Sgd.learningRate(0.1))
                      .batchSize(8)
                      .epochs(1)
                      .clipGradientNorm(1.0)
                      .build()
                      .fit(model, data));
      assertTrue(e.getMessage().contains("the global gradient norm is Infinity"), e.getMessage());
      assertTrue(e.getMessage().contains("at epoch 0, batch 0"), e.getMessage());
      assertTrue(Double.isFinite(e.loss()), "the loss itself was finite: " + e.loss());
      assertEquals(0.0, distance(before, snapshot(model)), 0.0);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void augmentationSeesEveryTrainingBatchWithItsOwnStream(Backend backend) {
    DataSet train = TrainingTest.blobs(50, 6, 2);
    DataSet dev = TrainingTest.blobs(20, 6, 3);
    List<Long> streams = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    try (Model model = Model.sequential(Dense.of(6, 3)).on(backend)) {
      Trainer.builder()
          .loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .optimizer(Sgd.learningRate(0.1))
          .batchSize(20)
          .epochs(2)
          .seed(4)
          .augmentation(
              (batch, n, features, seed, stream) -> {
                assertEquals(4, seed);
                assertEquals(6, features);
                streams.add(stream);
                rows.add(n);
              })
          .build()
          .fit(model, train, dev);
    }
    // Two epochs of 20 + 20 + 10 training rows; dev data is never augmented.
    assertEquals(List.of(20, 20, 10, 20, 20, 10), rows);
    assertEquals(RandomStreams.stream(RandomStreams.AUGMENT, 1, 2), streams.get(5));
    assertEquals(6, streams.stream().distinct().count());
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aListenerCanChangeTheLearningRateBetweenEpochs(Backend backend) {
    DataSet data = TrainingTest.blobs(30, 6, 5);
    Optimizer sgd = Sgd.learningRate(0.1);
    try (Model model = Model.sequential(Dense.of(6, 3)).on(backend)) {
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(sgd)
              .epochs(3)
              .listener(
                  new TrainingListener() {
                    @Override
                    public void onEpochStart(Model m, int epoch) {
                      sgd.setLearningRate(0.1 / (epoch + 1));
                    }
                  })
              .build()
              .fit(model, data);
      List<Double> rates = new ArrayList<>();
      for (EpochStats e : history.epochs()) {
        rates.add(e.learningRate());
      }
      assertEquals(List.of(0.1, 0.05, 0.1 / 3), rates);
      assertTrue(sgd.stepCount() == 3, "one batch of 30 per epoch");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aCosineScheduleToZeroHoldsTheWeightsAfterItsPeriod(Backend backend) {
    DataSet data = TrainingTest.blobs(30, 6, 6);
    List<Map<String, float[]>> afterEpoch = new ArrayList<>();
    try (Model model = Model.sequential(Dense.of(6, 3)).on(backend)) {
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Sgd.learningRate(0.1))
              .schedule(LearningRateSchedule.cosine(2, 0))
              .epochs(4)
              .listener(
                  new TrainingListener() {
                    @Override
                    public void onEpochEnd(Model m, EpochStats stats) {
                      afterEpoch.add(snapshot(m));
                    }
                  })
              .build()
              .fit(model, data);
      assertEquals(4, history.epochs().size());
      assertEquals(0.0, history.epochs().get(2).learningRate());
      assertEquals(0.0, history.epochs().get(3).learningRate());
      assertEquals(0.0, distance(afterEpoch.get(1), afterEpoch.get(3)));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aLastBatchOfOneExampleThatBatchNormCannotTrainIsRejectedBeforeTraining(Backend backend) {
    // 65 examples in batches of 32 leave a last batch of one, and batch normalization (here inside
    // a residual block) cannot estimate a variance from one example. That must be said up front,
    // not after most of the first epoch has run.
    DataSet data = TrainingTest.blobs(65, 6, 7);
    Optimizer sgd = Sgd.learningRate(0.1);
    try (Model model =
        Model.sequential(Dense.of(6, 8), Residual.of(BatchNorm.of()), Dense.of(8, 3)).on(backend)) {
      Map<String, float[]> before = snapshot(model);
      Trainer trainer =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(sgd)
              .batchSize(32)
              .epochs(2)
              .build();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> trainer.fit(model, data));
      assertTrue(e.getMessage().contains("65") && e.getMessage().contains("32"), e.getMessage());
      assertEquals(0, sgd.stepCount());
      assertEquals(0.0, distance(before, snapshot(model)));
    }
  }
}
