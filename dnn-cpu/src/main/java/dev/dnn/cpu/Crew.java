package dev.dnn.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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

  private static final AtomicInteger NAMES = new AtomicInteger();

  /** A ticket's chunk number once its job is over: past any count, so no chunk is taken. */
  private static final long CLOSED = Integer.MAX_VALUE;

  private final Thread[] workers;
  private final AtomicBoolean busy = new AtomicBoolean();

  /*
   * The job under way is kept in these fields, reused from call to call, so that a fork allocates
   * nothing (a prediction forks a few times per call). The ticket holds the job's generation in
   * its high half and the next chunk to take in its low half: a thread takes a chunk by advancing
   * the ticket of the generation it saw, so a worker still leaving the last job cannot take a
   * chunk of the next one with the last one's task. The caller writes the task, count and caller
   * before it publishes the ticket, and changes them only once every chunk of the job is done and
   * the last job's ticket is closed (its next chunk set past any count).
   */
  private final AtomicLong ticket = new AtomicLong();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private IntConsumer task;

  /**
   * Volatile, and written only after the last job's ticket is closed: a worker that reads a newer
   * job's count than its ticket's then fails to advance that ticket (see drain).
   */
  private volatile int count;

  private Thread caller;

  private volatile boolean stopped;

  /** Workers not parked: spinning for a job, or running one. */
  private final AtomicInteger awake = new AtomicInteger();

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
      int last = generation(ticket.get());
      // A worker still leaving the last job may have read its ticket (all chunks taken) and be
      // about to compare it with the count: closed, it no longer passes for a chunk to take.
      ticket.set((long) last << 32 | CLOSED);
      this.task = task;
      this.count = count;
      this.caller = Thread.currentThread();
      done.set(0);
      failure.set(null);
      int generation = last + 1;
      ticket.set((long) generation << 32);
      for (Thread w : workers) {
        LockSupport.unpark(w);
      }
      drain(generation);
      awaitCompletion(count);
      // No finished task stays reachable from the workers between jobs.
      this.task = null;
      Throwable thrown = failure.getAndSet(null);
      if (thrown instanceof RuntimeException e) {
        throw e;
      }
      if (thrown instanceof Error e) {
        throw e;
      }
      return true;
    } finally {
      busy.set(false);
    }
  }

  /**
   * Whether every worker is parked (or none started yet): a job handed to them now would first wait
   * for a wake-up, which costs the caller's {@code unpark} and the time until the worker runs.
   */
  boolean asleep() {
    return awake.get() == 0;
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

  private static int generation(long ticket) {
    return (int) (ticket >>> 32);
  }

  /**
   * Runs chunks of job {@code generation} until none is left; the thread that completes the last
   * wakes the caller. The job's fields are read only after a chunk is taken: until that chunk is
   * done, the caller cannot move on to another job.
   */
  private void drain(int generation) {
    while (true) {
      long t = ticket.get();
      if (generation(t) != generation) {
        return;
      }
      int i = (int) t;
      // count may be read from a newer job than t's: the caller closed t's job before writing it,
      // so the compare-and-set fails, or this thread returns and its work loop finds the newer job.
      if (i >= count) {
        return;
      }
      if (!ticket.compareAndSet(t, t + 1)) {
        continue;
      }
      int chunks = count;
      Thread waiting = caller;
      try {
        task.accept(i);
      } catch (RuntimeException | Error e) {
        failure.compareAndSet(null, e);
      }
      if (done.incrementAndGet() == chunks && Thread.currentThread() != waiting) {
        LockSupport.unpark(waiting);
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
    awake.incrementAndGet();
    int seen = 0;
    while (true) {
      long spinStart = System.nanoTime();
      int generation;
      while ((generation = generation(ticket.get())) == seen && !stopped) {
        if (System.nanoTime() - spinStart < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          awake.decrementAndGet();
          LockSupport.park(this);
          awake.incrementAndGet();
        }
      }
      if (stopped) {
        return;
      }
      seen = generation;
      drain(generation);
    }
  }

  private void awaitCompletion(int chunks) {
    long spinStart = System.nanoTime();
    while (done.get() < chunks) {
      if (System.nanoTime() - spinStart < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
  }
}
