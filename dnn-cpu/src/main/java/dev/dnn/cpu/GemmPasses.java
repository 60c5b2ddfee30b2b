package dev.dnn.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The blocking loop nest both GEMMs share: op(B) is cut into passes of {@code width} columns by
 * {@code depth} rows (columns outermost); each pass packs its panel of B, then multiplies every
 * block of A against it. What a pack or a multiply task does is the caller's {@link Steps}.
 *
 * <p>On several threads the whole product is one fork. The tasks of all passes, in order (a pass's
 * pack tasks, then its multiply tasks, then the next pass's), are handed out from one counter, and
 * a task first waits until every task of the phase before its own is done (the nearest earlier one
 * that has tasks: a pass may need no packing): a multiply needs its panel packed, the next packing
 * overwrites the panel the multiplies read, and the next pass's multiplies add to the same C. A
 * task only waits for tasks with smaller numbers, all already taken by threads that are running
 * them, so the chain always finishes, on any number of threads. Forking two times a pass instead
 * cost a wake-up of the workers each time, which the small and middle-sized layers felt. Which
 * tasks a thread runs does not change what any task computes.
 *
 * <p>An instance keeps the objects a run needs (the passes, the chain's counters) from one run to
 * the next, so that a product run often (a layer at every prediction) allocates nothing. Not for
 * concurrent use: each calling thread keeps its own.
 */
final class GemmPasses {
  /** Spins on a phase before yielding the processor to whichever thread it waits for. */
  private static final int SPINS_BEFORE_YIELD = 1 << 10;

  /** One panel of op(B): columns {@code [jc, jc + nc)}, rows {@code [pc, pc + kc)}. */
  static final class Pass {
    private int jc;
    private int nc;
    private int pc;
    private int kc;
    private int index;

    private void set(int jc, int nc, int pc, int kc, int index) {
      this.jc = jc;
      this.nc = nc;
      this.pc = pc;
      this.kc = kc;
      this.index = index;
    }

    /** Where this pass comes in the product's order: columns outermost, then depth. */
    int index() {
      return index;
    }

    int jc() {
      return jc;
    }

    int nc() {
      return nc;
    }

    int pc() {
      return pc;
    }

    int kc() {
      return kc;
    }
  }

  /**
   * The work of a pass, split into tasks any thread may run. A pass is valid only during the call
   * it is given to: the runner reuses it.
   */
  interface Steps {
    /** How many tasks pack this pass's panel of B. */
    int packTasks(Pass pass);

    /** Packs share {@code task} of {@code tasks} of the panel. */
    void pack(Pass pass, int task, int tasks);

    /** How many tasks multiply the packed panel. */
    int multiplyTasks(Pass pass);

    /** Runs multiply task {@code task} of {@code tasks}. */
    void multiply(Pass pass, int task, int tasks);
  }

  private Pass[] passes = new Pass[0];
  private final Chain chain = new Chain();

  /** Runs every pass of a product with {@code n} columns and depth {@code k}. */
  void run(Parallel parallel, boolean threaded, int n, int k, int width, int depth, Steps steps) {
    int count = ((n + width - 1) / width) * ((k + depth - 1) / depth);
    if (passes.length < count) {
      Pass[] grown = Arrays.copyOf(passes, count);
      for (int p = passes.length; p < count; p++) {
        grown[p] = new Pass();
      }
      passes = grown;
    }
    int p = 0;
    for (int jc = 0; jc < n; jc += width) {
      for (int pc = 0; pc < k; pc += depth) {
        passes[p].set(jc, Math.min(width, n - jc), pc, Math.min(depth, k - pc), p);
        p++;
      }
    }
    if (threaded && parallel.threads() > 1) {
      chain.run(parallel, passes, count, steps);
      return;
    }
    for (int q = 0; q < count; q++) {
      Pass pass = passes[q];
      int packs = steps.packTasks(pass);
      for (int t = 0; t < packs; t++) {
        steps.pack(pass, t, packs);
      }
      int multiplies = steps.multiplyTasks(pass);
      for (int t = 0; t < multiplies; t++) {
        steps.multiply(pass, t, multiplies);
      }
    }
  }

  /**
   * The tasks of all passes as one numbered chain of phases (pack, multiply, pack, ...), each
   * thread of the fork draining it ({@link #accept}). Reused from run to run: a fork returns only
   * once every thread has left it.
   */
  private static final class Chain implements IntConsumer {
    private Pass[] passes;
    private Steps steps;
    private int[] sizes = new int[0];
    private int[] starts = new int[1];
    private int total;
    private AtomicIntegerArray done = new AtomicIntegerArray(0);
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    void run(Parallel parallel, Pass[] passes, int count, Steps steps) {
      int phases = 2 * count;
      if (sizes.length < phases) {
        sizes = new int[phases];
        starts = new int[phases + 1];
        done = new AtomicIntegerArray(phases);
      }
      for (int q = 0; q < phases; q++) {
        Pass pass = passes[q / 2];
        sizes[q] = q % 2 == 0 ? steps.packTasks(pass) : steps.multiplyTasks(pass);
        starts[q + 1] = starts[q] + sizes[q];
        done.set(q, 0);
      }
      this.passes = passes;
      this.steps = steps;
      total = starts[phases];
      next.set(0);
      failure.set(null);
      try {
        parallel.forChunks(parallel.threads(), this);
      } catch (RuntimeException | Error e) {
        Throwable first = failure.get();
        if (first instanceof RuntimeException re) {
          throw re;
        }
        if (first instanceof Error err) {
          throw err;
        }
        throw e;
      } finally {
        this.passes = null;
        this.steps = null;
      }
    }

    /** One thread's share: tasks taken from the shared counter until none is left. */
    @Override
    public void accept(int ignored) {
      int phase = 0;
      for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
        while (i >= starts[phase + 1]) {
          phase++;
        }
        awaitBefore(phase);
        int task = i - starts[phase];
        Pass pass = passes[phase / 2];
        try {
          if (phase % 2 == 0) {
            steps.pack(pass, task, sizes[phase]);
          } else {
            steps.multiply(pass, task, sizes[phase]);
          }
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
          throw e;
        }
        done.incrementAndGet(phase);
      }
    }

    /**
     * Waits for the nearest phase before {@code phase} that has tasks; the phases before that one
     * are done once it is, since its own tasks waited for them. An empty phase (a pass whose B
     * needs no packing) orders nothing: skipping only it would let the next pass's multiplies
     * update C while this pass's still do.
     */
    private void awaitBefore(int phase) {
      for (int q = phase - 1; q >= 0; q--) {
        awaitPhase(q);
        if (sizes[q] > 0) {
          return;
        }
      }
    }

    private void awaitPhase(int phase) {
      for (int spins = 0; done.get(phase) < sizes[phase]; spins++) {
        if (failure.get() != null) {
          throw new IllegalStateException("another gemm task failed", failure.get());
        }
        if (spins < SPINS_BEFORE_YIELD) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
    }
  }
}
