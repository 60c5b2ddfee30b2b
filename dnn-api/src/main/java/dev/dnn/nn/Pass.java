package dev.dnn.nn;

/**
 * What one forward pass is for: inference, or the training step {@code step} of a run seeded with
 * {@code seed} (which addresses the random numbers of dropout and randomized activations).
 *
 * @param training whether this is a training pass
 * @param seed the run's seed
 * @param step the global step number, distinct for every training step of a run
 */
public record Pass(boolean training, long seed, long step) {
  /** An inference pass. */
  public static final Pass INFERENCE = new Pass(false, 0, 0);

  /** A training pass. */
  public static Pass training(long seed, long step) {
    return new Pass(true, seed, step);
  }
}
