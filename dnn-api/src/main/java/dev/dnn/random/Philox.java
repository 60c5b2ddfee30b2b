package dev.dnn.random;

/**
 * The Philox4x32-10 counter-based generator (Salmon et al., "Parallel random numbers: as easy as 1,
 * 2, 3", SC 2011), the one source of randomness of every backend. Numbers are addressed, not drawn
 * in sequence: the value for {@code (seed, stream, index)} is a pure function, so a CPU thread, a
 * GPU thread and a resumed run all compute the same number for the same element.
 *
 * <p>Addressing (identical in {@code native/src/philox.cuh}): the key is the 64-bit seed split in
 * two 32-bit words (low first); the 128-bit counter is {@code (index >>> 2)} in its low 64 bits and
 * the stream in its high 64 bits; element {@code index} takes output word {@code index & 3}.
 */
public final class Philox {
  private static final int M0 = 0xD2511F53;
  private static final int M1 = 0xCD9E8D57;
  private static final int W0 = 0x9E3779B9;
  private static final int W1 = 0xBB67AE85;
  private static final float TWO_POW_MINUS_24 = 1.0f / (1 << 24);

  private Philox() {}

  /**
   * One Philox4x32-10 block: encrypts the counter {@code (c0, c1, c2, c3)} under the key {@code
   * (k0, k1)} and writes four 32-bit words to {@code out}.
   */
  public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
    for (int round = 0; round < 10; round++) {
      long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
      long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
      int hi0 = (int) (p0 >>> 32);
      int lo0 = (int) p0;
      int hi1 = (int) (p1 >>> 32);
      int lo1 = (int) p1;
      c0 = hi1 ^ c1 ^ k0;
      c1 = lo1;
      c2 = hi0 ^ c3 ^ k1;
      c3 = lo0;
      k0 += W0;
      k1 += W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
  }

  /** The raw 32-bit word for element {@code index} of {@code stream} under {@code seed}. */
  public static int bits(long seed, long stream, long index) {
    int[] out = new int[4];
    long block = index >>> 2;
    block(
        (int) block,
        (int) (block >>> 32),
        (int) stream,
        (int) (stream >>> 32),
        (int) seed,
        (int) (seed >>> 32),
        out);
    return out[(int) (index & 3)];
  }

  /** A float in [0, 1) with 24 random bits: {@code (bits >>> 8) * 2^-24}. */
  public static float uniform(long seed, long stream, long index) {
    return toUniform(bits(seed, stream, index));
  }

  /** Maps a 32-bit word to [0, 1) exactly as every backend does. */
  public static float toUniform(int bits) {
    return (bits >>> 8) * TWO_POW_MINUS_24;
  }

  /**
   * Fills {@code dst[0..n)} with {@code uniform(seed, stream, first + i)}, a block at a time.
   * Equivalent to calling {@link #uniform} per element, four times cheaper.
   */
  public static void fillUniform(
      long seed, long stream, long first, float[] dst, int offset, int n) {
    int[] out = new int[4];
    long cachedBlock = -1;
    for (int i = 0; i < n; i++) {
      long index = first + i;
      long block = index >>> 2;
      if (block != cachedBlock) {
        block(
            (int) block,
            (int) (block >>> 32),
            (int) stream,
            (int) (stream >>> 32),
            (int) seed,
            (int) (seed >>> 32),
            out);
        cachedBlock = block;
      }
      dst[offset + i] = toUniform(out[(int) (index & 3)]);
    }
  }

  /**
   * A standard normal number for {@code index}, by Box-Muller on the first two words of the block
   * {@code (index, stream)} (one block per normal: simple, and only used on the host).
   */
  public static double normal(long seed, long stream, long index) {
    int[] out = new int[4];
    block(
        (int) index,
        (int) (index >>> 32),
        (int) stream,
        (int) (stream >>> 32),
        (int) seed,
        (int) (seed >>> 32),
        out);
    double u1 = ((out[0] >>> 8) + 1) * (double) TWO_POW_MINUS_24; // (0, 1]: log is finite
    double u2 = (out[1] >>> 8) * (double) TWO_POW_MINUS_24;
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
