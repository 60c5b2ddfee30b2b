package dev.dnn.nn;

/**
 * Maxout: each output is the maximum of {@code pieces} consecutive inputs, so {@code inputs /
 * pieces} outputs. Placed after a {@link Dense} layer of {@code outputs * pieces} units it forms
 * the maxout unit of Goodfellow et al. (2013).
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param pieces inputs per output, at least 1
 */
public record Maxout(int pieces) implements LayerSpec {

  /** Validates the piece count. */
  public Maxout {
    if (pieces < 1) {
      throw new IllegalArgumentException("maxout needs at least one piece, got " + pieces);
    }
  }

  /** Maxout over {@code pieces} inputs per output. */
  public static Maxout of(int pieces) {
    return new Maxout(pieces);
  }

  @Override
  public int outputWidth(int inputs) {
    if (inputs % pieces != 0) {
      throw new IllegalArgumentException(
          "maxout with " + pieces + " pieces receives " + inputs + " features, not a multiple");
    }
    return inputs / pieces;
  }
}
