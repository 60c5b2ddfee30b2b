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
    requireRange(values, 0, values.length, perExample, what);
  }

  /**
   * {@link #require(float[], int, String)} over the {@code examples} examples that start at example
   * {@code first}, named by their place in all of {@code values}.
   */
  public static void require(float[] values, int first, int examples, int perExample, String what) {
    requireRange(values, first * perExample, (first + examples) * perExample, perExample, what);
  }

  /**
   * {@link #require(float[], int, String)} over the first {@code examples} examples of {@code
   * values}, a staged copy of examples {@code firstExample} on of a larger set, named by their
   * place in that set.
   */
  public static void requireStaged(
      float[] values, int examples, int perExample, int firstExample, String what) {
    requireRange(values, 0, examples * perExample, perExample, firstExample, what);
  }

  private static void requireRange(float[] values, int from, int to, int perExample, String what) {
    requireRange(values, from, to, perExample, 0, what);
  }

  private static void requireRange(
      float[] values, int from, int to, int perExample, int firstExample, String what) {
    if (FiniteFloats.all(values, from, to - from)) {
      return;
    }
    for (int i = from; i < to; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            what
                + " "
                + i % perExample
                + " of example "
                + (firstExample + i / perExample)
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
