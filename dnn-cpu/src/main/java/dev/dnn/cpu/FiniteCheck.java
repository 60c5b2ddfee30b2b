package dev.dnn.cpu;

/**
 * Whether floats are all finite: the check of a prediction's input rows, fused with their copy
 * ({@link FiniteCopy}). Implementations are stateless and safe to call from any thread.
 */
@FunctionalInterface
interface FiniteCheck {
  /** The plain form, {@link dev.dnn.backend.FiniteFloats#all}. */
  FiniteCheck PLAIN = dev.dnn.backend.FiniteFloats::all;

  /** Whether {@code values[from .. from + count)} holds no NaN and no infinity. */
  boolean all(float[] values, int from, int count);
}
