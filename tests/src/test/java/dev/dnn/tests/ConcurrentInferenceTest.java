package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.ScalerParams;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Evaluation;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Adam;
import dev.dnn.random.Philox;
import dev.dnn.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One model serving many threads: 32 threads mixing predictions (of both kinds: rows as {@code
 * float[][]} and back to back in one {@code float[]}), class predictions and evaluations on one
 * model get exactly the answers of the same calls made one after another (the inference pass is
 * deterministic, so any shared buffer would show as a difference), the device memory in use stops
 * growing once each thread's buffers exist, and other threads' predictions are refused while the
 * model trains (the reverse is AccessGuardTest's).
 */
class ConcurrentInferenceTest {
  private static final int FEATURES = 7;
  private static final int CLASSES = 4;
  private static final int THREADS = 32;

  private static final ModelSpec SPEC =
      Model.sequential(
          FEATURES,
          Dense.of(FEATURES, 24),
          BatchNorm.of(),
          Activation.RELU,
          Dense.of(24, 12),
          Activation.TANH,
          Dense.of(12, CLASSES));

  private static float[][] rows(int n, long seed) {
    float[] values = new float[n * FEATURES];
    Philox.fillUniform(seed, 3, 0, values, 0, values.length);
    float[][] rows = new float[n][FEATURES];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < FEATURES; c++) {
        rows[r][c] = 100 * values[r * FEATURES + c] - 30; // raw: the preprocessing scales them
      }
    }
    return rows;
  }

  private static DataSet labelled(float[][] rows) {
    float[] flat = new float[rows.length * FEATURES];
    int[] labels = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * FEATURES, FEATURES);
      labels[r] = (int) Math.floorMod((long) rows[r][0] + (long) rows[r][1], (long) CLASSES);
    }
    return DataSet.classification(flat, FEATURES, labels, CLASSES);
  }

  /** The answers of one call of kind {@code k} on input {@code i}, as comparable values. */
  private record Call(int kind, int input) {}

  private static Object run(Model model, Call call, List<float[][]> inputs, List<DataSet> sets) {
    return switch (call.kind()) {
      case 0 -> model.predict(inputs.get(call.input()));
      case 1 -> model.predictClasses(inputs.get(call.input()));
      case 3 -> predictFlat(model, inputs.get(call.input()));
      default -> model.evaluate(sets.get(call.input()));
    };
  }

  /** The latency path, {@code Model.predict(float[], float[])}, on the rows back to back. */
  private static float[][] predictFlat(Model model, float[][] rows) {
    float[] flat = new float[rows.length * FEATURES];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * FEATURES, FEATURES);
    }
    float[] out = new float[rows.length * CLASSES];
    model.predict(flat, out);
    float[][] answer = new float[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      answer[r] = java.util.Arrays.copyOfRange(out, r * CLASSES, (r + 1) * CLASSES);
    }
    return answer;
  }

  private static void assertSame(Object expected, Object actual, String what) {
    if (expected instanceof float[][] e) {
      float[][] a = (float[][]) actual;
      assertEquals(e.length, a.length, what);
      for (int r = 0; r < e.length; r++) {
        assertArrayEquals(e[r], a[r], 0f, what + " row " + r);
      }
    } else if (expected instanceof int[] e) {
      assertArrayEquals(e, (int[]) actual, what);
    } else {
      Evaluation e = (Evaluation) expected;
      Evaluation a = (Evaluation) actual;
      assertEquals(e.loss(), a.loss(), 0.0, what + " loss");
      assertEquals(e.accuracy(), a.accuracy(), 0.0, what + " accuracy");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void manyThreadsGetTheSequentialAnswers(Backend backend) throws Exception {
    try (Model model = SPEC.on(backend, 11)) {
      float[] offset = new float[FEATURES];
      float[] scale = new float[FEATURES];
      java.util.Arrays.fill(offset, 20f);
      java.util.Arrays.fill(scale, 1f / 30);
      model.setPreprocessing(Preprocessing.scaled(new ScalerParams("standardize", offset, scale)));
      DataSet train = labelled(rows(256, 1));
      Trainer.builder()
          .loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .optimizer(Adam.learningRate(1e-2))
          .batchSize(32)
          .epochs(2)
          .seed(5)
          .build()
          .fit(model, train);
      // Inputs of several sizes (1 row, a partial batch, more than one inference batch of 1024).
      List<float[][]> inputs = new ArrayList<>();
      List<DataSet> sets = new ArrayList<>();
      int[] sizes = {1, 3, 17, 200, 1100};
      for (int i = 0; i < sizes.length; i++) {
        inputs.add(rows(sizes[i], 100 + i));
        sets.add(labelled(inputs.get(i)));
      }
      List<Call> calls = new ArrayList<>();
      for (int t = 0; t < THREADS * 4; t++) {
        calls.add(new Call(t % 4, (t / 4) % sizes.length));
      }
      List<Object> expected = new ArrayList<>();
      for (Call call : calls) {
        expected.add(run(model, call, inputs, sets));
      }
      concurrently(model, calls, expected, inputs, sets);
    }
  }

  /**
   * The soak: rounds of 32 threads predicting on inputs of one size. Every evaluator of the model's
   * pool then holds the same buffers whatever it ran before, so once the pool has made as many as
   * its bound the memory in use is flat; a per-call leak would add to it every round. The pool
   * makes an evaluator only when that many calls overlap, which the threads' common start makes
   * likely but does not force in any one round (a JDK 25 run made its last one in round 4), so the
   * level is taken over the first half of the rounds and checked over the second.
   */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void repeatedConcurrentPredictionsDoNotGrowMemory(Backend backend) throws Exception {
    try (Model model = SPEC.on(backend, 12)) {
      List<float[][]> inputs = new ArrayList<>();
      inputs.add(rows(300, 40));
      List<DataSet> sets = List.of(labelled(inputs.get(0)));
      List<Call> calls = new ArrayList<>();
      for (int t = 0; t < THREADS * 4; t++) {
        calls.add(new Call(t % 4, 0));
      }
      List<Object> expected = new ArrayList<>();
      for (Call call : calls) {
        expected.add(run(model, call, inputs, sets));
      }
      // Latency calls back to back first: on the CPU backend a stream of them wakes its workers,
      // and runs the rows in shares on the threads at once, whose evaluators (one set per model,
      // which the data-set calls' batches of these 300 rows use as well) then make their buffers.
      // Until memory in use grows once, for at most a second (a backend
      // that makes no shares).
      float[] flat = new float[300 * FEATURES];
      for (int r = 0; r < 300; r++) {
        System.arraycopy(inputs.get(0)[r], 0, flat, r * FEATURES, FEATURES);
      }
      float[] out = new float[300 * CLASSES];
      model.predict(flat, out);
      long single = backend.memoryStats().inUse();
      for (long end = System.nanoTime() + 1_000_000_000L;
          System.nanoTime() < end && backend.memoryStats().inUse() == single; ) {
        model.predict(flat, out);
      }
      long[] inUse = new long[16];
      for (int round = 0; round < inUse.length; round++) {
        concurrently(model, calls, expected, inputs, sets);
        inUse[round] = backend.memoryStats().inUse();
      }
      int warm = inUse.length / 2;
      long settled = java.util.Arrays.stream(inUse, 0, warm).max().orElseThrow();
      for (int round = warm; round < inUse.length; round++) {
        assertTrue(
            inUse[round] <= settled,
            "memory in use grew to "
                + inUse[round]
                + " bytes in round "
                + round
                + " from at most "
                + settled
                + ": "
                + java.util.Arrays.toString(inUse));
      }
    }
  }

  /** Runs {@code calls} from {@value #THREADS} threads at once and checks every answer. */
  private static void concurrently(
      Model model,
      List<Call> calls,
      List<Object> expected,
      List<float[][]> inputs,
      List<DataSet> sets)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> answers = new ArrayList<>();
      for (Call call : calls) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return run(model, call, inputs, sets);
                }));
      }
      start.countDown();
      for (int c = 0; c < calls.size(); c++) {
        assertSame(
            expected.get(c), answers.get(c).get(60, TimeUnit.SECONDS), "call " + calls.get(c));
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void predictionsAreRefusedWhileAnotherThreadTrains(Backend backend) throws Exception {
    try (Model model = SPEC.on(backend, 2)) {
      DataSet train = labelled(rows(64, 4));
      Trainer trainer =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Adam.learningRate(1e-3))
              .batchSize(16)
              .epochs(1)
              .seed(1)
              .build();
      // A lease held by this thread stands for a training run in progress.
      Model.TrainingLease lease = model.lockForTraining();
      try {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
          Future<?> predict = other.submit(() -> model.predict(rows(2, 9)));
          Exception e = assertThrows(Exception.class, () -> predict.get(30, TimeUnit.SECONDS));
          assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
          assertTrue(
              e.getCause().getMessage().contains("being trained"), e.getCause().getMessage());
          // The training thread itself may evaluate (a trainer's dev evaluation).
          model.predict(rows(2, 9));
        } finally {
          other.shutdownNow();
        }
      } finally {
        lease.close();
      }
      trainer.fit(model, train); // and allowed once the lease is given back
    }
  }
}
