package dev.dnn.cpu;

import dev.dnn.random.Philox;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Philox#fillUniform} on the Vector API, the same numbers bit for bit. Four long vectors
 * hold the counter words {@code c0..c3} of {@code LANES} consecutive blocks, a block per lane, each
 * word in the low 32 bits of its lane: the product of two 32-bit values is exact in a long, so a
 * round is the scalar round lane for lane, with {@code hi = p >>> 32} and the low word left in
 * place (the high bits a word carries are masked off before it is multiplied and before it is
 * stored). Two such groups run interleaved, so that their multiply chains overlap (one group was
 * 1.6x slower on JDK 17; four made the method too large for C2 to inline its vector calls, and it
 * ran 8x slower, boxed). Then the words are interleaved into element order (element {@code i} takes
 * word {@code i & 3} of block {@code i >>> 2}) and turned into floats as {@link Philox#toUniform}
 * does.
 */
final class VectorPhilox {
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> FLOATS =
      VectorSpecies.of(float.class, VectorShape.forBitSize(LONGS.vectorBitSize()));
  private static final int LANES = LONGS.length();

  /** Elements per step: two groups of {@code LANES} blocks of four words. */
  static final int STEP = 2 * 4 * LANES;

  private static final long LOW = 0xFFFFFFFFL;
  private static final long M0 = 0xD2511F53L;
  private static final long M1 = 0xCD9E8D57L;
  private static final long W0 = 0x9E3779B9L;
  private static final long W1 = 0xBB67AE85L;
  private static final float TWO_POW_MINUS_24 = 0x1p-24f;

  private static final long[] LANE_INDEX = new long[LANES];

  /** Lane {@code l} takes lane {@code l / 2} (first half) or {@code LANES / 2 + l / 2}. */
  private static final VectorShuffle<Long> SPREAD_FIRST =
      VectorShuffle.fromOp(LONGS, lane -> lane / 2);

  private static final VectorShuffle<Long> SPREAD_SECOND =
      VectorShuffle.fromOp(LONGS, lane -> LANES / 2 + lane / 2);

  private static final VectorMask<Long> ODD = VectorMask.fromLong(LONGS, 0xAAAAAAAAAAAAAAAAL);

  static {
    for (int lane = 0; lane < LANES; lane++) {
      LANE_INDEX[lane] = lane;
    }
  }

  private VectorPhilox() {}

  /**
   * Fills {@code dst[offset..offset+n)} with {@code Philox.uniform(seed, stream, first + i)}, as
   * {@link Philox#fillUniform} does: the head up to a block boundary and the tail shorter than a
   * {@link #STEP} take that method.
   */
  static void fillUniform(long seed, long stream, long first, float[] dst, int offset, int n) {
    fillUniform(seed, stream, first, dst, offset, n, scratch());
  }

  /** The scratch {@link #fillUniform(long, long, long, float[], int, int, long[])} takes. */
  static long[] scratch() {
    return new long[8 * LANES];
  }

  /**
   * {@link #fillUniform(long, long, long, float[], int, int)} with a caller's {@link #scratch()},
   * so that a loop over many ranges allocates it once.
   */
  static void fillUniform(
      long seed, long stream, long first, float[] dst, int offset, int n, long[] words) {
    int head = (int) Math.min(n, (4 - (first & 3)) & 3);
    Philox.fillUniform(seed, stream, first, dst, offset, head);
    int i = head;
    // The words pass through memory (the first-level cache) between the rounds and the
    // interleave: one method holding both is too large for C2 to inline all its vector calls, and
    // a vector passed to a call that is not inlined is boxed on the heap.
    for (; i <= n - STEP; i += STEP) {
      rounds(seed, stream, (first + i) >>> 2, words);
      for (int group = 0; group < 2; group++) {
        interleave(words, group * 4 * LANES, dst, offset + i + group * 4 * LANES);
      }
    }
    Philox.fillUniform(seed, stream, first + i, dst, offset + i, n - i);
  }

  /**
   * The ten rounds of blocks {@code block .. block + 2 LANES}: words {@code c0..c3} of the first
   * {@code LANES} blocks into {@code words[0 .. 4 LANES)}, a word per {@code LANES} longs, then
   * those of the next {@code LANES}; each word in the low 32 bits of its long.
   */
  private static void rounds(long seed, long stream, long block, long[] words) {
    LongVector blocks = LongVector.fromArray(LONGS, LANE_INDEX, 0).add(block);
    LongVector streamLow = LongVector.broadcast(LONGS, stream);
    LongVector streamHigh = LongVector.broadcast(LONGS, stream >>> 32);
    LongVector a0 = blocks;
    LongVector a1 = high(blocks);
    LongVector a2 = streamLow;
    LongVector a3 = streamHigh;
    LongVector b0 = blocks.add(LANES);
    LongVector b1 = high(b0);
    LongVector b2 = streamLow;
    LongVector b3 = streamHigh;
    long k0 = seed & LOW;
    long k1 = seed >>> 32;
    for (int round = 0; round < 10; round++) {
      LongVector pa0 = a0.and(LOW).mul(M0);
      LongVector pa1 = a2.and(LOW).mul(M1);
      LongVector pb0 = b0.and(LOW).mul(M0);
      LongVector pb1 = b2.and(LOW).mul(M1);
      a0 = high(pa1).lanewise(VectorOperators.XOR, a1.lanewise(VectorOperators.XOR, k0));
      a1 = pa1;
      a2 = high(pa0).lanewise(VectorOperators.XOR, a3.lanewise(VectorOperators.XOR, k1));
      a3 = pa0;
      b0 = high(pb1).lanewise(VectorOperators.XOR, b1.lanewise(VectorOperators.XOR, k0));
      b1 = pb1;
      b2 = high(pb0).lanewise(VectorOperators.XOR, b3.lanewise(VectorOperators.XOR, k1));
      b3 = pb0;
      k0 = (k0 + W0) & LOW;
      k1 = (k1 + W1) & LOW;
    }
    a0.intoArray(words, 0);
    a1.intoArray(words, LANES);
    a2.intoArray(words, 2 * LANES);
    a3.intoArray(words, 3 * LANES);
    b0.intoArray(words, 4 * LANES);
    b1.intoArray(words, 5 * LANES);
    b2.intoArray(words, 6 * LANES);
    b3.intoArray(words, 7 * LANES);
  }

  /** The high 32 bits of each lane, shifted down. */
  private static LongVector high(LongVector v) {
    return v.lanewise(VectorOperators.LSHR, 32);
  }

  /**
   * The four words of {@code LANES} blocks at {@code words[base ..]}, interleaved into element
   * order, as uniforms into {@code dst[at .. at + 4 LANES)}.
   */
  private static void interleave(long[] words, int base, float[] dst, int at) {
    LongVector w0 = LongVector.fromArray(LONGS, words, base);
    LongVector w1 = LongVector.fromArray(LONGS, words, base + LANES);
    LongVector w2 = LongVector.fromArray(LONGS, words, base + 2 * LANES);
    LongVector w3 = LongVector.fromArray(LONGS, words, base + 3 * LANES);
    // Long lane j of these holds words 0 and 1 (2 and 3) of block j, in memory order.
    LongVector low = w0.and(LOW).or(w1.lanewise(VectorOperators.LSHL, 32));
    LongVector high = w2.and(LOW).or(w3.lanewise(VectorOperators.LSHL, 32));
    LongVector first = low.rearrange(SPREAD_FIRST).blend(high.rearrange(SPREAD_FIRST), ODD);
    LongVector second = low.rearrange(SPREAD_SECOND).blend(high.rearrange(SPREAD_SECOND), ODD);
    uniforms(first).intoArray(dst, at);
    uniforms(second).intoArray(dst, at + 2 * LANES);
  }

  /**
   * {@code (word >>> 8) * 2^-24} of each word: an integer below 2^24, so exact, as the plain form.
   */
  private static FloatVector uniforms(LongVector words) {
    IntVector top = words.reinterpretAsInts().lanewise(VectorOperators.LSHR, 8);
    return ((FloatVector) top.convertShape(VectorOperators.I2F, FLOATS, 0)).mul(TWO_POW_MINUS_24);
  }
}
