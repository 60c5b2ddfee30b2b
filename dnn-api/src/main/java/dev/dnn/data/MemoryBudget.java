package dev.dnn.data;

import java.util.Locale;

/**
 * The heap the JVM can still give to one input: {@link Runtime#maxMemory()} (set with {@code -Xmx})
 * less what is in use. Readers ask before allocating for what a file declares, so a header that
 * claims billions of values is refused in a sentence instead of ending in an {@link
 * OutOfMemoryError}.
 *
 * <p>Has no state: its methods may be called from any thread, each asking the runtime afresh.
 */
public final class MemoryBudget {
  private MemoryBudget() {}

  /** Bytes the heap can still grow by, now. */
  public static long available() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
  }

  /**
   * Checks that {@code bytes} fit in the heap.
   *
   * @param source the file, for the message
   * @param location where in it the size was declared (a byte offset, a line)
   * @param what what needs the memory, for the message ("dimensions [3, 28, 28] as float32")
   * @throws InputTooLargeException if they do not, even after a garbage collection
   */
  public static void require(long bytes, String source, String location, String what)
      throws InputTooLargeException {
    if (bytes <= available()) {
      return;
    }
    // Used memory counts garbage too: collect once before refusing an input that may fit.
    System.gc();
    long available = available();
    if (bytes > available) {
      throw new InputTooLargeException(
          source,
          location,
          what
              + " need "
              + format(bytes)
              + ", more than the "
              + format(available)
              + " of heap this JVM has left (maximum "
              + format(Runtime.getRuntime().maxMemory())
              + ", set with -Xmx)");
    }
  }

  /** A byte count for people: {@code 2.1 GB}, {@code 340 MB}, {@code 12 kB}. */
  public static String format(long bytes) {
    if (bytes >= 1e9) {
      return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
    if (bytes >= 1e6) {
      return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }
    if (bytes >= 1e3) {
      return String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
    }
    return bytes + " bytes";
  }
}
