package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.data.GaussianNoise;
import dev.dnn.io.CheckpointListener;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Adam;
import dev.dnn.optim.LearningRateSchedule;
import dev.dnn.optim.Optimizer;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Tensor;
import dev.dnn.train.EpochStats;
import dev.dnn.train.History;
import dev.dnn.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run interrupted by a checkpoint and resumed in a fresh model and optimizer ends where the
 * uninterrupted run ends: shuffles, dropout masks, the learning-rate schedule and Adam's moments
 * and bias correction all continue from the saved position.
 */
class ResumeTest {
  private static final long SEED = 77;
  private static final int EPOCHS = 4;

  @TempDir Path dir;

  // Dropout makes the masks depend on the step, the schedule makes the rate depend on the epoch,
  // the input noise depends on epoch and batch, and the 100 examples in batches of 16 leave a
  // partial last batch: each would break exactness
  // if the resumed run restarted its counters.
  private static final ModelSpec SPEC =
      Model.sequential(8, Dense.of(8, 16), Activation.RELU, Dropout.keep(0.8), Dense.of(16, 3));

  private static DataSet data() {
    int n = 100;
    float[] x = new float[n * 8];
    int[] y = new int[n];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 * Philox.uniform(5, 0, i) - 1;
    }
    for (int i = 0; i < n; i++) {
      y[i] = x[8 * i] + x[8 * i + 1] > 0.3f ? 2 : (x[8 * i + 2] > 0 ? 1 : 0);
    }
    return DataSet.classification(x, 8, y, 3);
  }

  private static Trainer trainer(Optimizer optimizer, CheckpointListener listener) {
    Trainer.Builder b =
        Trainer.builder()
            .loss(Loss.SOFTMAX_CROSS_ENTROPY)
            .optimizer(optimizer)
            .batchSize(16)
            .epochs(EPOCHS)
            .seed(SEED)
            .schedule(LearningRateSchedule.step(1, 0.5))
            .augmentation(new GaussianNoise(0.05f));
    if (listener != null) {
      b.listener(listener);
    }
    return b.build();
  }

  private static Map<String, float[]> host(Map<String, Tensor> tensors) {
    Map<String, float[]> host = new LinkedHashMap<>();
    tensors.forEach((k, t) -> host.put(k, t.toArray()));
    return host;
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void resumedRunEndsWithTheUninterruptedWeights(Backend backend) throws IOException {
    DataSet train = data();
    DataSet dev = data().select(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
    Path checkpoint = dir.resolve("run.safetensors");

    try (Model straight = Model.fromSpec(SPEC, backend, 3);
        Adam adam = Adam.learningRate(1e-2);
        Model interrupted = Model.fromSpec(SPEC, backend, 3);
        Adam first = Adam.learningRate(1e-2);
        Adam second = Adam.learningRate(1e-2)) {
      History full = trainer(adam, null).fit(straight, train, dev);

      // The interrupted run: a checkpoint every 2 epochs, stopped (here: by early return) after 2.
      Trainer half =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(first)
              .batchSize(16)
              .epochs(2)
              .seed(SEED)
              .schedule(LearningRateSchedule.step(1, 0.5))
              .augmentation(new GaussianNoise(0.05f))
              .listener(new CheckpointListener(checkpoint, first, SEED, 2, null))
              .build();
      half.fit(interrupted, train, dev);

      Trainer rest = trainer(second, null);
      try (ModelFile.Restored restored = ModelFile.loadCheckpoint(checkpoint, backend, second)) {
        assertEquals(2, restored.checkpoint().epoch());
        History resumed = rest.resume(restored.checkpoint(), restored.model(), train, dev);

        assertEquals(2, resumed.epochs().size());
        for (int i = 0; i < 2; i++) {
          EpochStats a = full.epochs().get(2 + i);
          EpochStats b = resumed.epochs().get(i);
          assertEquals(a.epoch(), b.epoch());
          assertEquals(a.learningRate(), b.learningRate());
          assertEquals(a.trainLoss(), b.trainLoss(), 0, "train loss of epoch " + a.epoch());
        }
        // Bit-identical on every backend: each adds its sums in a fixed order.
        float tolerance = 0f;
        Map<String, float[]> expected = host(straight.namedTensors());
        restored
            .model()
            .namedTensors()
            .forEach(
                (name, t) -> assertArrayEquals(expected.get(name), t.toArray(), tolerance, name));
        Map<String, float[]> expectedState = host(adam.state());
        second
            .state()
            .forEach(
                (name, t) ->
                    assertArrayEquals(expectedState.get(name), t.toArray(), tolerance, name));
        assertEquals(adam.stepCount(), second.stepCount());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void resumeRefusesAMismatchedSeedOrOptimizer(Backend backend) throws IOException {
    DataSet train = data();
    Path checkpoint = dir.resolve("run.safetensors");
    try (Model model = Model.fromSpec(SPEC, backend, 3);
        Adam adam = Adam.learningRate(1e-2)) {
      trainer(adam, new CheckpointListener(checkpoint, adam, SEED, 2, null)).fit(model, train);
    }
    try (Adam restoredAdam = Adam.learningRate(1e-2);
        Adam untouched = Adam.learningRate(1e-2);
        ModelFile.Restored restored = ModelFile.loadCheckpoint(checkpoint, backend, restoredAdam)) {
      Trainer otherSeed =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(restoredAdam)
              .epochs(8)
              .seed(SEED + 1)
              .build();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> otherSeed.resume(restored.checkpoint(), restored.model(), train, null));
      assertTrue(e.getMessage().contains("seed " + SEED), e.getMessage());

      Trainer freshOptimizer = trainer(untouched, null);
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> freshOptimizer.resume(restored.checkpoint(), restored.model(), train, null));
      assertTrue(e.getMessage().contains("0 steps"), e.getMessage());

      // The checkpoint holds all 4 epochs: nothing is left to run.
      e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  trainer(restoredAdam, null)
                      .resume(restored.checkpoint(), restored.model(), train, null));
      assertTrue(e.getMessage().contains("completed 4 epochs"), e.getMessage());
    }
  }
}
