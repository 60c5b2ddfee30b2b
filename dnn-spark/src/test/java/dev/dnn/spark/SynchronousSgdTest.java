package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.cpu.CpuBackend;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Pass;
import dev.dnn.optim.Optimizers;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import dev.dnn.train.Trainer;
import dev.dnn.train.TrainingStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * With one local step, a round is synchronous mini-batch SGD on the global batch (the union of the
 * workers' batches): the result is compared with dnn's single-JVM {@link TrainingStep} run on the
 * same batches.
 */
class SynchronousSgdTest {
  private static final long SEED = 11;
  private static final int[] HIDDEN = {8};

  /**
   * One worker: its gradient of the mean over the batch, times the rows (exact in double) and
   * divided by them again, is the very float the single-JVM step computes, so every step and
   * therefore the weights after three epochs of Adam are identical to the last bit.
   */
  @Test
  void oneWorkerEqualsTheSingleJvmTrainerBitForBit() throws Exception {
    Dataset<Row> df = TestSpark.blobFrame(60, 3, 4, 5);
    DnnClassifier dnn =
        new DnnClassifier()
            .setHidden(HIDDEN)
            .setOptimizer("adam")
            .setStepSize(0.01)
            .setBatchSize(16)
            .setEpochs(3)
            .setNumWorkers(1)
            .setSeed(SEED);
    Map<String, float[]> spark = weights(dnn.fit(df).modelFile());
    Map<String, float[]> single = singleJvm(df, 1, 16, 3, "adam", 0.01);
    assertEquals(single.keySet(), spark.keySet());
    for (String name : single.keySet()) {
      assertArrayEquals(single.get(name), spark.get(name), 0f, name);
    }
  }

  /**
   * Two workers, one round of SGD on a global batch of 16 (8 rows each). The two computations of
   * each gradient element differ only in how they round: the single JVM sums the 16 per-row terms
   * t_i = g_i / 16 in one GEMM; the workers sum 8 each (over rows scaled by 1/8), and the driver
   * adds the two in double and rounds once. Each is within (gamma_16 + 8u) * sum|t_i| of the exact
   * sum (u = 2^-24, gamma_n = n u / (1 - n u): the accumulation; 8u: the roundings of the scaled
   * loss gradient, of softmax and of the final conversion, with room for the forward pass's per-row
   * sums), so they differ by at most twice that; the SGD update multiplies the difference by the
   * learning rate. sum|t_i| is measured per element from the per-row gradients.
   */
  @Test
  void twoWorkersOneRoundEqualSgdOnTheGlobalBatchWithinRounding() throws Exception {
    Dataset<Row> df = TestSpark.blobFrame(16, 3, 4, 7);
    double lr = 0.1;
    DnnClassifier dnn =
        new DnnClassifier()
            .setHidden(HIDDEN)
            .setOptimizer("sgd")
            .setStepSize(lr)
            .setBatchSize(16)
            .setEpochs(1)
            .setNumWorkers(2)
            .setSeed(SEED);
    Map<String, float[]> spark = weights(dnn.fit(df).modelFile());
    Map<String, float[]> single = singleJvm(df, 2, 16, 1, "sgd", lr);
    Map<String, float[]> absSums = perRowAbsoluteGradientSums(df, 2);
    double u = 0x1p-24;
    double gamma16 = 16 * u / (1 - 16 * u);
    double factor = lr * 2 * (gamma16 + 8 * u);
    boolean anyDifferent = false;
    for (String name : single.keySet()) {
      float[] a = single.get(name);
      float[] b = spark.get(name);
      float[] s = absSums.get(name);
      for (int i = 0; i < a.length; i++) {
        // The final subtraction w - lr*g rounds too: one ulp of the weight.
        double tolerance = factor * s[i] + Math.ulp(a[i]);
        assertTrue(
            Math.abs(a[i] - b[i]) <= tolerance,
            name + "[" + i + "]: " + a[i] + " vs " + b[i] + ", tolerance " + tolerance);
        anyDifferent |= a[i] != b[i];
      }
    }
    // The test would pass vacuously if training had not moved the weights: check that it did.
    Map<String, float[]> initial = initialWeights(df, 2);
    assertTrue(
        !java.util.Arrays.equals(initial.get("layers.0.weight"), spark.get("layers.0.weight")));
    System.out.println("two workers: some weight differs from the single JVM's: " + anyDifferent);
  }

  static Map<String, float[]> weights(byte[] modelFile) {
    try (Backend backend = new CpuBackend(1);
        ModelFile.Loaded loaded = ModelBytes.load(modelFile, backend)) {
      Map<String, float[]> out = new LinkedHashMap<>();
      loaded.model().namedTensors().forEach((n, t) -> out.put(n, t.toArray()));
      return out;
    }
  }

  private static List<Shard> shards(Dataset<Row> df, int workers) {
    TrainingData data =
        TrainingData.build(df, new TrainingData.Columns("features", "label", ""), true, workers);
    try {
      List<Shard> shards = new ArrayList<>(data.shards.collect());
      shards.sort(Comparator.comparingInt(s -> s.partition));
      return shards;
    } finally {
      data.release();
    }
  }

  private static ModelSpec spec() {
    return Architectures.of("", HIDDEN, "relu", 0, 4, 3, "features");
  }

  private static Map<String, float[]> initialWeights(Dataset<Row> df, int workers) {
    try (Backend backend = new CpuBackend(1);
        Model model = Model.fromSpec(spec(), backend, SEED, Loss.SOFTMAX_CROSS_ENTROPY)) {
      Map<String, float[]> out = new LinkedHashMap<>();
      model.namedTensors().forEach((n, t) -> out.put(n, t.toArray()));
      return out;
    }
  }

  /**
   * dnn's single-JVM step run on the global batches the workers see: step s of an epoch takes, from
   * every shard in partition order, rows {@code [s*b, (s+1)*b)} of its shuffled order.
   */
  private static Map<String, float[]> singleJvm(
      Dataset<Row> df, int workers, int batchSize, int epochs, String optimizer, double lr) {
    List<Shard> shards = shards(df, workers);
    int b = batchSize / workers;
    int maxRows = shards.stream().mapToInt(s -> s.rows).max().orElseThrow();
    int steps = (maxRows + b - 1) / b;
    try (Backend backend = new CpuBackend(2);
        Model model = Model.fromSpec(spec(), backend, SEED, Loss.SOFTMAX_CROSS_ENTROPY)) {
      Trainer trainer =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Optimizers.named(optimizer, lr))
              .batchSize(batchSize)
              .seed(SEED)
              .build();
      try (TrainingStep step = trainer.step(model)) {
        long count = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
          int[][] orders = new int[shards.size()][];
          for (Shard s : shards) {
            orders[s.partition] = ShardOrder.permutation(SEED, epoch, s.partition, s.rows);
          }
          for (int st = 0; st < steps; st++) {
            List<float[]> x = new ArrayList<>();
            List<Float> y = new ArrayList<>();
            for (Shard s : shards) {
              for (int r = st * b; r < Math.min(s.rows, (st + 1) * b); r++) {
                int row = orders[s.partition][r];
                x.add(java.util.Arrays.copyOfRange(s.features, row * 4, row * 4 + 4));
                y.add(s.labels[row]);
              }
            }
            float[] xs = new float[x.size() * 4];
            float[] ys = new float[y.size()];
            for (int i = 0; i < x.size(); i++) {
              System.arraycopy(x.get(i), 0, xs, i * 4, 4);
              ys[i] = y.get(i);
            }
            try (Tensor features = backend.zeros(Shape.matrix(ys.length, 4));
                Tensor labels = backend.zeros(Shape.vector(ys.length))) {
              backend.copyFromHost(xs, 0, features);
              backend.copyFromHost(ys, 0, labels);
              step.run(features, labels, epoch, st, count++);
            }
          }
        }
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      model.namedTensors().forEach((n, t) -> out.put(n, t.toArray()));
      return out;
    }
  }

  /** Per element, the sum over the first round's 16 rows of |gradient of that row's loss| / 16. */
  private static Map<String, float[]> perRowAbsoluteGradientSums(Dataset<Row> df, int workers) {
    List<Shard> shards = shards(df, workers);
    try (Backend backend = new CpuBackend(1);
        Model model = Model.fromSpec(spec(), backend, SEED, Loss.SOFTMAX_CROSS_ENTROPY);
        Tensor x = backend.zeros(Shape.matrix(1, 4));
        Tensor y = backend.zeros(Shape.vector(1));
        Tensor grad = backend.zeros(Shape.matrix(1, 3));
        Tensor lossSum = backend.zeros(Shape.vector(1))) {
      Map<String, float[]> sums = new LinkedHashMap<>();
      int total = 0;
      for (Shard s : shards) {
        total += s.rows;
      }
      for (Shard s : shards) {
        for (int row = 0; row < s.rows; row++) {
          backend.copyFromHost(
              java.util.Arrays.copyOfRange(s.features, row * 4, row * 4 + 4), 0, x);
          backend.copyFromHost(new float[] {s.labels[row]}, 0, y);
          Tensor out = model.forward(x, Pass.training(SEED, 0, Loss.SOFTMAX_CROSS_ENTROPY));
          Loss.SOFTMAX_CROSS_ENTROPY.apply(backend, out, y, grad, lossSum);
          model.backward(grad);
          for (Map.Entry<String, Tensor> e : model.gradients().entrySet()) {
            float[] g = e.getValue().toArray();
            float[] acc = sums.computeIfAbsent(e.getKey(), k -> new float[g.length]);
            for (int i = 0; i < g.length; i++) {
              acc[i] += Math.abs(g[i]) / total;
            }
          }
        }
      }
      return sums;
    }
  }
}
