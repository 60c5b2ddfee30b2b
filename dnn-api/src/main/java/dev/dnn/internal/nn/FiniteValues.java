package dev.dnn.internal.nn;

import dev.dnn.backend.FiniteFloats;

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

  /** Whether every value is finite ({@link FiniteFloats#all}). */
  static boolean allFinite(float[] values) {
    return FiniteFloats.all(values, 0, values.length);
  }
}
