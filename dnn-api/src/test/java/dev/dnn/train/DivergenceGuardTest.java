package dev.dnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.loss.Loss;
import org.junit.jupiter.api.Test;

class DivergenceGuardTest {
  private static final double LN10 = Math.log(10);

  @Test
  void aFiniteLossAboveTheFactorForPatienceBatchesDiverges() {
    DivergenceGuard guard = new DivergenceGuard(100, 3, Loss.SOFTMAX_CROSS_ENTROPY, 10);
    guard.check(0, 0, 0, 2.0); // below ln 10: the reference is chance level
    guard.check(0, 1, 1, 100 * LN10 * 1.01);
    guard.check(0, 2, 2, 100 * LN10 * 1.01);
    TrainingDivergedException e =
        assertThrows(TrainingDivergedException.class, () -> guard.check(1, 0, 3, 2.5e18));
    assertEquals(1, e.epoch());
    assertEquals(3, e.step());
    assertEquals(2.5e18, e.loss());
    assertTrue(e.getMessage().contains("loss 2.500e+18"), e.getMessage());
    assertTrue(e.getMessage().contains("100 x its reference 2.303"), e.getMessage());
    assertTrue(e.getMessage().contains("3 consecutive batches"), e.getMessage());
    assertTrue(e.getMessage().contains("at epoch 1, batch 0 (step 3)"), e.getMessage());
  }

  @Test
  void aSpikeThatRecoversIsTolerated() {
    DivergenceGuard guard = new DivergenceGuard(100, 3, Loss.SOFTMAX_CROSS_ENTROPY, 10);
    for (int step = 0; step < 30; step++) {
      // Two batches far above, one back below: never three in a row.
      guard.check(0, step, step, step % 3 == 2 ? 1.0 : 1e6);
    }
  }

  @Test
  void theReferenceIsTheFirstLossWhenItIsAboveChanceLevel() {
    DivergenceGuard guard = new DivergenceGuard(10, 1, Loss.MEAN_SQUARED_ERROR, 1);
    guard.check(0, 0, 0, 50.0); // unscaled targets: a large first loss
    guard.check(0, 1, 1, 499.0);
    assertThrows(TrainingDivergedException.class, () -> guard.check(0, 2, 2, 501.0));
  }

  @Test
  void aNonFiniteLossDivergesAtOnceEvenWithTheFactorOff() {
    DivergenceGuard off = new DivergenceGuard(0, 5, Loss.SIGMOID_BINARY_CROSS_ENTROPY, 3);
    off.check(0, 0, 0, 1e30);
    TrainingDivergedException e =
        assertThrows(TrainingDivergedException.class, () -> off.check(0, 1, 1, Double.NaN));
    assertTrue(e.getMessage().contains("loss is NaN"), e.getMessage());
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> DivergenceGuard.checkSettings(0.5, 5));
    assertThrows(
        IllegalArgumentException.class,
        () -> DivergenceGuard.checkSettings(Double.POSITIVE_INFINITY, 5));
    assertThrows(IllegalArgumentException.class, () -> DivergenceGuard.checkSettings(100, 0));
    DivergenceGuard.checkSettings(0, 1);
  }
}
