package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;
import java.lang.management.ManagementFactory;
import java.util.function.Function;

/**
 * Rounds of a prediction's kernels on one path, until a round allocates nothing or a minute has
 * passed: the products of a dense network at batch 1 and 16 (on the caller alone, sliced by columns
 * or rows over the workers, and one chain of shared panels), and at those batches the bias and
 * activation and softmax. The vector forms allocate their vectors until C2 has compiled them; a
 * call that allocates every time never gets to zero. {@link AllocationFreeProductsTest} runs it;
 * {@link #main} runs it in a JVM of its own.
 */
final class AllocationRounds {
  /** m, n, k, transposeB: every way a small product is run (see the comments). */
  private static final int[][] SHAPES = {
    {1, 500, 784, 0}, // one row, sliced by columns over the threads
    {16, 500, 784, 0}, // few rows, sliced by columns (vector), the shared chain (plain)
    {16, 250, 500, 0},
    {1, 10, 25, 0}, // on the caller alone
    {16, 10, 25, 0},
    {16, 40, 30, 1}, // B stored transposed, packed
    {192, 20, 20, 0}, // rows sliced over the threads
  };

  private static final long DEADLINE_NANOS = 60_000_000_000L;

  private AllocationRounds() {}

  /** Prints the bytes the last round on the path {@code args[0]} allocated. */
  public static void main(String[] args) {
    System.out.println(lastRound(args[0]));
  }

  /**
   * The bytes allocated by the last round of 50 calls of every shape on the path ({@code plain} or
   * {@code vector}), on the caller and the workers: zero once a round allocated none.
   */
  static long lastRound(String path) {
    try (Parallel parallel = new Parallel(2)) {
      Function<Parallel, GemmKernel> gemms =
          path.equals("plain") ? PackedGemm::new : p -> new VectorGemm(p, VectorSwitch.ON);
      GemmKernel gemm = gemms.apply(parallel);
      ActivationKernels activations =
          path.equals("plain")
              ? new ActivationKernels(parallel)
              : new VectorActivationKernels(parallel, VectorSwitch.ON);
      LossKernels losses =
          path.equals("plain")
              ? new LossKernels(parallel)
              : new VectorLossKernels(parallel, VectorSwitch.ON);
      float[][][] operands = new float[SHAPES.length][][];
      for (int s = 0; s < SHAPES.length; s++) {
        int[] shape = SHAPES[s];
        operands[s] =
            new float[][] {
              values(shape[0] * shape[2], 1),
              values(shape[2] * shape[1], 2),
              new float[shape[0] * shape[1]],
              values(shape[1], 3),
              new float[shape[0] * shape[1]]
            };
      }
      Runnable calls =
          () -> {
            for (int s = 0; s < SHAPES.length; s++) {
              int[] shape = SHAPES[s];
              float[][] o = operands[s];
              gemm.multiply(
                  false, shape[3] != 0, shape[0], shape[1], shape[2], 1f, o[0], o[1], 0f, o[2]);
              if (shape[0] <= 16) {
                // A layer of a small batch: tanh's vector form on one row; ReLU, whose forms are
                // plain, on 16 (tanh there is split over the threads, whose ranges are lambdas).
                ActivationKind kind = shape[0] == 1 ? ActivationKind.TANH : ActivationKind.RELU;
                activations.biasForward(kind, 0f, null, o[2], o[3], o[4], shape[0], shape[1]);
                if (shape[1] == 10) {
                  losses.softmax(o[4], shape[0], shape[1], o[2]); // the output layer's
                }
              }
            }
          };
      long[] threads = threadIds(parallel);
      // What reading the counters allocates itself (on the caller): the least of a few readings
      // with nothing between them.
      long reading = Long.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        long before = allocatedBytes(threads);
        reading = Math.min(reading, allocatedBytes(threads) - before);
      }
      long allocated = Long.MAX_VALUE;
      for (long start = System.nanoTime();
          allocated != 0 && System.nanoTime() - start < DEADLINE_NANOS; ) {
        long before = allocatedBytes(threads);
        for (int r = 0; r < 50; r++) {
          calls.run();
        }
        allocated = allocatedBytes(threads) - before - reading;
      }
      return allocated;
    }
  }

  /** {@code count} small values, different for each {@code seed}. */
  private static float[] values(int count, int seed) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = ((i * 37 + seed * 11) % 101 - 50) / 256f;
    }
    return v;
  }

  /** The caller and the instance's workers. */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19 and later
  private static long[] threadIds(Parallel parallel) {
    return ParallelThreads.running(parallel).stream().mapToLong(Thread::getId).toArray();
  }

  private static long allocatedBytes(long[] threads) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long id : threads) {
      total += mx.getThreadAllocatedBytes(id);
    }
    return total;
  }
}
