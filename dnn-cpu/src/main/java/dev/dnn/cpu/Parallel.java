package dev.dnn.cpu;

import dev.dnn.backend.Backend;
import java.lang.ref.Cleaner;
import java.util.function.IntConsumer;

/**
 * Splits index ranges over a fixed set of worker threads. Work below {@link #MIN_WORK_PER_THREAD}
 * per thread runs on the calling thread: forking costs microseconds, which small tensors do not
 * repay. The caller always runs one share itself, so {@code threads - 1} workers are kept (a {@link
 * Crew}). They are daemon threads, stopped by {@link #close} or, for a backend that is never
 * closed, once this object becomes unreachable (a {@link Cleaner} stops them).
 */
final class Parallel implements AutoCloseable {
  /** Roughly the number of simple float operations that pays for handing work to another thread. */
  static final long MIN_WORK_PER_THREAD = 32_768;

  /**
   * Work (simple float operations) from which a job wakes parked workers: about 150 to 300
   * microseconds on one thread. On a virtual machine here a parked worker's {@code unpark} took the
   * caller 17 us and the worker started 63 us later (p50); a prediction of one row then took 68 us
   * on two threads against 49 on one, when the requests came 500 us apart.
   */
  static final long WAKE_WORK = 1L << 25;

  /** How long small jobs may follow each other closely on the caller before they wake workers. */
  static final long WAKE_AFTER_NANOS = 250_000;

  /**
   * The fewest rows of a share of {@link #forRowShares}: two shares of two rows took a prediction
   * of the Tuned network at batch 4 from 34 us, each product split over the threads, to 45 us.
   */
  static final int MIN_SHARE_ROWS = 4;

  private static final ThreadLocal<RowShareJob> SHARE_JOBS =
      ThreadLocal.withInitial(RowShareJob::new);

  /*
   * When the last small job run on a caller because the workers were parked ended, and when the
   * stream of such jobs it belongs to began. Shared by the callers without a lock: a lost update
   * only moves a wake-up by a job.
   */
  private volatile long lastAloneEnd;
  private volatile long streamStart;

  /**
   * The most threads one instance may have: more than a few per processor only adds switching, and
   * a mistyped count (100000) would otherwise fail late with "unable to create native thread".
   */
  static final int MAX_THREADS = Math.max(64, 8 * Runtime.getRuntime().availableProcessors());

  private static final Cleaner CLEANER = Cleaner.create();

  /** A body over the half-open index range {@code [from, to)}. */
  @FunctionalInterface
  interface RangeBody {
    void run(int from, int to);
  }

  /** A body over {@code [from, to)} returning a partial sum. */
  @FunctionalInterface
  interface RangeSum {
    double run(int from, int to);
  }

  private final int threads;
  private final Crew crew;
  private final Cleaner.Cleanable cleanable;

  Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("cpu backend needs at least 1 thread, got " + threads);
    }
    if (threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "cpu backend thread count "
              + threads
              + " exceeds the limit of "
              + MAX_THREADS
              + " (8 per available processor, at least 64; this machine has "
              + Runtime.getRuntime().availableProcessors()
              + ")");
    }
    this.threads = threads;
    crew = threads == 1 ? null : new Crew(threads - 1);
    // The action holds the crew only, never this object, so it can run when this is unreachable.
    cleanable = CLEANER.register(this, crew == null ? () -> {} : crew::stop);
  }

  int threads() {
    return threads;
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into contiguous shares, where one index costs about
   * {@code workPerIndex} operations.
   */
  void forRange(int n, long workPerIndex, RangeBody body) {
    int shares = shares(n, workPerIndex);
    if (shares <= 1) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    forChunks(
        shares, work(n, workPerIndex), i -> body.run(bound(n, shares, i), bound(n, shares, i + 1)));
  }

  /**
   * Whether {@link #forRange} splits {@code [0, n)} at {@code workPerIndex} over several threads;
   * where it does not, a kernel on a latency path runs its body directly, without allocating it.
   */
  boolean splits(int n, long workPerIndex) {
    return shares(n, workPerIndex) > 1;
  }

  /**
   * Runs {@code task.run(i)} for every {@code i < count}, each on some thread; all finish first. A
   * call made while this instance's workers are busy (from inside a task, or from a second thread)
   * runs its chunks on the calling thread.
   */
  void forChunks(int count, IntConsumer task) {
    forChunks(count, Long.MAX_VALUE, task);
  }

  /**
   * {@link #forChunks(int, IntConsumer)} for a job of about {@code work} simple float operations (a
   * multiply-add counts two). One below {@link #WAKE_WORK} runs on the calling thread when every
   * worker is parked, and leaves them parked, unless such jobs have followed each other closely for
   * {@link #WAKE_AFTER_NANOS}: a short request that comes after a pause then costs what it costs on
   * one thread, not that plus a wake-up, while a steady stream of them wakes the workers.
   */
  void forChunks(int count, long work, IntConsumer task) {
    if (count > 1 && runsAlone(work)) {
      try {
        for (int i = 0; i < count; i++) {
          task.accept(i);
        }
      } finally {
        lastAloneEnd = System.nanoTime();
      }
      return;
    }
    if (count <= 0) {
      return;
    }
    if (crew == null || count == 1 || !crew.run(count, task)) {
      for (int i = 0; i < count; i++) {
        task.accept(i);
      }
    }
  }

  /**
   * Whether a job of {@code work} operations runs on the calling thread, the workers left parked
   * ({@link #forChunks(int, long, IntConsumer)}); the caller that runs it so sets {@link
   * #lastAloneEnd} when it is done.
   */
  private boolean runsAlone(long work) {
    if (work >= WAKE_WORK || crew == null || !crew.asleep()) {
      return false;
    }
    long start = System.nanoTime();
    if (start - lastAloneEnd > Crew.SPIN_NANOS) {
      // A pause the workers would have parked in anyway: the stream starts again.
      streamStart = start;
    }
    return start - streamStart < WAKE_AFTER_NANOS;
  }

  /**
   * {@link dev.dnn.backend.Backend#forRowShares}: one share per thread, each of at least {@link
   * #MIN_SHARE_ROWS} rows, as even as whole rows allow, run at once by the caller and the workers;
   * a share's ops then run on its thread alone (the workers are busy). One share of every row on
   * the caller, whose ops split as usual, where the shares could not run at once: too few rows, one
   * thread, the workers busy with another call, or parked with a short pass to come ({@link
   * #forChunks(int, long, IntConsumer)}'s rule). Shares run one after another cost more than one
   * pass over every row (the Tuned network, 16 rows after a pause: 169 us as 8 + 8 rows, 124 us at
   * once).
   */
  void forRowShares(int rows, long workPerRow, Backend.RowShare task) {
    int shares = Math.min(threads, rows / MIN_SHARE_ROWS);
    if (shares <= 1) {
      task.run(0, 0, rows);
      return;
    }
    if (runsAlone(work(rows, workPerRow))) {
      try {
        task.run(0, 0, rows);
      } finally {
        lastAloneEnd = System.nanoTime();
      }
      return;
    }
    RowShareJob job = SHARE_JOBS.get().set(rows, shares, task);
    boolean ran;
    try {
      ran = crew.run(shares, job);
    } finally {
      job.clear();
    }
    if (!ran) {
      task.run(0, 0, rows);
    }
  }

  /**
   * The fork's task of {@link #forRowShares}, one per calling thread and reused, so that a
   * prediction allocates nothing; between calls it holds no task.
   */
  private static final class RowShareJob implements IntConsumer {
    private Backend.RowShare task;
    private int rows;
    private int shares;

    RowShareJob set(int rows, int shares, Backend.RowShare task) {
      this.rows = rows;
      this.shares = shares;
      this.task = task;
      return this;
    }

    void clear() {
      task = null;
    }

    @Override
    public void accept(int share) {
      task.run(share, bound(rows, shares, share), bound(rows, shares, share + 1));
    }
  }

  /**
   * The sum of {@code body} over fixed-size chunks of {@code [0, n)}, added in chunk order, so the
   * result does not depend on the number of threads.
   */
  double sum(int n, int chunk, RangeSum body) {
    int count = (n + chunk - 1) / chunk;
    if (count <= 1) {
      return n > 0 ? body.run(0, n) : 0.0;
    }
    double[] partial = new double[count];
    int perShare = Math.max(1, (int) (MIN_WORK_PER_THREAD / chunk));
    int shares = (count + perShare - 1) / perShare;
    forChunks(
        Math.min(shares, count),
        s -> {
          int first = bound(count, Math.min(shares, count), s);
          int last = bound(count, Math.min(shares, count), s + 1);
          for (int c = first; c < last; c++) {
            partial[c] = body.run(c * chunk, Math.min(n, (c + 1) * chunk));
          }
        });
    double total = 0;
    for (double p : partial) {
      total += p;
    }
    return total;
  }

  private static long work(int n, long workPerIndex) {
    return (long) n * Math.max(1, workPerIndex);
  }

  private int shares(int n, long workPerIndex) {
    long work = (long) n * Math.max(1, workPerIndex);
    long byWork = work / MIN_WORK_PER_THREAD;
    return (int) Math.max(1, Math.min(Math.min(threads, byWork), n));
  }

  private static int bound(int n, int shares, int i) {
    return (int) ((long) n * i / shares);
  }

  @Override
  public void close() {
    cleanable.clean();
  }
}
