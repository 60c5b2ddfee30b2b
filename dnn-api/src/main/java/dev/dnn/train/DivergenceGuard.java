package dev.dnn.train;

import dev.dnn.loss.Loss;

/**
 * Stops a run whose loss has left any sensible range while still finite. The reference is the
 * larger of the run's first batch loss and the loss of an uninformed model (chance level: {@code
 * ln(classes)} for softmax cross-entropy, {@code ln 2} for binary cross-entropy, 1 for mean squared
 * error on unit-scale targets), so a run that starts near its optimum (a resumed run) is not held
 * to its own tiny first loss. The run has diverged when the batch loss exceeds {@code factor} times
 * the reference for {@code patience} consecutive batches: one spike that recovers is tolerated. A
 * NaN or infinite loss stops the run at once, whatever the factor.
 */
final class DivergenceGuard {
  private final double factor;
  private final int patience;
  private final double chanceLevel;
  private double reference = Double.NaN;
  private int consecutive;

  /**
   * @param factor how many times the reference a loss may reach; 0 turns the finite check off
   * @param patience how many consecutive batches above it count as divergence
   */
  DivergenceGuard(double factor, int patience, Loss loss, int outputs) {
    this.factor = factor;
    this.patience = patience;
    this.chanceLevel =
        switch (loss) {
          case SOFTMAX_CROSS_ENTROPY -> Math.log(Math.max(2, outputs));
          case SIGMOID_BINARY_CROSS_ENTROPY -> Math.log(2);
          case MEAN_SQUARED_ERROR -> 1.0;
        };
  }

  /** Checks the mean loss of one batch; throws if the run has diverged. */
  void check(int epoch, int batch, long step, double loss) {
    if (!Double.isFinite(loss)) {
      throw new TrainingDivergedException(epoch, batch, step, loss);
    }
    if (factor == 0) {
      return;
    }
    if (Double.isNaN(reference)) {
      reference = Math.max(loss, chanceLevel);
    }
    if (loss > factor * reference) {
      if (++consecutive >= patience) {
        throw TrainingDivergedException.lossGrowth(
            epoch, batch, step, loss, reference, factor, patience);
      }
    } else {
      consecutive = 0;
    }
  }

  /** Checks the builder's values: a factor of 0 (off) or above 1, a patience of at least 1. */
  static void checkSettings(double factor, int patience) {
    if (!(factor == 0 || factor > 1) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException(
          "divergence factor must be 0 (off) or finite and above 1, got " + factor);
    }
    if (patience < 1) {
      throw new IllegalArgumentException(
          "divergence patience must be at least 1 batch, got " + patience);
    }
  }
}
