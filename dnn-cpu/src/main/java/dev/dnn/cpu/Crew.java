package dev.dnn.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The worker threads of one {@link Parallel}, handed one job at a time. A training step forks a
 * hundred times or so, mostly for small tensors, and an executor's queue, future and wake-up cost
 * 10 to 45 microseconds a fork here; these workers instead spin for {@link #SPIN_NANOS} after each
 * job, so the next one starts within a microsecond, and park when the work stops. It refers to no
 * {@code Parallel}, so that one can become unreachable while its workers wait.
 */
final class Crew {
  /** How long a waiting thread spins before it parks: a few small kernels' worth. */
  static final long SPIN_NANOS = 50_000;

  /** One call's chunks: taken in order by whichever thread comes, counted when done. */
  private static final class Job {
    final int generation;
    final IntConsumer task;
    final int count;
    final Thread caller;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Job(int generation, IntConsumer task, int count, Thread caller) {
      this.generation = generation;
      this.task = task;
      this.count = count;
      this.caller = caller;
    }

    /** Runs chunks until none is left; the thread that completes the last wakes the caller. */
    void drain() {
      for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
        try {
          task.accept(i);
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
        }
        if (done.incrementAndGet() == count && Thread.currentThread() != caller) {
          LockSupport.unpark(caller);
        }
      }
    }
  }

  private static final AtomicInteger NAMES = new AtomicInteger();

  private final Thread[] workers;
  private final AtomicBoolean busy = new AtomicBoolean();
  private int generations;

  /** The job under way, null between jobs so that no finished task stays reachable. */
  private volatile Job current;

  private volatile boolean stopped;

  Crew(int size) {
    workers = new Thread[size];
  }

  /**
   * Runs {@code task} for every chunk below {@code count} on the caller and the workers; false,
   * running nothing, when the workers are busy with another call or stopped.
   */
  boolean run(int count, IntConsumer task) {
    if (stopped || !busy.compareAndSet(false, true)) {
      return false;
    }
    try {
      start();
      Job job = new Job(++generations, task, count, Thread.currentThread());
      current = job;
      for (Thread w : workers) {
        LockSupport.unpark(w);
      }
      job.drain();
      awaitCompletion(job);
      current = null;
      Throwable failure = job.failure.get();
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return true;
    } finally {
      busy.set(false);
    }
  }

  /** Ends the workers; later calls run on their callers. */
  void stop() {
    stopped = true;
    for (Thread w : workers) {
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /** Starts the workers on first use (only one caller at a time gets here). */
  private void start() {
    if (workers[0] != null) {
      return;
    }
    for (int w = 0; w < workers.length; w++) {
      Thread t = new Thread(this::work, "dnn-cpu-" + NAMES.incrementAndGet());
      t.setDaemon(true);
      workers[w] = t;
      t.start();
    }
  }

  private void work() {
    int seen = 0;
    while (true) {
      long spinStart = System.nanoTime();
      Job job;
      while (((job = current) == null || job.generation == seen) && !stopped) {
        if (System.nanoTime() - spinStart < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      if (stopped) {
        return;
      }
      seen = job.generation;
      job.drain();
    }
  }

  private static void awaitCompletion(Job job) {
    long spinStart = System.nanoTime();
    while (job.done.get() < job.count) {
      if (System.nanoTime() - spinStart < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(job);
      }
    }
  }
}
