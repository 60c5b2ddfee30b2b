package dev.dnn.cpu;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has the JIT compile the vector GEMM, Adam and reductions before the user's work runs on them.
 * Until C2 has compiled a Vector API method, the interpreter and C1 run it tens of times slower
 * than a plain loop (every vector is an object): the Tuned network's first epoch took 4 s against
 * 1.1 s for the next, and a 3-epoch run on the bundled images 3 s on the vector path against 1.4 s
 * on the plain one.
 *
 * <p>The first vector kernels of a JVM start one daemon thread that runs small products of every
 * form the vector GEMM has (ragged tiles, A packed and in place, B packed and in place, one row,
 * the transposed result, threaded by rows; beta 0, 1 and other) on it and on the plain GEMM, side
 * by side, and calls the vector Adam and reductions on small arrays: these many short calls reach
 * the JIT's thresholds in a fraction of a second, with a complete profile. Once the vector GEMM is
 * the faster, twice in a row and after {@link #MIN_ROUNDS} rounds, it marks the vector forms {@link
 * #ready} and ends. Until then the vector GEMM hands its products to the plain one, and Adam and
 * the reductions run their plain forms: all give the same bits, so results never depend on the
 * timing. The thread ends after {@link #LIMIT_SECONDS} in any case.
 *
 * <p>Safe for concurrent use: the readiness is one volatile flag, set once.
 */
final class VectorWarmUp {
  /** The longest the warm-up runs: after this the vector forms are used compiled or not. */
  static final int LIMIT_SECONDS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(VectorWarmUp.class);
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static volatile boolean ready;

  /** Products of each shape per timed round. */
  private static final int CALLS = 16;

  /**
   * Rounds at least: Adam and the reductions (whose vector forms are not timed, being no faster
   * than their compiled plain forms on small arrays) have then had {@code 2 CALLS MIN_ROUNDS}
   * calls, past C2's threshold (15,000 invocations and loop iterations).
   */
  private static final int MIN_ROUNDS = 24;

  /** The pause between rounds once the thresholds are passed. */
  private static final long WAIT_MILLIS = 10;

  private VectorWarmUp() {}

  /** Whether the vector forms are compiled (or the warm-up gave up waiting). */
  static boolean ready() {
    return ready;
  }

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
    long deadline = start + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
    Operands x = null;
    try {
      x = new Operands();
      int faster = 0;
      int rounds = 0;
      while ((faster < 2 || rounds < MIN_ROUNDS) && System.nanoTime() < deadline) {
        long vector = x.round(true);
        long plain = x.round(false);
        faster = vector < plain ? faster + 1 : 0;
        rounds++;
        if (rounds >= MIN_ROUNDS) {
          // The thresholds are passed and C2 has the methods queued: wait for it without taking
          // a core from the caller's threads and the compiler's.
          Thread.sleep(WAIT_MILLIS);
        }
      }
      LOG.debug(
          "cpu kernels: vector forms in use after {} ms ({} rounds{})",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          rounds,
          faster < 2 ? ", not faster yet" : "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // A failed warm-up costs speed only; the kernels' own calls report any real fault.
      LOG.debug("cpu kernel warm-up stopped: {}", e.toString());
    } finally {
      ready = true;
      if (x != null) {
        x.close();
      }
    }
  }

  /**
   * Small products of every form the vector GEMM has, on both GEMMs, and small calls of Adam's and
   * the reductions' vector forms.
   */
  static final class Operands implements AutoCloseable {
    /**
     * m, n, k, transposeA, transposeB: A packed with ragged tiles; A in place, narrow C (the
     * one-vector tile); one row (the strip); B packed from its transpose with a ragged last panel;
     * a narrow weight gradient (the transposed result); both operands transposed. As small as those
     * forms allow: before C2 has compiled them, each call is slow.
     */
    static final int[][] SHAPES = {
      {8, 100, 66, 0, 0},
      {7, 13, 30, 0, 0},
      {1, 300, 50, 0, 0},
      {13, 37, 20, 0, 1},
      {50, 10, 60, 1, 0},
      {13, 40, 12, 1, 1},
    };

    final float[][] a = new float[SHAPES.length][];
    final float[][] b = new float[SHAPES.length][];
    final float[][] c = new float[SHAPES.length][];
    final float[] m = new float[4096];
    final float[] v = new float[4096];
    final float[] sums = new float[64];
    final OptimizerKernels.AdamTerms adam =
        new OptimizerKernels.AdamTerms(0.9f, 0.999f, 1e-8f, 1e-4f, 1e-3f, 0.5f, 1e-5f);
    final Parallel one = new Parallel(1);
    final GemmKernel vector = new VectorGemm(one, () -> true);
    final GemmKernel plain = new PackedGemm(one, VectorTiles.NR);
    final VectorOptimizerKernels optimizers = new VectorOptimizerKernels(one, () -> true);
    final VectorReductionKernels reductions = new VectorReductionKernels(one, () -> true);

    Operands() {
      for (int s = 0; s < SHAPES.length; s++) {
        a[s] = random(SHAPES[s][0] * SHAPES[s][2], 2L * s);
        b[s] = random(SHAPES[s][2] * SHAPES[s][1], 2L * s + 1);
        c[s] = new float[SHAPES[s][0] * SHAPES[s][1]];
      }
    }

    /** Nanoseconds for {@link #CALLS} products of every shape on one GEMM. */
    long round(boolean vectors) {
      GemmKernel gemm = vectors ? vector : plain;
      long t0 = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        float beta = i % 3 == 0 ? 0f : i % 3 == 1 ? 1f : 0.5f;
        for (int s = 0; s < SHAPES.length; s++) {
          int[] x = SHAPES[s];
          gemm.multiply(x[3] != 0, x[4] != 0, x[0], x[1], x[2], 0.5f, a[s], b[s], beta, c[s]);
        }
      }
      long elapsed = System.nanoTime() - t0;
      if (vectors) {
        float[] p = c[0];
        float[] g = b[0];
        for (int i = 0; i < 2 * CALLS; i++) {
          // Lengths that leave a tail for the plain form, as a layer's parameters mostly do.
          optimizers.adamRange(p, g, m, v, adam, 0, p.length - 5);
          reductions.columnSumsRange(g, 66, 100, i % 2 == 0 ? 0f : 1f, sums, 0, 61);
          reductions.squaredNormRange(g, 0, g.length - 7);
          reductions.sumRange(g, 0, g.length - 7);
        }
      }
      return elapsed;
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
