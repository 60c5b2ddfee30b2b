package dev.dnn.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.internal.random.RandomStreams;
import org.junit.jupiter.api.Test;

/** Philox4x32-10 against the Random123 known answers, its addressing, and its statistics. */
class PhiloxTest {
  private static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
    int[] out = new int[4];
    Philox.block(c0, c1, c2, c3, k0, k1, out);
    return out;
  }

  private static int[] words(long... w) {
    int[] out = new int[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] = (int) w[i];
    }
    return out;
  }

  @Test
  void random123KnownAnswers() {
    // kat_vectors of Random123 1.09, philox4x32 with 10 rounds.
    assertArrayEquals(
        words(0x6627e8d5L, 0xe169c58dL, 0xbc57ac4cL, 0x9b00dbd8L), block(0, 0, 0, 0, 0, 0));
    assertArrayEquals(
        words(0x408f276dL, 0x41c83b0eL, 0xa20bc7c6L, 0x6d5451fdL), block(-1, -1, -1, -1, -1, -1));
    assertArrayEquals(
        words(0xd16cfe09L, 0x94fdccebL, 0x5001e420L, 0x24126ea1L),
        block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
  }

  @Test
  void addressingSplitsIndexStreamAndSeed() {
    long seed = 0x299f31d0a4093822L;
    long stream = 0x0370734413198a2eL;
    long block = 0x05a308d3243f6a88L;
    // Counter (index >>> 2 low word first, then the stream), key = the seed low word first;
    // element index takes output word index & 3.
    int[] expected = block(0x243f6a88, 0x05a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0);
    for (int word = 0; word < 4; word++) {
      assertEquals(expected[word], Philox.bits(seed, stream, block << 2 | word), "word " + word);
    }
    assertEquals(0x6627e8d5, Philox.bits(0, 0, 0));
    assertEquals(0x9b00dbd8, Philox.bits(0, 0, 3));
    assertEquals((0x6627e8d5 >>> 8) / 16777216f, Philox.uniform(0, 0, 0));
  }

  @Test
  void fillUniformEqualsUniformPerElement() {
    float[] filled = new float[23];
    Philox.fillUniform(7, 9, 5, filled, 2, 21);
    for (int i = 0; i < 21; i++) {
      assertEquals(Philox.uniform(7, 9, 5 + i), filled[2 + i], "element " + i);
    }
    assertEquals(0f, filled[0]);
    assertEquals(0f, filled[1]);
  }

  @Test
  void fillUniformEqualsUniformPerElementAtEveryAlignmentAndLength() {
    // Heads, pairs of whole blocks and tails of every size, and a block counter that carries
    // from its low word into its high word inside a pair.
    long[] firsts = {0, 1, 2, 3, 4, 7, 1001, (0xFFFF_FFFFL << 2) - 5};
    for (long first : firsts) {
      for (int n = 0; n <= 27; n++) {
        float[] filled = new float[n + 1];
        filled[n] = -1f;
        Philox.fillUniform(0x1234_5678_9abcL, 77, first, filled, 0, n);
        for (int i = 0; i < n; i++) {
          assertEquals(
              Philox.uniform(0x1234_5678_9abcL, 77, first + i),
              filled[i],
              "first " + first + ", n " + n + ", element " + i);
        }
        assertEquals(-1f, filled[n], "wrote past n");
      }
    }
  }

  @Test
  void uniformIsUniform() {
    int n = 200_000;
    int bins = 16;
    int[] counts = new int[bins];
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      float u = Philox.uniform(12345, 6, i);
      assertTrue(u >= 0f && u < 1f, "uniform out of [0, 1): " + u);
      sum += u;
      squares += (double) u * u;
      counts[(int) (u * bins)]++;
    }
    double mean = sum / n;
    double variance = squares / n - mean * mean;
    // Standard error of the mean: sqrt(1/12 / n) ~ 6.5e-4; allow 5 of them.
    assertEquals(0.5, mean, 5 * Math.sqrt(1.0 / 12 / n));
    assertEquals(1.0 / 12, variance, 2e-3);
    double chiSquare = 0;
    double expected = (double) n / bins;
    for (int c : counts) {
      chiSquare += (c - expected) * (c - expected) / expected;
    }
    // 15 degrees of freedom: P(chi2 > 40) ~ 5e-4.
    assertTrue(chiSquare < 40, "chi-square over 16 bins " + chiSquare);
  }

  @Test
  void normalIsStandardNormal() {
    int n = 100_000;
    double sum = 0;
    double squares = 0;
    int beyondTwo = 0;
    for (int i = 0; i < n; i++) {
      double z = Philox.normal(99, 1, i);
      assertTrue(Double.isFinite(z));
      sum += z;
      squares += z * z;
      beyondTwo += Math.abs(z) > 2 ? 1 : 0;
    }
    double mean = sum / n;
    double variance = squares / n - mean * mean;
    // Standard errors: mean 1/sqrt(n) ~ 3.2e-3, variance sqrt(2/n) ~ 4.5e-3; 5 of each.
    assertEquals(0, mean, 5 / Math.sqrt(n));
    assertEquals(1, variance, 5 * Math.sqrt(2.0 / n));
    // P(|z| > 2) = 0.0455; binomial standard error ~ 6.6e-4.
    assertEquals(0.0455, (double) beyondTwo / n, 5 * 6.6e-4);
  }

  @Test
  void streamsKeepPurposesApart() {
    long a = RandomStreams.stream(RandomStreams.DROPOUT, 1, 7);
    long b = RandomStreams.stream(RandomStreams.DROPOUT, 2, 7);
    long c = RandomStreams.stream(RandomStreams.INIT, 1, 7);
    assertTrue(a != b && a != c && b != c);
    assertEquals(3L << 56 | 1L << 32 | 7, a);
  }
}
