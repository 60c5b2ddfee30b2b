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
 *
 * <p>Has no state: its methods are pure functions and may be called from any thread.
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
   * Fills {@code dst[offset..offset+n)} with {@code uniform(seed, stream, first + i)}. Equivalent
   * to calling {@link #uniform} per element, about eight times cheaper: each block serves four
   * elements, and whole blocks are computed two at a time so that their multiply chains overlap.
   */
  public static void fillUniform(
      long seed, long stream, long first, float[] dst, int offset, int n) {
    int k0 = (int) seed;
    int k1 = (int) (seed >>> 32);
    int s0 = (int) stream;
    int s1 = (int) (stream >>> 32);
    int[] out = new int[8];
    int i = 0;
    while (i < n) {
      long index = first + i;
      if ((index & 3) == 0 && n - i >= 8) {
        twoBlocks(index >>> 2, s0, s1, k0, k1, out);
        for (int j = 0; j < 8; j++) {
          dst[offset + i + j] = toUniform(out[j]);
        }
        i += 8;
      } else {
        // A head up to the first block boundary, or a tail of less than two blocks.
        long block = index >>> 2;
        block((int) block, (int) (block >>> 32), s0, s1, k0, k1, out);
        for (int word = (int) (index & 3); word < 4 && i < n; word++, i++) {
          dst[offset + i] = toUniform(out[word]);
        }
      }
    }
  }

  /**
   * Blocks {@code block} and {@code block + 1} of one stream, interleaved round by round (their
   * chains are independent, so the processor overlaps them), into {@code out[0..8)}.
   */
  private static void twoBlocks(long block, int s0, int s1, int k0, int k1, int[] out) {
    long next = block + 1;
    int a0 = (int) block;
    int a1 = (int) (block >>> 32);
    int a2 = s0;
    int a3 = s1;
    int b0 = (int) next;
    int b1 = (int) (next >>> 32);
    int b2 = s0;
    int b3 = s1;
    for (int round = 0; round < 10; round++) {
      long pa0 = (M0 & 0xFFFFFFFFL) * (a0 & 0xFFFFFFFFL);
      long pa1 = (M1 & 0xFFFFFFFFL) * (a2 & 0xFFFFFFFFL);
      long pb0 = (M0 & 0xFFFFFFFFL) * (b0 & 0xFFFFFFFFL);
      long pb1 = (M1 & 0xFFFFFFFFL) * (b2 & 0xFFFFFFFFL);
      a0 = (int) (pa1 >>> 32) ^ a1 ^ k0;
      a1 = (int) pa1;
      a2 = (int) (pa0 >>> 32) ^ a3 ^ k1;
      a3 = (int) pa0;
      b0 = (int) (pb1 >>> 32) ^ b1 ^ k0;
      b1 = (int) pb1;
      b2 = (int) (pb0 >>> 32) ^ b3 ^ k1;
      b3 = (int) pb0;
      k0 += W0;
      k1 += W1;
    }
    out[0] = a0;
    out[1] = a1;
    out[2] = a2;
    out[3] = a3;
    out[4] = b0;
    out[5] = b1;
    out[6] = b2;
    out[7] = b3;
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
