package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has the JIT compile the vector kernels before the user's work runs on them. Until C2 has compiled
 * a Vector API method, the interpreter and C1 run it tens of times slower than a plain loop (every
 * vector is an object): the Tuned network's first epoch took 4 s against 1.1 s for the next, and a
 * 3-epoch run on the bundled images 3 s on the vector path against 1.4 s on the plain one.
 *
 * <p>The first vector kernels of a JVM start one daemon thread that runs small products of every
 * form the vector GEMM has (ragged tiles, A packed and in place, B packed and in place, one row,
 * the transposed result; beta 0, 1 and other) and calls the vector Adam and reductions on small
 * arrays: these many short calls reach the JIT's thresholds with a complete profile, so that the
 * user's first calls neither run Vector API code uncompiled (tens of times slower than a plain
 * loop) nor take a branch the compiled code has no path for (which discards it and compiles again,
 * in the first epoch). Each round then times products of whole tiles on the vector GEMM and on the
 * plain one, in turns. Once the vector GEMM takes at most {@link #MARGIN} of the plain one's best
 * time, twice in a row and after {@link #MIN_ROUNDS} rounds, it turns those forms on ({@link
 * VectorSwitch#AFTER_WARM_UP}). A second phase then calls the losses' vector forms (every network
 * has a loss) and the GEMM's later forms (several passes over K, a narrow weight gradient without
 * the transposed result) for {@link #LATER_ROUNDS} rounds, and turns the losses' vector forms on
 * ({@link VectorSwitch#AFTER_LOSS_WARM_UP}). After that the thread waits for requests: the
 * activations' and dropout's forms ({@link Family}), which only some networks call, are compiled
 * when a kernel first asks for them and then turned on. Until its switch is on, every kernel runs
 * its plain form: all give the same bits, so results never depend on the timing.
 *
 * <p>The thread takes at most a third of a core once the GEMM's thresholds are passed. If the
 * vector GEMM has not won after {@link #LIMIT_SECONDS} (a JIT that compiled it badly, as JDK 17's
 * C2 sometimes does with the ragged forms, or a compiler thread that the user's work has left
 * little of two cores), it times one round every {@link #RECHECK_MILLIS} until {@link
 * #LAST_CHECK_SECONDS}, so that a late compile is still used; the plain forms stay meanwhile, and
 * for good if it never wins: they give the same bits, and a vector form that lost every round would
 * only be slower.
 *
 * <p>Safe for concurrent use: each readiness is one volatile flag ({@link VectorSwitch}), set once,
 * and the requests go through a concurrent queue.
 */
final class VectorWarmUp {
  /** The contest's rounds come close together until this many seconds... */
  static final int LIMIT_SECONDS = 20;

  /**
   * ... then one round every this many milliseconds: a 20 ms round a second costs 2% of a core, and
   * a compile that finished late (C2 shares two cores with the user's busy threads, and one fork in
   * ten to twenty of the inference benchmark had not compiled the vector GEMM's driver after 7 s)
   * still turns the vector forms on.
   */
  static final long RECHECK_MILLIS = 1000;

  /** After this many seconds the plain forms stay unless the vector ones won. */
  static final int LAST_CHECK_SECONDS = 600;

  private static final Logger LOG = LoggerFactory.getLogger(VectorWarmUp.class);
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /** Products of each shape per timed round. */
  private static final int CALLS = 16;

  /**
   * Rounds at least: Adam and the reductions (whose vector forms are not timed, being no faster
   * than their compiled plain forms on small arrays) have then had {@code 4 CALLS MIN_ROUNDS} calls
   * of about a dozen loop iterations each, past C2's threshold (15,000 invocations and loop
   * iterations).
   */
  static final int MIN_ROUNDS = 24;

  /**
   * The share of the plain GEMM's time the vector GEMM may take on whole tiles to count as
   * compiled: C2's code takes about half, the interpreter's and C1's several times the plain time,
   * so a plain round slowed by the caller's threads or a collection cannot pass for compiled code.
   */
  static final double MARGIN = 0.75;

  /**
   * Rounds of the second phase: C2's thresholds for the early-compiled vector forms are passed by
   * the middle, and the later rounds leave the compiles time to finish.
   */
  static final int LATER_ROUNDS = 24;

  /** Timings per GEMM in a round that can decide the contest, of which the least counts. */
  static final int TIMED_REPEATS = 3;

  /** The shortest pause between rounds once the thresholds are passed. */
  static final long WAIT_MILLIS = 10;

  /** Pause per unit of a round's time once the thresholds are passed: a third of a core at most. */
  static final int PAUSE_PER_ROUND = 2;

  private VectorWarmUp() {}

  /** Starts the warm-up thread, once per JVM. */
  static void startOnce() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(VectorWarmUp::run, "dnn-cpu-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    long start = System.nanoTime();
    Operands x = null;
    boolean won = false;
    try {
      x = new Operands();
      Outcome outcome =
          contest(
              x,
              start + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS),
              start + TimeUnit.SECONDS.toNanos(LAST_CHECK_SECONDS),
              System::nanoTime,
              Thread::sleep);
      won = outcome.won();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (won) {
        LOG.debug(
            "cpu kernels: vector forms in use after {} ms ({} rounds)", millis, outcome.rounds());
      } else {
        LOG.info(
            "cpu kernels: the vector GEMM was not faster than the plain one after {} ms ({} rounds);"
                + " the plain GEMM, Adam and reductions stay in use (same results)",
            millis,
            outcome.rounds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // A failed warm-up costs speed only; the kernels' own calls report any real fault.
      LOG.debug("cpu kernel warm-up stopped: {}", e.toString());
    } finally {
      if (won) {
        VectorSwitch.warmedUp();
      }
    }
    try {
      if (won) {
        long laterStart = System.nanoTime();
        laterRounds(x::coverLater, Thread::sleep);
        LOG.debug(
            "cpu kernels: the losses' vector forms in use after {} ms more",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - laterStart));
        VectorSwitch.lossesWarmedUp();
        serveRequests(x);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.debug("cpu kernel warm-up, second phase, stopped: {}", e.toString());
    } finally {
      if (x != null) {
        x.close();
      }
    }
  }

  /**
   * The vector forms that only some networks call, each compiled when a kernel first asks for them
   * ({@link VectorSwitch#request}): covering them all before the first request cost the first
   * network of {@code dnn experiment} (a ReLU MLP, training while the warm-up ran) more than the
   * later networks gained.
   */
  enum Family {
    /** The activations with a vector form (those built on exponentials). */
    ACTIVATIONS,
    /** Dropout's forward pass (the Philox uniforms). */
    DROPOUT;

    /** Off until this family's forms are compiled, then on. */
    final VectorSwitch vectors = VectorSwitch.onRequest(this);
  }

  private static final BlockingQueue<Family> REQUESTS = new LinkedBlockingQueue<>();

  /**
   * Asks for a family's forms: the warm-up thread compiles them once its second phase is over
   * (right away if it is), then turns the family's switch on. If the vector GEMM lost the contest,
   * no family is turned on.
   */
  static void request(Family family) {
    REQUESTS.add(family);
  }

  /**
   * Serves the families' requests for the rest of the JVM's life: {@link #LATER_ROUNDS} rounds of
   * each requested family's calls, 10 ms apart, then its switch on. The thread waits in between.
   */
  private static void serveRequests(Rounds rounds) throws InterruptedException {
    while (true) {
      Family family = REQUESTS.take();
      long start = System.nanoTime();
      laterRounds(() -> rounds.coverFamily(family), Thread::sleep);
      family.vectors.turnOn();
      LOG.debug(
          "cpu kernels: {} vector forms in use {} ms after the request",
          family,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
  }

  /** The work of one warm-up: the calls that feed the JIT, and the two GEMMs' timed products. */
  interface Rounds {
    /** Calls of the vector forms of the GEMM, Adam and the reductions. */
    void cover();

    /**
     * Calls of the losses' vector forms, of the input check and of the GEMM's later forms (the
     * second phase).
     */
    void coverLater();

    /** Calls of one family's vector forms, once asked for. */
    void coverFamily(Family family);

    /**
     * Nanoseconds the vector and the plain GEMM took for the timed products, each the least of
     * {@code repeats} timings taken in turns (vector, plain, vector, ...).
     */
    Timings timed(int repeats);
  }

  /** One round's times of the vector and the plain GEMM, in nanoseconds. */
  record Timings(long vector, long plain) {}

  /** Waits the given milliseconds. */
  interface Pause {
    void sleep(long millis) throws InterruptedException;
  }

  /**
   * The rounds of the second phase ({@link Rounds#coverLater}) and of each requested family, once
   * the first phase has turned the GEMM's vector forms on: {@link #LATER_ROUNDS} rounds of {@code
   * calls}, not timed (those forms' plain loops are no faster once compiled), each followed by a
   * short pause. Apart from the first phase, so that the vector GEMM does not wait for them;
   * without its longer pauses, so that the second phase ends before the data of a typical run has
   * loaded.
   */
  static void laterRounds(Runnable calls, Pause pause) throws InterruptedException {
    for (int round = 0; round < LATER_ROUNDS; round++) {
      calls.run();
      pause.sleep(WAIT_MILLIS);
    }
  }

  /** How a warm-up ended: whether the vector GEMM won, after how many rounds. */
  record Outcome(boolean won, int rounds) {}

  /**
   * Rounds until the vector GEMM takes at most {@link #MARGIN} of the plain one's best time twice
   * in a row, after at least {@link #MIN_ROUNDS}, or until {@code lastCheck} on {@code clock}. Past
   * {@link #MIN_ROUNDS} the profiles are complete and the compiles queued: a round then only times,
   * and is followed by a pause of {@link #PAUSE_PER_ROUND} times its length, so as not to take a
   * core from the caller's threads and the compiler's; past {@code deadline}, by a pause of {@link
   * #RECHECK_MILLIS}.
   */
  static Outcome contest(
      Rounds rounds, long deadline, long lastCheck, LongSupplier clock, Pause pause)
      throws InterruptedException {
    int faster = 0;
    int done = 0;
    long bestPlain = Long.MAX_VALUE;
    while ((faster < 2 || done < MIN_ROUNDS) && clock.getAsLong() < lastCheck) {
      long roundStart = clock.getAsLong();
      if (done < MIN_ROUNDS) {
        rounds.cover();
      }
      // From the rounds that can decide on: the least of a few timings, since a timing of some
      // tens of microseconds is often stretched by a preemption when the caller's threads keep
      // both cores busy, never shortened. Single timings before: interpreted, they are slow.
      int repeats = done + 2 >= MIN_ROUNDS ? TIMED_REPEATS : 1;
      Timings timings = rounds.timed(repeats);
      // Against the plain GEMM's best time so far, not this round's: the caller's threads can
      // slow the plain timings for whole rounds, and C1's vector code, several times slower than
      // C2's, then passed for compiled (on JDK 17, with the training slowed to half its speed).
      // Against this round's plain time instead, the user's work running, the vector GEMM won
      // in 3 of 7 runs of the experiment on the bundled data, against 13 of 14 with the best.
      bestPlain = Math.min(bestPlain, timings.plain());
      faster = timings.vector() <= MARGIN * bestPlain ? faster + 1 : 0;
      done++;
      if (LOG.isTraceEnabled()) {
        LOG.trace(
            "cpu kernel warm-up round {}: vector GEMM {} us, plain {} us (best {} us)",
            done,
            timings.vector() / 1000,
            timings.plain() / 1000,
            bestPlain / 1000);
      }
      // No pause after the deciding round: the vector forms go on at once.
      if (done >= MIN_ROUNDS && faster < 2) {
        long now = clock.getAsLong();
        long roundMillis = TimeUnit.NANOSECONDS.toMillis(now - roundStart);
        long shortest = now < deadline ? WAIT_MILLIS : RECHECK_MILLIS;
        pause.sleep(Math.max(shortest, PAUSE_PER_ROUND * roundMillis));
      }
    }
    return new Outcome(faster >= 2 && done >= MIN_ROUNDS, done);
  }

  /**
   * Small products of every form the vector GEMM has, on both GEMMs, and small calls of the other
   * kernels' vector forms.
   */
  static final class Operands implements Rounds, AutoCloseable {
    /**
     * m, n, k, transposeA, transposeB: A packed with ragged tiles; A in place, narrow C (the
     * one-vector tile); one row (the strip); B packed from its transpose with a ragged last panel;
     * a narrow weight gradient (the transposed result); both operands transposed. As small as those
     * forms allow: before C2 has compiled them, each call is slow. Then the later forms (second
     * phase): a narrow weight gradient without the transposed result; and, deeper than {@link
     * VectorGemm#KC}, a tile and a strip of one row (the later passes over K: beta 1, B in place at
     * an offset).
     */
    static final int[][] SHAPES = {
      {8, 100, 66, 0, 0},
      {7, 13, 30, 0, 0},
      {1, 300, 50, 0, 0},
      {13, 37, 20, 0, 1},
      {50, 10, 60, 1, 0},
      {13, 40, 12, 1, 1},
      {20, 20, 40, 1, 0},
      {VectorTiles.MR, VectorTiles.NR, VectorGemm.KC + 8, 0, 0},
      {1, VectorTiles.STRIP_PANELS * VectorTiles.NR, VectorGemm.KC + 8, 0, 0},
    };

    /**
     * The last {@code LATER} of {@link #SHAPES} run in the second phase ({@link #coverLater}):
     * forms that only the driver around the tiles has, so that the first phase, which the vector
     * GEMM waits for, stays short.
     */
    static final int LATER = 3;

    /**
     * Whole tiles, as a layer's products mostly are, in the forward (A and B in place) and the
     * weight-gradient (A transposed) forms: the shapes the two GEMMs are timed on. The ragged forms
     * above are no measure: on JDK 17, whose C2 runs masked stores lane by lane, the vector GEMM
     * may stay slower than the plain one on them, while it is the faster on whole tiles.
     */
    static final int[][] TIMED = {
      {2 * VectorTiles.MR, 2 * VectorTiles.NR, 64, 0, 0},
      {2 * VectorTiles.MR, 2 * VectorTiles.NR, 64, 1, 0},
    };

    /** Elements per call of Adam and the reductions. */
    static final int SHORT = 200;

    /** Rows and columns of the losses' calls: a few vectors and a tail in each row. */
    static final int ROWS = 12;

    static final int CLASSES = 7;

    private static final ActivationKind[] KINDS = ActivationKind.values();

    /** Products of each timed shape per GEMM and round. */
    static final int TIMED_CALLS = 4;

    final float[][] a = new float[SHAPES.length + TIMED.length][];
    final float[][] b = new float[SHAPES.length + TIMED.length][];
    final float[][] c = new float[SHAPES.length + TIMED.length][];
    final float[] m = new float[4096];
    final float[] v = new float[4096];
    final float[] sums = new float[64];
    final OptimizerKernels.AdamTerms adam =
        new OptimizerKernels.AdamTerms(0.9f, 0.999f, 1e-8f, 1e-4f, 1e-3f, 0.5f, 1e-5f);
    final float[] logits = new float[ROWS * CLASSES];
    final float[] grad = new float[ROWS * CLASSES];
    final float[] labels = new float[ROWS];
    final float[] targets = new float[ROWS * CLASSES];
    final Parallel one = new Parallel(1);
    final GemmKernel vector = new VectorGemm(one, VectorSwitch.ON);
    final GemmKernel plain = new PackedGemm(one, VectorTiles.NR);
    final VectorOptimizerKernels optimizers = new VectorOptimizerKernels(one, VectorSwitch.ON);
    final VectorReductionKernels reductions = new VectorReductionKernels(one, VectorSwitch.ON);
    final LossKernels losses = new VectorLossKernels(one, VectorSwitch.ON);
    final ActivationKernels activations = new VectorActivationKernels(one, VectorSwitch.ON);
    final DropoutKernels dropout = new VectorDropoutKernels(one, VectorSwitch.ON);
    final FiniteCheck finite = new VectorFiniteCheck(VectorSwitch.ON);
    final float[] out = new float[ROWS * CLASSES];
    final float[] slopes = new float[ROWS * CLASSES];
    final float[] bias = new float[CLASSES];
    private int familyCalls;

    Operands() {
      for (int s = 0; s < a.length; s++) {
        int[] x = s < SHAPES.length ? SHAPES[s] : TIMED[s - SHAPES.length];
        a[s] = random(x[0] * x[2], 2L * s);
        b[s] = random(x[2] * x[1], 2L * s + 1);
        c[s] = new float[x[0] * x[1]];
      }
      float[] values = random(targets.length, -1);
      for (int i = 0; i < targets.length; i++) {
        targets[i] = values[i] > 0 ? 1f : 0f;
      }
      for (int i = 0; i < labels.length; i++) {
        labels[i] = i % CLASSES;
      }
      Arrays.fill(slopes, 0.25f);
    }

    /**
     * {@link #CALLS} calls of a family's forms on the losses' arrays (as {@code ROWS x CLASSES}),
     * from fresh values each time so that the profiles see both signs: the next activation kind's
     * forward and backward at each call, every kind in turn; dropout's forward.
     */
    @Override
    public void coverFamily(Family family) {
      for (int i = 0; i < CALLS; i++) {
        int call = familyCalls++;
        System.arraycopy(a[0], i, logits, 0, logits.length);
        switch (family) {
          case ACTIVATIONS -> {
            ActivationKind kind = KINDS[call % KINDS.length];
            activations.biasForward(kind, 0.1f, slopes, logits, bias, out, ROWS, CLASSES);
            activations.backward(kind, 0.1f, slopes, logits, out, b[0], grad, CLASSES);
          }
          case DROPOUT -> dropout.forward(logits, 0.8f, call, 1, grad, out);
        }
      }
    }

    /**
     * {@link #CALLS} products of every first-phase shape on the vector GEMM, and calls of the
     * vector Adam and reductions: the forms the JIT must see before the vector path is worth
     * taking.
     */
    @Override
    public void cover() {
      for (int i = 0; i < CALLS; i++) {
        float beta = i % 3 == 0 ? 0f : i % 3 == 1 ? 1f : 0.5f;
        for (int s = 0; s < SHAPES.length - LATER; s++) {
          multiply(vector, s, beta);
        }
      }
      float[] p = c[0];
      float[] g = b[0];
      for (int i = 0; i < 4 * CALLS; i++) {
        // Short lengths, each with a tail for the plain form as a layer's parameters mostly have:
        // C2's thresholds count calls and loop iterations, and until then every iteration is
        // slow, so many short calls reach them soonest.
        optimizers.adamRange(p, g, m, v, adam, 0, SHORT - 5);
        reductions.columnSumsRange(g, 8, 100, i % 2 == 0 ? 0f : 1f, sums, 0, 61);
        reductions.squaredNormRange(g, 0, SHORT - 7);
        reductions.sumRange(g, 0, SHORT - 7);
      }
    }

    /**
     * {@link #CALLS} calls of the losses' vector forms, on logits from fresh values each time so
     * that the profiles see both signs, and of the input check, and at every fourth call the GEMM's
     * later forms.
     */
    @Override
    public void coverLater() {
      for (int i = 0; i < CALLS; i++) {
        System.arraycopy(a[0], i, logits, 0, logits.length);
        losses.softmaxCrossEntropy(logits, labels, grad, ROWS, CLASSES);
        losses.sigmoidBinaryCrossEntropy(logits, targets, grad);
        finite.all(logits, i % 3, logits.length - i % 3);
        if (i % 4 == 0) {
          for (int s = SHAPES.length - LATER; s < SHAPES.length; s++) {
            multiply(vector, s, i % 8 == 0 ? 0f : 1f);
          }
        }
      }
    }

    /**
     * Nanoseconds for {@link #TIMED_CALLS} products of each whole-tile shape on each GEMM, the
     * least of {@code repeats} timings, the two GEMMs in turns.
     */
    @Override
    public Timings timed(int repeats) {
      long vectorBest = Long.MAX_VALUE;
      long plainBest = Long.MAX_VALUE;
      for (int r = 0; r < repeats; r++) {
        vectorBest = Math.min(vectorBest, timeOnce(vector));
        plainBest = Math.min(plainBest, timeOnce(plain));
      }
      return new Timings(vectorBest, plainBest);
    }

    private long timeOnce(GemmKernel gemm) {
      long t0 = System.nanoTime();
      for (int i = 0; i < TIMED_CALLS; i++) {
        for (int s = SHAPES.length; s < a.length; s++) {
          multiply(gemm, s, 1f);
        }
      }
      return System.nanoTime() - t0;
    }

    private void multiply(GemmKernel gemm, int s, float beta) {
      int[] x = s < SHAPES.length ? SHAPES[s] : TIMED[s - SHAPES.length];
      gemm.multiply(x[3] != 0, x[4] != 0, x[0], x[1], x[2], 0.5f, a[s], b[s], beta, c[s]);
    }

    @Override
    public void close() {
      one.close();
    }

    private static float[] random(int n, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) random.nextDouble(-1, 1);
      }
      return x;
    }
  }
}
