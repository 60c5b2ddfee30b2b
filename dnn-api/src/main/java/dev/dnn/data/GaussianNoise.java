package dev.dnn.data;

import dev.dnn.random.Philox;

/**
 * Adds independent normal noise of a fixed standard deviation to every feature. Value {@code i} of
 * a batch gets {@code stddev * Philox.normal(seed, stream, i)}, so the noise depends only on {@code
 * (seed, stream)}.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class GaussianNoise implements BatchAugmentation {
  private final float stddev;

  /**
   * @param stddev the standard deviation of the noise, finite and non-negative
   */
  public GaussianNoise(float stddev) {
    if (!(stddev >= 0 && Float.isFinite(stddev))) {
      throw new IllegalArgumentException("noise stddev must be finite and >= 0, got " + stddev);
    }
    this.stddev = stddev;
  }

  @Override
  public void apply(float[] batch, int rows, int featureCount, long seed, long stream) {
    int n = rows * featureCount;
    if (n > batch.length) {
      throw new IllegalArgumentException(
          rows + " rows x " + featureCount + " features exceed the batch of " + batch.length);
    }
    for (int i = 0; i < n; i++) {
      batch[i] += (float) (stddev * Philox.normal(seed, stream, i));
    }
  }

  @Override
  public String toString() {
    return "GaussianNoise[stddev=" + stddev + "]";
  }
}
