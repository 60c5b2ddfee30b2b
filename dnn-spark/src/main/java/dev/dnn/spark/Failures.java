package dev.dnn.spark;

import java.util.function.Supplier;

/**
 * Turns a Spark job failure caused by bad input back into the {@link IllegalArgumentException} a
 * task threw (its message names the column and the row), instead of Spark's wrapper that buries it
 * in a stage failure. Other failures pass unchanged.
 */
final class Failures {
  private Failures() {}

  /** Runs {@code job}, rethrowing a task's {@link IllegalArgumentException} as the driver's own. */
  static <T> T unwrapInput(Supplier<T> job) {
    try {
      return job.get();
    } catch (Exception e) { // Scala rethrows the checked SparkException undeclared.
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof IllegalArgumentException bad) {
          throw new IllegalArgumentException(bad.getMessage(), e);
        }
      }
      throw Failures.<RuntimeException>sneaky(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E sneaky(Exception e) throws E {
    throw (E) e;
  }
}
