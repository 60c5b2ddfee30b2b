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
 * {@link Philox#fillUniform} on the Vector API, the same numbers bit for bit: one long vector holds
 * {@code LANES / 2} consecutive blocks, each as two long lanes {@code (c0 | c1 << 32, c2 | c3 <<
 * 32)}, which is also the order of the block's four output words in memory, so the words come out
 * in element order with no interleaving. A round multiplies the low word of every long lane by
 * {@code M0} (even lanes) or {@code M1} (odd lanes): the product of two 32-bit values is exact in a
 * long. Reversing the four 32-bit words of each block's product pair then puts {@code hi(p1),
 * lo(p1)} where {@code c0, c1} go and {@code hi(p0), lo(p0)} where {@code c2, c3} go; the old
 * {@code c1, c3} (the high words, shifted down) and the round key are XORed into the low words.
 */
final class VectorPhilox {
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> INTS =
      VectorSpecies.of(int.class, VectorShape.forBitSize(LONGS.vectorBitSize()));
  private static final VectorSpecies<Float> FLOATS =
      VectorSpecies.of(float.class, VectorShape.forBitSize(LONGS.vectorBitSize()));

  /** Elements per vector: four words per block, two long lanes per block. */
  static final int WORDS = INTS.length();

  private static final int BLOCKS = LONGS.length() / 2;

  /** Independent vectors per step, so that their multiply chains overlap. */
  private static final int INTERLEAVE = 4;

  private static final long LOW = 0xFFFFFFFFL;
  private static final long M0 = 0xD2511F53L;
  private static final long M1 = 0xCD9E8D57L;
  private static final int W0 = 0x9E3779B9;
  private static final int W1 = 0xBB67AE85;
  private static final float TWO_POW_MINUS_24 = 0x1p-24f;

  /** Reverses the four 32-bit words of each block. */
  private static final VectorShuffle<Integer> REVERSE_WORDS =
      VectorShuffle.fromOp(INTS, lane -> lane ^ 3);

  /** The even long lanes: {@code c0 | c1 << 32}, the low half of a block's counter. */
  private static final VectorMask<Long> EVEN = VectorMask.fromLong(LONGS, 0x5555555555555555L);

  private static final long[] MULTIPLIERS = new long[LONGS.length()];
  private static final long[] BLOCK_OF_LANE = new long[LONGS.length()];
  private static final long[] BLOCK_STEP = new long[LONGS.length()];
  private static final int[] KEY_STEP = new int[INTS.length()];

  static {
    for (int lane = 0; lane < LONGS.length(); lane++) {
      boolean even = lane % 2 == 0;
      MULTIPLIERS[lane] = even ? M0 : M1;
      BLOCK_OF_LANE[lane] = lane / 2;
      BLOCK_STEP[lane] = even ? BLOCKS : 0;
      KEY_STEP[2 * lane] = even ? W0 : W1; // the low word of each long lane; the high stays 0
    }
  }

  private VectorPhilox() {}

  /**
   * Fills {@code dst[offset..offset+n)} with {@code Philox.uniform(seed, stream, first + i)}, as
   * {@link Philox#fillUniform} does: the head up to a block boundary and the tail shorter than a
   * vector take that method.
   */
  static void fillUniform(long seed, long stream, long first, float[] dst, int offset, int n) {
    int head = (int) Math.min(n, (4 - (first & 3)) & 3);
    Philox.fillUniform(seed, stream, first, dst, offset, head);
    int i = head;
    LongVector key = LongVector.broadcast(LONGS, seed >>> 32).blend(seed & LOW, EVEN);
    LongVector multipliers = LongVector.fromArray(LONGS, MULTIPLIERS, 0);
    LongVector step = LongVector.fromArray(LONGS, BLOCK_STEP, 0);
    IntVector keyStep = IntVector.fromArray(INTS, KEY_STEP, 0);
    LongVector counter = counters(stream, (first + i) >>> 2);
    for (; i <= n - INTERLEAVE * WORDS; i += INTERLEAVE * WORDS) {
      LongVector a = counter;
      LongVector b = a.add(step);
      LongVector c = b.add(step);
      LongVector d = c.add(step);
      counter = d.add(step);
      LongVector k = key;
      for (int round = 0; round < 10; round++) {
        a = round(a, k, multipliers);
        b = round(b, k, multipliers);
        c = round(c, k, multipliers);
        d = round(d, k, multipliers);
        k = nextKey(k, keyStep);
      }
      int at = offset + i;
      uniforms(a).intoArray(dst, at);
      uniforms(b).intoArray(dst, at + WORDS);
      uniforms(c).intoArray(dst, at + 2 * WORDS);
      uniforms(d).intoArray(dst, at + 3 * WORDS);
    }
    for (; i <= n - WORDS; i += WORDS) {
      LongVector a = counter;
      counter = a.add(step);
      LongVector k = key;
      for (int round = 0; round < 10; round++) {
        a = round(a, k, multipliers);
        k = nextKey(k, keyStep);
      }
      uniforms(a).intoArray(dst, offset + i);
    }
    Philox.fillUniform(seed, stream, first + i, dst, offset + i, n - i);
  }

  /** The counters of blocks {@code block .. block + BLOCKS}: the block, then the stream. */
  private static LongVector counters(long stream, long block) {
    LongVector blocks = LongVector.fromArray(LONGS, BLOCK_OF_LANE, 0).add(block);
    return LongVector.broadcast(LONGS, stream).blend(blocks, EVEN);
  }

  /** One Philox round of every block of {@code c} under the round key {@code key}. */
  private static LongVector round(LongVector c, LongVector key, LongVector multipliers) {
    LongVector products = c.and(LOW).mul(multipliers);
    LongVector swapped = products.reinterpretAsInts().rearrange(REVERSE_WORDS).reinterpretAsLongs();
    return swapped.lanewise(
        VectorOperators.XOR,
        c.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, key));
  }

  /** The next round key: {@code k0 += W0, k1 += W1} in the low words, wrapping at 32 bits. */
  private static LongVector nextKey(LongVector key, IntVector keyStep) {
    return key.reinterpretAsInts().add(keyStep).reinterpretAsLongs();
  }

  /**
   * {@code (word >>> 8) * 2^-24} of each word: an integer below 2^24, so exact, as the plain form.
   */
  private static FloatVector uniforms(LongVector words) {
    IntVector top = words.reinterpretAsInts().lanewise(VectorOperators.LSHR, 8);
    return ((FloatVector) top.convertShape(VectorOperators.I2F, FLOATS, 0)).mul(TWO_POW_MINUS_24);
  }
}
