package dev.dnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.loss.Loss;
import dev.dnn.optim.Adam;
import dev.dnn.optim.LearningRateSchedule;
import dev.dnn.optim.Momentum;
import dev.dnn.optim.Sgd;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TrainerBuilderTest {
  @Test
  void badHyperparametersAreRejectedWithTheirName() {
    expect("loss", () -> Trainer.builder().optimizer(Sgd.learningRate(0.1)).build());
    expect("optimizer", () -> Trainer.builder().loss(Loss.MEAN_SQUARED_ERROR).build());
    expect("batch size", () -> valid().batchSize(0).build());
    expect("epochs", () -> valid().epochs(0).build());
    expect("clipping", () -> valid().clipGradientNorm(-1).build());
    expect("learning rate", () -> Sgd.learningRate(0));
    expect("learning rate", () -> Adam.learningRate(Double.NaN));
    expect("momentum", () -> Momentum.learningRate(0.1).momentum(1.0));
    expect("beta2", () -> Adam.learningRate(0.1).beta2(-0.1));
    expect("weight decay", () -> Adam.learningRate(0.1).weightDecay(-1));
    expect("patience", () -> EarlyStopping.onDevLoss().patience(0));
    expect("period", () -> LearningRateSchedule.step(0, 0.5));
  }

  private static Trainer.Builder valid() {
    return Trainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Sgd.learningRate(0.1));
  }

  private static void expect(String word, Supplier<?> action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::get);
    assertTrue(e.getMessage().contains(word), e.getMessage());
  }

  @Test
  void schedules() {
    assertEquals(0.1, LearningRateSchedule.constant().learningRate(0.1, 7), 0);
    assertEquals(0.025, LearningRateSchedule.step(2, 0.5).learningRate(0.1, 5), 1e-15);
    assertEquals(
        0.1 * 0.9 * 0.9, LearningRateSchedule.exponential(0.9).learningRate(0.1, 2), 1e-15);
    LearningRateSchedule cosine = LearningRateSchedule.cosine(10, 0.01);
    assertEquals(0.1, cosine.learningRate(0.1, 0), 1e-15);
    assertEquals(0.055, cosine.learningRate(0.1, 5), 1e-15);
    assertEquals(0.01, cosine.learningRate(0.1, 10), 1e-15);
  }

  @Test
  void aScheduleMayTakeTheLearningRateDownToZero() {
    // Cosine annealing to 0 (PyTorch's default floor) stays at 0 after its period; the trainer
    // hands that rate to the optimizer at the start of every later epoch.
    LearningRateSchedule cosine = LearningRateSchedule.cosine(2, 0);
    assertEquals(0, cosine.learningRate(0.1, 2), 0);
    Sgd sgd = Sgd.learningRate(0.1);
    sgd.setLearningRate(cosine.learningRate(0.1, 3));
    assertEquals(0, sgd.learningRate(), 0);
    expect("learning rate", () -> runs(() -> sgd.setLearningRate(-0.1)));
    expect("learning rate", () -> runs(() -> sgd.setLearningRate(Double.POSITIVE_INFINITY)));
  }

  private static Object runs(Runnable action) {
    action.run();
    return null;
  }

  @Test
  void shuffleIsAPermutationThatDependsOnSeedAndEpoch() {
    int[] a = Shuffle.order(1000, 1, 0);
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
    assertTrue(Arrays.equals(a, Shuffle.order(1000, 1, 0)));
    assertTrue(!Arrays.equals(a, Shuffle.order(1000, 1, 1)));
    assertTrue(!Arrays.equals(a, Shuffle.order(1000, 2, 0)));
  }
}
