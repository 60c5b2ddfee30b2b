package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dnn.random.Philox;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dropout and its Philox uniforms on the Vector API against the plain forms and {@link
 * Philox#uniform} per element, to the bit: every offset modulo a block, every length up to a few
 * vectors, ranges split over threads at indices that are not block boundaries, keys and streams
 * with both 32-bit words nonzero, and keep probabilities equal to, or one float either side of, a
 * uniform that occurs.
 */
class DropoutPathsAgreeTest {
  private static final long[] SEEDS = {0L, 99L, 0xDEADBEEF12345678L, -1L};
  private static final long[] STREAMS = {0L, 3L, (7L << 40) | 5L, -1L};

  private static Parallel one;
  private static Parallel two;
  private static Parallel three;
  private static VectorForms vector;

  @BeforeAll
  static void open() {
    one = new Parallel(1);
    two = new Parallel(2);
    three = new Parallel(3);
    vector = KernelPath.found().vector();
    vector = vector == null ? null : vector.alwaysOn();
  }

  @AfterAll
  static void close() {
    one.close();
    two.close();
    three.close();
  }

  @Test
  void vectorUniformsAreThePlainOnesAtEveryOffsetAndLength() {
    assumeTrue(vector != null, "the Vector API is not readable in this JVM");
    long[] firsts = {0, 1, 2, 3, 4, 5, 6, 7, 1001, (1L << 34) + 1, (1L << 32) - 5};
    for (long seed : SEEDS) {
      for (long stream : STREAMS) {
        for (long first : firsts) {
          for (int n = 0; n <= 2 * VectorPhilox.STEP + 9; n++) {
            checkUniforms(seed, stream, first, n);
          }
          checkUniforms(seed, stream, first, 4099);
        }
      }
    }
  }

  private static void checkUniforms(long seed, long stream, long first, int n) {
    int offset = 3;
    float[] plain = new float[n + 2 * offset];
    float[] fast = new float[n + 2 * offset];
    java.util.Arrays.fill(fast, -1f);
    java.util.Arrays.fill(plain, -1f);
    Philox.fillUniform(seed, stream, first, plain, offset, n);
    VectorPhilox.fillUniform(seed, stream, first, fast, offset, n);
    String where = "seed " + seed + ", stream " + stream + ", first " + first + ", n " + n;
    assertArrayEquals(plain, fast, where);
    for (int i = 0; i < n; i += Math.max(1, n / 37)) {
      assertEquals(Philox.uniform(seed, stream, first + i), fast[offset + i], where + ", i " + i);
    }
  }

  /** Lengths that make the two- and three-thread splits land inside blocks and inside vectors. */
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 17, 63, 64, 65, 2047, 2049, 4099, 10_003, 100_003})
  void forwardGivesThePlainBitsAndPhiloxPerElement(int n) {
    assumeTrue(vector != null, "the Vector API is not readable in this JVM");
    Random random = new Random(n);
    float[] x = inputs(random, n);
    float[] keeps = {1f, 0.8f, 0.5f, 0.1f, 1e-30f};
    for (long seed : SEEDS) {
      for (long stream : STREAMS) {
        for (float keep : keeps) {
          checkForward(x, keep, seed, stream, "n " + n + ", keep " + keep);
        }
      }
    }
  }

  /**
   * Keep probabilities equal to a uniform that occurs (that element is dropped: kept only where u
   * is below p) and one float either side of it.
   */
  @Test
  void keepProbabilitiesAtAUniformSplitExactlyThere() {
    assumeTrue(vector != null, "the Vector API is not readable in this JVM");
    int n = 5003;
    float[] x = inputs(new Random(5), n);
    long seed = 0xDEADBEEF12345678L;
    long stream = (7L << 40) | 5L;
    for (int k : new int[] {0, 1, 2, 3, 17, 2500, 5002}) {
      float u = Philox.uniform(seed, stream, k);
      if (u == 0f) {
        continue;
      }
      float[] keeps = {u, Math.nextDown(u), Math.nextUp(u)};
      for (float keep : keeps) {
        Result plain = checkForward(x, keep, seed, stream, "u of element " + k + ", keep " + keep);
        float expected = u < keep ? 1f / keep : 0f;
        assertEquals(expected, plain.mask()[k], "element " + k + " at keep " + keep);
      }
    }
  }

  private record Result(float[] mask, float[] out) {}

  /** Runs both forms on one, two and three threads; returns the plain result after checking. */
  private static Result checkForward(float[] x, float keep, long seed, long stream, String where) {
    Result plain = forward(new DropoutKernels(two), x, keep, seed, stream);
    for (Parallel parallel : new Parallel[] {one, two, three}) {
      Result fast = forward(vector.dropout(parallel), x, keep, seed, stream);
      String on = where + ", " + parallel.threads() + " threads";
      assertArrayEquals(plain.mask(), fast.mask(), "mask, " + on);
      assertArrayEquals(plain.out(), fast.out(), "out, " + on);
    }
    float kept = 1f / keep;
    for (int i = 0; i < x.length; i += Math.max(1, x.length / 101)) {
      float expected = Philox.uniform(seed, stream, i) < keep ? kept : 0f;
      assertEquals(expected, plain.mask()[i], "mask element " + i + ", " + where);
      assertEquals(x[i] * expected, plain.out()[i], "output element " + i + ", " + where);
    }
    return plain;
  }

  private static Result forward(
      DropoutKernels kernels, float[] x, float keep, long seed, long stream) {
    float[] mask = new float[x.length];
    float[] out = new float[x.length];
    kernels.forward(x, keep, seed, stream, mask, out);
    return new Result(mask, out);
  }

  /** Random values, with an infinity, a NaN and a negative zero where the length allows. */
  private static float[] inputs(Random random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextFloat() * 4f - 2f;
    }
    float[] special = {Float.POSITIVE_INFINITY, Float.NaN, -0f, Float.MIN_VALUE};
    for (int i = 0; i < special.length && 7 * i < n; i++) {
      x[7 * i] = special[i];
    }
    return x;
  }
}
