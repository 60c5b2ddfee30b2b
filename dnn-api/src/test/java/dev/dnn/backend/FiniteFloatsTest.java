package dev.dnn.backend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FiniteFloatsTest {
  /** A range sees its own values only: a NaN just before or just after it does not count. */
  @Test
  void aRangeIsCheckedAndNothingBesideIt() {
    for (int count = 0; count <= 19; count++) {
      float[] values = new float[count + 2];
      Arrays.fill(values, 1.5f);
      values[0] = Float.NaN;
      values[count + 1] = Float.NEGATIVE_INFINITY;
      assertTrue(FiniteFloats.all(values, 1, count), count + " values between two bad ones");
      for (int at = 1; at <= count; at++) {
        float[] bad = values.clone();
        bad[at] = Float.POSITIVE_INFINITY;
        assertFalse(FiniteFloats.all(bad, 1, count), count + " values, infinity at " + at);
      }
    }
  }

  @Test
  void aRangeOutsideTheArrayIsRefused() {
    float[] values = new float[10];
    assertThrows(IndexOutOfBoundsException.class, () -> FiniteFloats.all(values, 5, 6));
    assertThrows(IndexOutOfBoundsException.class, () -> FiniteFloats.all(values, -1, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> FiniteFloats.all(values, 0, -1));
  }
}
