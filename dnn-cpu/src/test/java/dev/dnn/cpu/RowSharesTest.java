package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.ScalerParams;
import dev.dnn.data.TargetScaling;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.random.Philox;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * An inference pass split into shares of rows ({@link Backend#forRowShares}): which shares there
 * are, which threads run them and their ops, and a model's answers through them.
 */
class RowSharesTest {
  private record Share(int index, int from, int to) {}

  private static List<Share> shares(Parallel parallel, int rows, long workPerRow) {
    List<Share> shares = new ArrayList<>();
    parallel.forRowShares(
        rows,
        workPerRow,
        (share, from, to) -> {
          synchronized (shares) {
            shares.add(new Share(share, from, to));
          }
        });
    shares.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return shares;
  }

  @Test
  void aLongPassRunsAShareOfConsecutiveRowsOnEachThread() {
    try (Parallel parallel = new Parallel(3)) {
      assertEquals(
          List.of(new Share(0, 0, 33), new Share(1, 33, 66), new Share(2, 66, 100)),
          shares(parallel, 100, Parallel.WAKE_WORK));
      try (Parallel two = new Parallel(2)) {
        assertEquals(
            List.of(new Share(0, 0, 4), new Share(1, 4, 9)), shares(two, 9, Parallel.WAKE_WORK));
        assertEquals(
            List.of(new Share(0, 0, 8), new Share(1, 8, 16)), shares(two, 16, Parallel.WAKE_WORK));
      }
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      Set<Thread> opThreads = ConcurrentHashMap.newKeySet();
      parallel.forRowShares(
          300,
          Parallel.WAKE_WORK,
          (share, from, to) -> {
            Thread thread = Thread.currentThread();
            threads.add(thread);
            // An op of the share, large enough to split were the workers free: it stays on the
            // share's thread.
            parallel.forChunks(
                6,
                Parallel.WAKE_WORK,
                i -> {
                  opThreads.add(Thread.currentThread());
                  assertEquals(thread, Thread.currentThread(), "an op's chunk changed thread");
                });
            busy(100_000_000); // long enough for every worker to wake and take a share
          });
      assertEquals(3, threads.size(), "threads that ran shares: " + threads);
      assertEquals(threads, opThreads);
    }
  }

  @Test
  void fewRowsOrOneThreadMakeOneShareOfEveryRow() {
    try (Parallel two = new Parallel(2);
        Parallel one = new Parallel(1)) {
      // Too few rows for two shares of MIN_SHARE_ROWS.
      int rows = 2 * Parallel.MIN_SHARE_ROWS - 1;
      assertEquals(List.of(new Share(0, 0, rows)), shares(two, rows, Parallel.WAKE_WORK));
      assertEquals(List.of(new Share(0, 0, 512)), shares(one, 512, Parallel.WAKE_WORK));
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      two.forRowShares(rows, Parallel.WAKE_WORK, (s, f, t) -> threads.add(Thread.currentThread()));
      assertEquals(Set.of(Thread.currentThread()), threads);
    }
  }

  @Test
  void aShortPassAfterAPauseIsOneShareOnTheCaller() throws InterruptedException {
    try (Parallel parallel = new Parallel(2)) {
      parallel.forChunks(2, i -> {}); // starts the workers
      for (int request = 0; request < 5; request++) {
        Thread.sleep(100); // far past the workers' spin: they park
        List<Thread> threads = new ArrayList<>();
        List<Share> shares = new ArrayList<>();
        parallel.forRowShares(
            64,
            (Parallel.WAKE_WORK - 1) / 64,
            (share, from, to) -> {
              threads.add(Thread.currentThread());
              shares.add(new Share(share, from, to));
            });
        assertEquals(List.of(new Share(0, 0, 64)), shares);
        assertEquals(List.of(Thread.currentThread()), threads);
      }
    }
  }

  @Test
  void aCallFromInsideATaskIsOneShareOnItsThread() {
    try (Parallel parallel = new Parallel(2)) {
      List<List<Share>> seen = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>()));
      parallel.forChunks(
          2,
          Parallel.WAKE_WORK,
          outer -> {
            Thread thread = Thread.currentThread();
            parallel.forRowShares(
                20,
                Parallel.WAKE_WORK,
                (share, from, to) -> {
                  assertEquals(thread, Thread.currentThread(), "a share changed thread");
                  seen.get(outer).add(new Share(share, from, to));
                });
          });
      for (List<Share> shares : seen) {
        assertEquals(List.of(new Share(0, 0, 20)), shares);
      }
    }
  }

  @Test
  void aFailingShareReachesTheCallerOnceEveryShareHasRun() {
    try (Parallel parallel = new Parallel(2)) {
      Set<Integer> ran = ConcurrentHashMap.newKeySet();
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  parallel.forRowShares(
                      64,
                      Parallel.WAKE_WORK,
                      (share, from, to) -> {
                        busy(20_000_000);
                        ran.add(share);
                        if (share == 1) {
                          throw new IllegalStateException("share 1");
                        }
                      }));
      assertEquals("share 1", e.getMessage());
      assertEquals(Set.of(0, 1), ran);
    }
  }

  @Test
  void theBackendRefusesABadCallAndRunsNoneOnceClosed() {
    CpuBackend backend = new CpuBackend(2);
    Backend.RowShare nothing = (share, from, to) -> {};
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> backend.forRowShares(-1, 1, nothing));
    assertTrue(negative.getMessage().contains("rows is -1"), negative.getMessage());
    assertThrows(IllegalArgumentException.class, () -> backend.forRowShares(8, 1, null));
    backend.close();
    assertThrows(IllegalStateException.class, () -> backend.forRowShares(8, 1, nothing));
  }

  private static final int FEATURES = 256;
  private static final int OUTPUTS = 10;

  /**
   * Large enough that 128 rows pass {@link Parallel#WAKE_WORK}: a prediction of them is split into
   * shares whether or not the workers are parked.
   */
  private static final ModelSpec SPEC =
      Model.sequential(
          FEATURES,
          Dense.of(FEATURES, 512),
          Activation.RELU,
          Dense.of(512, 256),
          Activation.TANH,
          Dense.of(256, OUTPUTS));

  private static float[] rows(int count) {
    float[] values = new float[count * FEATURES];
    Philox.fillUniform(17, 3, 0, values, 0, values.length);
    return values;
  }

  /**
   * A model on three threads answers 128 rows in shares with the bits the same model gives on one
   * thread, where nothing is split; with preprocessing (rows checked on the host) and without (in
   * the backend's copy), a value that is not finite is named by its row among all the rows.
   */
  @Test
  void aModelAnswersEveryRowOfItsSharesAsOnOneThread() {
    int count = 128;
    assertTrue(
        2L * count * (FEATURES * 512 + 512 * 256 + 256 * OUTPUTS) >= Parallel.WAKE_WORK,
        "the rows must be worth splitting");
    float[] offset = new float[FEATURES];
    float[] scale = new float[FEATURES];
    Arrays.fill(offset, 0.5f);
    Arrays.fill(scale, 3f);
    Preprocessing scaled = Preprocessing.scaled(new ScalerParams("standardize", offset, scale));
    for (Preprocessing preprocessing : new Preprocessing[] {null, scaled}) {
      try (CpuBackend oneThread = new CpuBackend(1);
          CpuBackend threeThreads = new CpuBackend(3);
          Model alone = Model.fromSpec(SPEC, oneThread, 7, Loss.SOFTMAX_CROSS_ENTROPY);
          Model shared = Model.fromSpec(SPEC, threeThreads, 7, Loss.SOFTMAX_CROSS_ENTROPY)) {
        if (preprocessing != null) {
          alone.setPreprocessing(preprocessing);
          shared.setPreprocessing(preprocessing);
        }
        float[] input = rows(count);
        float[] expected = new float[count * OUTPUTS];
        float[] actual = new float[count * OUTPUTS];
        alone.predict(input, expected);
        for (int call = 0; call < 3; call++) {
          Arrays.fill(actual, Float.NaN);
          shared.predict(input, actual);
          assertArrayEquals(expected, actual, 0f, "call " + call + ", " + preprocessing);
        }
        for (int example : new int[] {5, 100}) {
          float[] bad = input.clone();
          bad[example * FEATURES + 4] = Float.NaN;
          IllegalArgumentException e =
              assertThrows(IllegalArgumentException.class, () -> shared.predict(bad, actual));
          assertTrue(
              e.getMessage().contains("feature 4 of example " + example),
              preprocessing + ": " + e.getMessage());
        }
      }
    }
  }

  /**
   * Data-set calls run each batch of {@link Model#INFERENCE_BATCH} rows in shares: on three threads
   * every answer (probabilities, outputs, classes, sigmoid probabilities, and outputs in a target's
   * units) has the one-thread model's bits in every row, through two full batches and a partial
   * one, call after call; {@code predict(float[][])} gives the latency path's bits, and names the
   * first value that is not finite by its row among all the rows.
   */
  @Test
  void dataSetCallsAnswerEveryBatchInSharesAsOnOneThread() {
    int count = 2 * Model.INFERENCE_BATCH + 52;
    float[] input = rows(count);
    float[][] byRow = new float[count][];
    for (int r = 0; r < count; r++) {
      byRow[r] = Arrays.copyOfRange(input, r * FEATURES, (r + 1) * FEATURES);
    }
    DataSet data = DataSet.unlabeled(input, FEATURES);
    float[] targets = new float[count * OUTPUTS];
    Philox.fillUniform(23, 5, 0, targets, 0, targets.length);
    for (int i = 0; i < targets.length; i++) {
      targets[i] = 40 * targets[i] + 7; // far from the network's scale: the scaling shows
    }
    TargetScaling scaling =
        TargetScaling.standardize(DataSet.regression(input, FEATURES, targets, OUTPUTS));
    for (Loss loss :
        new Loss[] {
          Loss.SOFTMAX_CROSS_ENTROPY, Loss.SIGMOID_BINARY_CROSS_ENTROPY, Loss.MEAN_SQUARED_ERROR
        }) {
      try (CpuBackend oneThread = new CpuBackend(1);
          CpuBackend threeThreads = new CpuBackend(3);
          Model alone = Model.fromSpec(SPEC, oneThread, 7, loss);
          Model shared = Model.fromSpec(SPEC, threeThreads, 7, loss)) {
        if (loss == Loss.MEAN_SQUARED_ERROR) {
          alone.setTargetScaling(scaling);
          shared.setTargetScaling(scaling);
        }
        float[][] answers = alone.predict(byRow);
        float[] probabilities = alone.predictProbabilities(data);
        float[] outputs = alone.predictOutputs(data);
        int[] classes = alone.predictClasses(data);
        float[] latency = new float[count * OUTPUTS];
        shared.predict(input, latency);
        for (int call = 0; call < 3; call++) {
          String what = loss + ", call " + call;
          float[][] sharedAnswers = shared.predict(byRow);
          for (int r = 0; r < count; r++) {
            assertArrayEquals(answers[r], sharedAnswers[r], 0f, what + ", row " + r);
            assertArrayEquals(
                Arrays.copyOfRange(latency, r * OUTPUTS, (r + 1) * OUTPUTS),
                sharedAnswers[r],
                0f,
                what + ", row " + r + " against the latency path");
          }
          assertArrayEquals(probabilities, shared.predictProbabilities(data), 0f, what);
          assertArrayEquals(outputs, shared.predictOutputs(data), 0f, what);
          assertArrayEquals(classes, shared.predictClasses(data), what);
          assertArrayEquals(classes, shared.predictClasses(byRow), what + ", rows as float[][]");
        }
        // Values that are not finite in two shares of the second batch: the first is named, by its
        // row among all the rows.
        float[][] bad = byRow.clone();
        bad[1500] = byRow[1500].clone();
        bad[1500][3] = Float.POSITIVE_INFINITY;
        bad[1900] = byRow[1900].clone();
        bad[1900][0] = Float.NaN;
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> shared.predict(bad));
        assertTrue(e.getMessage().contains("feature 3 of example 1500"), e.getMessage());
      }
    }
  }

  private static void busy(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
