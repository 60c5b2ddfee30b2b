package dev.dnn.nn;

import dev.dnn.loss.Loss;

/**
 * What one forward pass is for: inference, or the training step {@code step} of a run seeded with
 * {@code seed} (which addresses the random numbers of dropout and randomized activations).
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param training whether this is a training pass
 * @param seed the run's seed
 * @param step the global step number, distinct for every training step of a run
 * @param objective the loss the pass trains for, or null; a model remembers the objective of its
 *     last training pass as its {@link Model#loss()}
 */
public record Pass(boolean training, long seed, long step, Loss objective) {
  /** An inference pass. */
  public static final Pass INFERENCE = new Pass(false, 0, 0, null);

  /** A training pass that does not name its loss. */
  public static Pass training(long seed, long step) {
    return new Pass(true, seed, step, null);
  }

  /** A training pass for {@code objective}. */
  public static Pass training(long seed, long step, Loss objective) {
    return new Pass(true, seed, step, objective);
  }
}
