package dev.dnn.cpu;

/**
 * A prediction's rows copied into a tensor and checked to be finite in one pass over them: each
 * block is checked right after its copy, from the L1 cache. Checking the caller's rows first and
 * copying them after read them twice on one thread, 15% of a 512-row prediction of the Tuned
 * network while the other threads waited (JFR). Stateless.
 */
final class FiniteCopy {
  /** Floats copied before they are checked: 16 kB. */
  private static final int BLOCK = 4096;

  /** From this many floats the copy is split over the threads (a batch of about 80 images). */
  static final int PARALLEL_FROM = 1 << 16;

  private FiniteCopy() {}

  /** Copies {@code dst.length} floats of {@code src} from {@code srcOffset}; whether all finite. */
  static boolean copy(
      Parallel parallel, FiniteCheck check, float[] src, int srcOffset, float[] dst) {
    int n = dst.length;
    if (n < PARALLEL_FROM || parallel.threads() == 1) {
      return copyRange(check, src, srcOffset, dst, 0, n);
    }
    // A share per PARALLEL_FROM floats, taken by whichever thread is free: a worker that parked
    // while the caller ran alone wakes late, and with one share per thread the caller, done with
    // its own, took the worker's too (JFR: 8 of 9 samples of the check on the caller).
    int shares = Math.max(parallel.threads(), n / PARALLEL_FROM);
    boolean[] finite = new boolean[shares];
    parallel.forChunks(
        shares,
        s -> {
          int from = (int) ((long) n * s / shares);
          int to = (int) ((long) n * (s + 1) / shares);
          finite[s] = copyRange(check, src, srcOffset + from, dst, from, to - from);
        });
    for (boolean f : finite) {
      if (!f) {
        return false;
      }
    }
    return true;
  }

  private static boolean copyRange(
      FiniteCheck check, float[] src, int srcFrom, float[] dst, int dstFrom, int count) {
    boolean finite = true;
    for (int done = 0; done < count; done += BLOCK) {
      int length = Math.min(BLOCK, count - done);
      System.arraycopy(src, srcFrom + done, dst, dstFrom + done, length);
      finite &= check.all(dst, dstFrom + done, length);
    }
    return finite;
  }
}
