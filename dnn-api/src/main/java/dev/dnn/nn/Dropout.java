package dev.dnn.nn;

/**
 * Inverted dropout: while training, keeps each element with probability {@code keepProbability} and
 * scales kept elements by {@code 1 / keepProbability}; at inference it is the identity.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param keepProbability the probability of keeping an element, in {@code (0, 1]}
 */
public record Dropout(double keepProbability) implements LayerSpec {

  /** Validates the probability. */
  public Dropout {
    if (!(keepProbability > 0 && keepProbability <= 1)) {
      throw new IllegalArgumentException(
          "dropout keep probability must be in (0, 1], got " + keepProbability);
    }
  }

  /** Dropout keeping each element with probability {@code keepProbability}. */
  public static Dropout keep(double keepProbability) {
    return new Dropout(keepProbability);
  }

  @Override
  public int outputWidth(int inputs) {
    return inputs;
  }
}
