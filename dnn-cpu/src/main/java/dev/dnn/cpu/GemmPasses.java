package dev.dnn.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

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
 */
final class GemmPasses {
  /** Spins on a phase before yielding the processor to whichever thread it waits for. */
  private static final int SPINS_BEFORE_YIELD = 1 << 10;

  private GemmPasses() {}

  /** One panel of op(B): columns {@code [jc, jc + nc)}, rows {@code [pc, pc + kc)}. */
  record Pass(int jc, int nc, int pc, int kc) {}

  /** The work of a pass, split into tasks any thread may run. */
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

  /** Runs every pass of a product with {@code n} columns and depth {@code k}. */
  static void run(
      Parallel parallel, boolean threaded, int n, int k, int width, int depth, Steps steps) {
    int passCount = ((n + width - 1) / width) * ((k + depth - 1) / depth);
    Pass[] passes = new Pass[passCount];
    int count = 0;
    for (int jc = 0; jc < n; jc += width) {
      for (int pc = 0; pc < k; pc += depth) {
        passes[count++] = new Pass(jc, Math.min(width, n - jc), pc, Math.min(depth, k - pc));
      }
    }
    if (!threaded || parallel.threads() == 1) {
      for (Pass pass : passes) {
        int packs = steps.packTasks(pass);
        for (int t = 0; t < packs; t++) {
          steps.pack(pass, t, packs);
        }
        int multiplies = steps.multiplyTasks(pass);
        for (int t = 0; t < multiplies; t++) {
          steps.multiply(pass, t, multiplies);
        }
      }
      return;
    }
    new Chain(passes, steps).runOn(parallel);
  }

  /** The tasks of all passes as one numbered chain of phases (pack, multiply, pack, ...). */
  private static final class Chain {
    private final Pass[] passes;
    private final Steps steps;
    private final int[] sizes;
    private final int[] starts;
    private final int total;
    private final AtomicIntegerArray done;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Chain(Pass[] passes, Steps steps) {
      this.passes = passes;
      this.steps = steps;
      int phases = 2 * passes.length;
      sizes = new int[phases];
      starts = new int[phases + 1];
      for (int q = 0; q < phases; q++) {
        Pass pass = passes[q / 2];
        sizes[q] = q % 2 == 0 ? steps.packTasks(pass) : steps.multiplyTasks(pass);
        starts[q + 1] = starts[q] + sizes[q];
      }
      total = starts[phases];
      done = new AtomicIntegerArray(phases);
    }

    void runOn(Parallel parallel) {
      try {
        parallel.forChunks(parallel.threads(), ignored -> drain());
      } catch (RuntimeException | Error e) {
        Throwable first = failure.get();
        if (first instanceof RuntimeException re) {
          throw re;
        }
        if (first instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }

    private void drain() {
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
