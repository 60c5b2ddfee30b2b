package dev.dnn.cpu;

/** The thread count a system property asks for, checked against {@link Parallel#MAX_THREADS}. */
final class ThreadCount {
  private ThreadCount() {}

  /** The value of {@code property}, or the number of available processors when it is unset. */
  static int fromProperty(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      int threads = Integer.parseInt(value.trim());
      if (threads < 1) {
        throw new NumberFormatException("must be at least 1");
      }
      if (threads > Parallel.MAX_THREADS) {
        throw new IllegalArgumentException(
            "system property "
                + property
                + "="
                + threads
                + " exceeds the limit of "
                + Parallel.MAX_THREADS
                + " threads (8 per available processor, at least 64)");
      }
      return threads;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "system property " + property + "='" + value + "' is not a positive integer", e);
    }
  }
}
