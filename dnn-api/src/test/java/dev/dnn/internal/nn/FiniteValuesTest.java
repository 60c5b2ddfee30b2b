package dev.dnn.internal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FiniteValuesTest {
  /** Every exponent field, each with the smallest, a middle and the largest significand. */
  @Test
  void theBranchFreeCheckAgreesWithFloatIsFiniteOnEveryExponent() {
    for (int sign = 0; sign <= 1; sign++) {
      for (int exponent = 0; exponent <= 0xff; exponent++) {
        for (int significand : new int[] {0, 1, 0x400000, 0x7fffff}) {
          float v = Float.intBitsToFloat(sign << 31 | exponent << 23 | significand);
          float[] values = {1f, v, -2f};
          assertEquals(
              Float.isFinite(v),
              FiniteValues.allFinite(values),
              () -> Integer.toHexString(Float.floatToRawIntBits(v)));
        }
      }
    }
  }

  /** A non-finite value in each of the eight partial sums and in the tail after them. */
  @Test
  void aNonFiniteValueIsFoundAtEveryPosition() {
    for (int length = 1; length <= 21; length++) {
      for (int at = 0; at < length; at++) {
        for (float bad :
            new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
          float[] values = new float[length];
          java.util.Arrays.fill(values, -Float.MAX_VALUE);
          values[at] = bad;
          assertFalse(FiniteValues.allFinite(values), length + " values, " + bad + " at " + at);
        }
      }
    }
  }

  @Test
  void anEmptyArrayIsFinite() {
    assertTrue(FiniteValues.allFinite(new float[0]));
  }

  @Test
  void theFirstNonFiniteValueIsNamedByExampleAndPosition() {
    float[] values = new float[3 * 4];
    values[6] = Float.NEGATIVE_INFINITY;
    values[9] = Float.NaN;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FiniteValues.require(values, 4, "feature"));
    assertEquals("feature 2 of example 1 is -Infinity: features must be finite", e.getMessage());
  }

  @Test
  void finiteValuesPass() {
    FiniteValues.require(new float[] {Float.MAX_VALUE, -Float.MIN_VALUE, -0f}, 3, "target");
  }
}
