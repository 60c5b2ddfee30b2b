package dev.dnn.tests;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.random.Philox;
import java.lang.management.ManagementFactory;

/**
 * A served network's stream of {@code Model.predict(float[], float[])} calls on the CPU backend,
 * one row and then 16 at a time, in rounds until a round allocates nothing on the caller or the
 * backend's workers, for at most a minute each; prints the bytes of each size's last round. The
 * first product of one row is sliced over the threads; 16 rows run in two shares at once where the
 * workers are free (row shares), or with that product sliced. RowPredictionTest runs it in a JVM of
 * its own.
 */
public final class ServingAllocation {
  private static final int FEATURES = 256;
  private static final int OUTPUTS = 10;
  private static final int CALLS = 200;

  private ServingAllocation() {}

  public static void main(String[] args) {
    ModelSpec served =
        Model.sequential(
            FEATURES,
            Dense.of(FEATURES, 512),
            Activation.RELU,
            Dense.of(512, 64),
            Activation.RELU,
            Dense.of(64, OUTPUTS));
    try (Backend backend = Backends.select("cpu");
        Model model = Model.fromSpec(served, backend, 5, Loss.SOFTMAX_CROSS_ENTROPY)) {
      for (int rows : new int[] {1, 16}) {
        System.out.println(rows + " rows: " + lastRound(model, rows));
      }
    }
  }

  private static long lastRound(Model model, int rows) {
    float[] input = new float[rows * FEATURES];
    Philox.fillUniform(9, rows, 0, input, 0, input.length);
    float[] out = new float[rows * OUTPUTS];
    model.predict(input, out);
    long[] threads = callerAndWorkers();
    // What reading the counters allocates itself: the least of a few readings with nothing
    // between them.
    long reading = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long before = allocatedBytes(threads);
      reading = Math.min(reading, allocatedBytes(threads) - before);
    }
    long allocated = Long.MAX_VALUE;
    for (long start = System.nanoTime();
        allocated != 0 && System.nanoTime() - start < 60_000_000_000L; ) {
      long before = allocatedBytes(threads);
      for (int i = 0; i < CALLS; i++) {
        model.predict(input, out);
      }
      allocated = allocatedBytes(threads) - before - reading;
    }
    return allocated;
  }

  /** This thread and the CPU backend's workers (not the warm-up thread, which has its own work). */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19 and later
  private static long[] callerAndWorkers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t == Thread.currentThread() || t.getName().matches("dnn-cpu-\\d+"))
        .mapToLong(Thread::getId)
        .toArray();
  }

  private static long allocatedBytes(long[] threads) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long id : threads) {
      total += Math.max(0, mx.getThreadAllocatedBytes(id));
    }
    return total;
  }
}
