package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dnn.backend.FiniteFloats;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The input check of both kernel paths: the vector form finds every NaN and infinity wherever it
 * sits (in a vector's lanes, the second vector of a step, the tail, the range's first and last
 * place), passes every finite value (the largest, subnormals, negative zero), reads only its range,
 * and gives the plain form's answer on ranges of every length up to several vectors.
 */
class FiniteCheckPathsAgreeTest {
  private static final float[] NOT_FINITE = {
    Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001)
  };

  private static final float[] EXTREME_FINITE = {
    Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_NORMAL, -0f, 0f
  };

  private static FiniteCheck vectorCheck() {
    VectorForms vector = KernelPath.found().vector();
    assumeTrue(vector != null, "the Vector API is not readable in this JVM");
    return vector.alwaysOn().finiteCheck();
  }

  @Test
  void findsEveryValueThatIsNotFiniteWhereverItSits() {
    FiniteCheck check = vectorCheck();
    Random random = new Random(7);
    for (int length = 0; length <= 5 * 16 + 3; length++) {
      for (int from : new int[] {0, 1, 5}) {
        float[] values = new float[from + length + 2];
        for (int i = 0; i < values.length; i++) {
          values[i] = EXTREME_FINITE[random.nextInt(EXTREME_FINITE.length)];
        }
        // Outside the range: must not be read.
        values[values.length - 1] = Float.NaN;
        if (from > 0) {
          values[from - 1] = Float.POSITIVE_INFINITY;
        }
        assertTrue(check.all(values, from, length), "finite values, length " + length);
        for (int at = 0; at < length; at++) {
          for (float bad : NOT_FINITE) {
            float kept = values[from + at];
            values[from + at] = bad;
            String what = bad + " at " + at + " of " + length + " from " + from;
            assertFalse(check.all(values, from, length), what);
            assertEquals(FiniteFloats.all(values, from, length), check.all(values, from, length));
            values[from + at] = kept;
          }
        }
      }
    }
  }

  @Test
  void agreesWithThePlainFormOnABlockOfTheCopy() {
    FiniteCheck check = vectorCheck();
    float[] values = new float[4096];
    Random random = new Random(11);
    for (int i = 0; i < values.length; i++) {
      values[i] = (random.nextFloat() - 0.5f) * 1e30f;
    }
    assertTrue(check.all(values, 0, values.length));
    values[4095] = Float.NEGATIVE_INFINITY;
    assertEquals(FiniteCheck.PLAIN.all(values, 0, 4096), check.all(values, 0, 4096));
    assertFalse(check.all(values, 0, 4096));
    assertTrue(check.all(values, 0, 4095));
  }
}
