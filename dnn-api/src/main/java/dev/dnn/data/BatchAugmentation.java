package dev.dnn.data;

/**
 * Changes a training batch on the fly, before it is uploaded to the backend. Called by the trainer
 * for training batches only, never for dev or test data. Must be deterministic in {@code (seed,
 * stream)} so that seeded runs repeat.
 *
 * <p>Called on the training thread; an instance given to trainers that run at once must be safe to
 * share between threads, as the library's ({@link GaussianNoise}, {@link PixelShift}) are.
 */
@FunctionalInterface
public interface BatchAugmentation {
  /**
   * Augments {@code rows} examples of {@code featureCount} features, row-major in {@code batch}, in
   * place.
   *
   * @param seed the run's seed
   * @param stream a Philox stream unique to this epoch and batch (the trainer derives it from the
   *     epoch and batch index)
   */
  void apply(float[] batch, int rows, int featureCount, long seed, long stream);
}
