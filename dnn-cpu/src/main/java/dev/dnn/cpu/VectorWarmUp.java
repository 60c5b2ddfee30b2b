package dev.dnn.cpu;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has the JIT compile the GEMM's vector tiles before the GEMM uses them. Until C2 has compiled a
 * Vector API method, the interpreter and C1 run it tens of times slower than a plain loop (every
 * vector is an object): the Tuned network's first epoch took 4 s against 1.1 s for the next, and a
 * 3-epoch run on the bundled images 3 s on the vector path against 1.4 s on the plain one.
 *
 * <p>The first vector GEMM of a JVM starts one daemon thread that calls the tiles' vector and
 * scalar forms on small operands, every branch of them (ragged rows and columns, beta 0, 1 and
 * other, the narrow tile, the one-row strip), and times them side by side: these many short calls
 * reach the JIT's thresholds in a fraction of a second, with a complete profile. Once the vector
 * forms run faster than the scalar ones, twice in a row, it marks them {@link #ready} and ends.
 * Until then the GEMM runs the scalar forms, which give the same bits, so results never depend on
 * the timing. The thread ends after {@link #LIMIT_SECONDS} in any case.
 *
 * <p>Safe for concurrent use: the readiness is one volatile flag, set once.
 */
final class VectorWarmUp {
  /** The longest the warm-up runs: after this the vector forms are used compiled or not. */
  static final int LIMIT_SECONDS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(VectorWarmUp.class);
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static volatile boolean ready;

  /** Depth of the warm-up products: short calls, so many of them in little time. */
  private static final int DEPTH = 48;

  /** Calls of each form per timed round. */
  private static final int CALLS = 64;

  /**
   * Rounds at least: Adam and the reductions (whose vector forms are not timed, being no faster
   * than their compiled plain forms on small arrays) have then had {@code 2 CALLS MIN_ROUNDS}
   * calls, past C2's threshold (15,000 invocations and loop iterations).
   */
  private static final int MIN_ROUNDS = 24;

  private VectorWarmUp() {}

  /** Whether the vector forms of the tiles are compiled (or the warm-up gave up waiting). */
  static boolean ready() {
    return ready;
  }

  /** Starts the warm-up thread, once per JVM. */
  static void startOnce() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(VectorWarmUp::run, "dnn-cpu-tile-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
    try {
      Operands x = new Operands();
      int faster = 0;
      int rounds = 0;
      while ((faster < 2 || rounds < MIN_ROUNDS) && System.nanoTime() < deadline) {
        long vector = x.round(true);
        long scalar = x.round(false);
        faster = vector < scalar ? faster + 1 : 0;
        rounds++;
      }
      LOG.debug(
          "cpu kernels: vector forms in use after {} ms ({} rounds{})",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          rounds,
          faster < 2 ? ", not faster yet" : "");
    } catch (RuntimeException | Error e) {
      // A failed warm-up costs speed only; the kernels' own calls report any real fault.
      LOG.debug("cpu kernel warm-up stopped: {}", e.toString());
    } finally {
      ready = true;
    }
  }

  /** Small operands for every form of the tiles, and the calls that time them. */
  private static final class Operands {
    static final int NR = VectorTiles.NR;
    static final int STRIP = VectorTiles.STRIP_PANELS * NR;

    final float[] a = random(VectorTiles.MR * DEPTH, 1);
    final float[] b = random(DEPTH * STRIP, 2);
    final float[] c = random(VectorTiles.MR * STRIP, 3);
    final float[] tile = new float[VectorTiles.MR * STRIP];
    final float[] m = new float[DEPTH * STRIP];
    final float[] v = new float[DEPTH * STRIP];
    final float[] sums = new float[STRIP];
    final OptimizerKernels.AdamTerms adam =
        new OptimizerKernels.AdamTerms(0.9f, 0.999f, 1e-8f, 1e-4f, 1e-3f, 0.5f, 1e-5f);
    final Parallel one = new Parallel(1);
    final VectorOptimizerKernels optimizers = new VectorOptimizerKernels(one, () -> true);
    final VectorReductionKernels reductions = new VectorReductionKernels(one, () -> true);

    /** Nanoseconds for {@link #CALLS} calls of every form, vector or scalar. */
    long round(boolean vectors) {
      long t0 = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        float beta = i % 3 == 0 ? 0f : i % 3 == 1 ? 1f : 0.5f;
        int rows = i % 2 == 0 ? VectorTiles.MR : 4;
        int cols = i % 4 < 2 ? NR : NR - 3;
        // A packed tile (rows 1 apart, k steps MR apart), then A in place (k steps 1 apart).
        VectorTiles.tile(
            DEPTH,
            a,
            0,
            1,
            VectorTiles.MR,
            rows,
            b,
            0,
            NR,
            c,
            0,
            STRIP,
            cols,
            1f,
            beta,
            tile,
            vectors);
        VectorTiles.tile(
            DEPTH, a, 0, DEPTH, 1, rows, b, 0, STRIP, c, 0, STRIP, cols, 0.5f, beta, tile, vectors);
        VectorTiles.narrowTile(
            DEPTH,
            a,
            0,
            DEPTH,
            1,
            rows,
            b,
            0,
            VectorTiles.LANES,
            c,
            0,
            STRIP,
            cols - VectorTiles.LANES,
            1f,
            beta,
            tile,
            vectors);
        VectorTiles.rowStrip(DEPTH, a, 0, 1, b, 0, STRIP, c, 0, 1f, beta, tile, vectors);
      }
      long elapsed = System.nanoTime() - t0;
      if (vectors) {
        for (int i = 0; i < 2 * CALLS; i++) {
          // Lengths that leave a tail for the plain form, as a layer's parameters mostly do.
          optimizers.adamRange(c, b, m, v, adam, 0, c.length - 5);
          reductions.columnSumsRange(b, DEPTH, STRIP, i % 2 == 0 ? 0f : 1f, sums, 0, STRIP - 3);
          reductions.squaredNormRange(b, 0, b.length - 7);
          reductions.sumRange(b, 0, b.length - 7);
        }
      }
      return elapsed;
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
