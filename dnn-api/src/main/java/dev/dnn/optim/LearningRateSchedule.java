package dev.dnn.optim;

/**
 * The learning rate for each epoch, as a function of the base rate. The trainer applies it at the
 * start of every epoch (epochs count from 0).
 *
 * <p>The schedules made by the static methods here are stateless and safe to share between threads;
 * a trainer calls its schedule on the training thread.
 */
@FunctionalInterface
public interface LearningRateSchedule {
  /** The learning rate for {@code epoch}, given the optimizer's base learning rate. */
  double learningRate(double base, int epoch);

  /** The base rate throughout. */
  static LearningRateSchedule constant() {
    return (base, epoch) -> base;
  }

  /** Multiplies the rate by {@code factor} every {@code every} epochs. */
  static LearningRateSchedule step(int every, double factor) {
    if (every < 1) {
      throw new IllegalArgumentException("step schedule period must be positive, got " + every);
    }
    Optimizer.positive("step schedule factor", factor);
    return (base, epoch) -> base * Math.pow(factor, epoch / every);
  }

  /** {@code base * gamma^epoch}. */
  static LearningRateSchedule exponential(double gamma) {
    Optimizer.positive("exponential schedule gamma", gamma);
    return (base, epoch) -> base * Math.pow(gamma, epoch);
  }

  /**
   * Cosine annealing from the base rate down to {@code minimum} over {@code epochs} epochs, then
   * {@code minimum}.
   */
  static LearningRateSchedule cosine(int epochs, double minimum) {
    if (epochs < 1) {
      throw new IllegalArgumentException("cosine schedule needs at least one epoch, got " + epochs);
    }
    Optimizer.nonNegative("cosine schedule minimum", minimum);
    return (base, epoch) ->
        epoch >= epochs
            ? minimum
            : minimum + 0.5 * (base - minimum) * (1 + Math.cos(Math.PI * epoch / epochs));
  }
}
