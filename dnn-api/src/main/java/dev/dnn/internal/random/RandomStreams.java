package dev.dnn.internal.random;

/**
 * Stream identifiers that keep the uses of one seed apart. Each use of randomness names its purpose
 * and a position (layer index, epoch, step), so two uses never read the same Philox numbers.
 *
 * <p>Constants and a pure function only: safe to use from any thread.
 */
public final class RandomStreams {
  /** Initial weights: {@code stream(INIT, layer, parameter)}. */
  public static final int INIT = 1;

  /** Per-epoch shuffles: {@code stream(SHUFFLE, epoch, 0)}. */
  public static final int SHUFFLE = 2;

  /** Dropout masks: {@code stream(DROPOUT, layer, step)}. */
  public static final int DROPOUT = 3;

  /** Randomized leaky ReLU slopes: {@code stream(RRELU, layer, step)}. */
  public static final int RRELU = 4;

  /** Data augmentation noise: {@code stream(AUGMENT, epoch, batch)}. */
  public static final int AUGMENT = 5;

  /** Data set splits: {@code stream(SPLIT, 0, 0)}. */
  public static final int SPLIT = 6;

  private RandomStreams() {}

  /**
   * Packs a purpose (8 bits), a major index (24 bits) and a minor index (32 bits) into a stream.
   */
  public static long stream(int purpose, int major, long minor) {
    return ((long) (purpose & 0xFF) << 56)
        | ((long) (major & 0xFFFFFF) << 32)
        | (minor & 0xFFFFFFFFL);
  }
}
