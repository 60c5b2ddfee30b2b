package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.backend.MemoryStats;
import dev.dnn.data.DataSet;
import dev.dnn.init.Init;
import dev.dnn.internal.random.RandomStreams;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Adam;
import dev.dnn.optim.LearningRateSchedule;
import dev.dnn.optim.Momentum;
import dev.dnn.optim.Sgd;
import dev.dnn.train.EarlyStopping;
import dev.dnn.train.EpochStats;
import dev.dnn.train.History;
import dev.dnn.train.Trainer;
import dev.dnn.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** End-to-end training behaviour of {@link Trainer} and {@link Model} on every backend. */
class TrainingTest {

  /** A noisy 3-class problem: class = the largest of the first three features, plus noise. */
  static DataSet blobs(int n, int features, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n * features];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(3);
      for (int j = 0; j < features; j++) {
        x[i * features + j] = (float) (random.nextGaussian() + (j == labels[i] ? 2.0 : 0.0));
      }
    }
    return DataSet.classification(x, features, labels, 3);
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void xorIsLearned(Backend backend) {
    DataSet xor =
        DataSet.classification(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 2, new int[] {0, 1, 1, 0}, 2);
    try (Model model =
        Model.sequential(Dense.of(2, 8).init(Init.GLOROT_NORMAL), Activation.TANH, Dense.of(8, 2))
            .on(backend, 3)) {
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Adam.learningRate(0.05))
              .batchSize(4)
              .epochs(300)
              .seed(1)
              .build()
              .fit(model, xor);
      assertEquals(1.0, model.evaluate(xor).accuracy());
      assertArrayEquals(new int[] {0, 1, 1, 0}, model.predictClasses(xor));
      assertTrue(history.last().trainLoss() < 0.05, "final loss " + history.last().trainLoss());
    }
  }

  private static ModelSpec randomizedNet() {
    return Model.sequential(
        Dense.of(6, 16).init(Init.HE_UNIFORM),
        BatchNorm.of(),
        Activation.randomizedLeakyRelu(0.1, 0.3),
        Dropout.keep(0.7),
        Dense.of(16, 3));
  }

  private static Map<String, float[]> weights(Model model) {
    Map<String, float[]> w = new java.util.LinkedHashMap<>();
    model.namedTensors().forEach((name, t) -> w.put(name, t.toArray()));
    return w;
  }

  private static History train(Model model, DataSet train, DataSet dev, long seed) {
    return Trainer.builder()
        .loss(Loss.SOFTMAX_CROSS_ENTROPY)
        .optimizer(Momentum.nesterov(0.05))
        .batchSize(32)
        .epochs(3)
        .seed(seed)
        .build()
        .fit(model, train, dev);
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void seededRunsRepeatBitForBit(Backend backend) {
    DataSet train = blobs(250, 6, 1); // 250 = 7 full batches and a partial one of 26
    DataSet dev = blobs(60, 6, 2);
    try (Model a = randomizedNet().on(backend, 5);
        Model b = randomizedNet().on(backend, 5);
        Model c = randomizedNet().on(backend, 5)) {
      History ha = train(a, train, dev, 9);
      History hb = train(b, train, dev, 9);
      train(c, train, dev, 10);
      Map<String, float[]> wa = weights(a);
      Map<String, float[]> wb = weights(b);
      for (String name : wa.keySet()) {
        assertArrayEquals(wa.get(name), wb.get(name), name);
      }
      for (int e = 0; e < 3; e++) {
        assertEquals(ha.epochs().get(e).trainLoss(), hb.epochs().get(e).trainLoss());
        assertEquals(ha.epochs().get(e).devLoss(), hb.epochs().get(e).devLoss());
      }
      assertFalse(
          java.util.Arrays.equals(wa.get("layers.0.weight"), weights(c).get("layers.0.weight")),
          "another training seed (shuffle, dropout, slopes) gives other weights");
    }
  }

  private static History trainClipped(Model model, DataSet train, double clipNorm) {
    return Trainer.builder()
        .loss(Loss.SOFTMAX_CROSS_ENTROPY)
        .optimizer(Sgd.learningRate(0.5))
        .batchSize(64)
        .epochs(2)
        .seed(3)
        .clipGradientNorm(clipNorm)
        .build()
        .fit(model, train);
  }

  /**
   * Clipping scales every step by {@code clipNorm / norm}, with the norm summed from squared norms
   * on the device, so the weights repeat only if those sums do. The layers (up to 64 x 32) and
   * batches (64 rows) are large enough that each sum and loss sum combines several blocks.
   */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void seededRunsWithGradientClippingRepeatBitForBit(Backend backend) {
    DataSet train = blobs(300, 6, 11);
    double clipNorm = 0.05;
    ModelSpec spec =
        Model.sequential(
            Dense.of(6, 64), Activation.TANH, Dense.of(64, 32), Activation.TANH, Dense.of(32, 3));
    try (Model a = spec.on(backend, 8);
        Model b = spec.on(backend, 8)) {
      History ha = trainClipped(a, train, clipNorm);
      History hb = trainClipped(b, train, clipNorm);
      Map<String, float[]> wa = weights(a);
      Map<String, float[]> wb = weights(b);
      for (String name : wa.keySet()) {
        assertArrayEquals(wa.get(name), wb.get(name), name);
      }
      for (int e = 0; e < 2; e++) {
        EpochStats ea = ha.epochs().get(e);
        EpochStats eb = hb.epochs().get(e);
        assertEquals(ea.trainLoss(), eb.trainLoss(), "train loss of epoch " + e);
        assertEquals(ea.gradientNorms(), eb.gradientNorms(), "gradient norms of epoch " + e);
        double squares = 0;
        for (double norm : ea.gradientNorms().values()) {
          squares += norm * norm;
        }
        double norm = Math.sqrt(squares);
        assertTrue(norm > clipNorm, "clipping must scale the steps: gradient norm " + norm);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void initialWeightsAreTheHostDrawsOnEveryBackend(Backend backend) {
    try (Model model = Model.sequential(Dense.of(30, 20).init(Init.HE_NORMAL)).on(backend, 77)) {
      float[] expected =
          Init.HE_NORMAL.generate(30, 20, 600, 77, RandomStreams.stream(RandomStreams.INIT, 0, 0));
      assertArrayEquals(expected, model.get("layers.0.weight"));
      assertArrayEquals(new float[20], model.get("layers.0.bias"));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void historyRecordsEpochsNormsAndTheScheduledLearningRate(Backend backend) {
    DataSet train = blobs(200, 6, 3);
    DataSet dev = blobs(50, 6, 4);
    List<String> events = new ArrayList<>();
    List<Long> inUse = new ArrayList<>();
    List<Long> allocations = new ArrayList<>();
    try (Model model =
        Model.sequential(Dense.of(6, 10), Activation.RELU, Dense.of(10, 3)).on(backend, 1)) {
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Sgd.learningRate(0.1))
              .schedule(LearningRateSchedule.step(1, 0.5))
              .batchSize(64)
              .epochs(4)
              .listener(
                  new TrainingListener() {
                    @Override
                    public void onEpochStart(Model m, int epoch) {
                      events.add("start " + epoch);
                    }

                    @Override
                    public void onBatchEnd(Model m, int epoch, int batch, long step, double loss) {
                      events.add("batch " + epoch + "." + batch);
                    }

                    @Override
                    public void onEpochEnd(Model m, EpochStats stats) {
                      events.add("end " + stats.epoch());
                      MemoryStats s = backend.memoryStats();
                      inUse.add(s.inUse());
                      allocations.add(s.allocations());
                    }
                  })
              .build()
              .fit(model, train, dev);
      assertEquals(4, history.epochs().size());
      // 200 examples in batches of 64: three full batches and one of 8.
      assertEquals(
          List.of("start 0", "batch 0.0", "batch 0.1", "batch 0.2", "batch 0.3", "end 0"),
          events.subList(0, 6));
      for (EpochStats e : history.epochs()) {
        assertEquals(0.1 * Math.pow(0.5, e.epoch()), e.learningRate(), 1e-12);
        // The two dense layers, the only ones with parameters.
        assertEquals(Set.of("layers.0", "layers.2"), e.gradientNorms().keySet());
        assertEquals(Set.of("layers.0", "layers.2"), e.weightNorms().keySet());
        assertTrue(e.gradientNorms().get("layers.0") > 0);
        assertTrue(e.weightNorms().get("layers.2") > 0);
        assertTrue(e.samplesPerSecond() > 0 && e.seconds() > 0);
        assertTrue(e.trainAccuracy() >= 0 && e.trainAccuracy() <= 1);
      }
      assertTrue(
          history.last().devAccuracy() > 0.5,
          "dev accuracy (chance is 1/3) " + history.last().devAccuracy());
      assertEquals(model.evaluate(dev).loss(), history.last().devLoss(), 1e-6);
      // Steady state: after the first epoch no tensor is created or freed.
      assertEquals(inUse.get(1), inUse.get(3), "bytes in use, epoch 1 vs 3");
      assertEquals(allocations.get(1), allocations.get(3), "allocations, epoch 1 vs 3");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void earlyStoppingRestoresTheBestEpoch(Backend backend) {
    // A big network on 30 examples with random labels overfits: the dev loss soon rises.
    Random random = new Random(5);
    float[] x = TestData.gaussian(30 * 6, 6);
    int[] labels = new int[30];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(3);
    }
    DataSet train = DataSet.classification(x, 6, labels, 3);
    DataSet dev = blobs(60, 6, 7);
    try (Model model =
        Model.sequential(Dense.of(6, 64), Activation.RELU, Dense.of(64, 3)).on(backend, 2)) {
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Adam.learningRate(0.01))
              .batchSize(10)
              .epochs(200)
              .earlyStopping(EarlyStopping.onDevLoss().patience(3))
              .build()
              .fit(model, train, dev);
      assertTrue(history.stoppedEarly(), "stopped after " + history.epochs().size() + " epochs");
      int best = 0;
      for (EpochStats e : history.epochs()) {
        if (e.devLoss() < history.epochs().get(best).devLoss()) {
          best = e.epoch();
        }
      }
      assertEquals(best, history.bestEpoch());
      assertEquals(history.epochs().size() - 1 - 3, best, "patience 3 after the best epoch");
      // The restored weights give exactly the best epoch's dev loss.
      assertEquals(history.epochs().get(best).devLoss(), model.evaluate(dev).loss());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void earlyStoppingNeverTakesAnOverflowedDevLossForTheBest(Backend backend) {
    DataSet train = DataSet.regression(TestData.gaussian(40 * 2, 2), 2, new float[40], 1);
    // Finite dev inputs whose squared outputs overflow float32: the dev loss is infinite.
    float[] huge = new float[10 * 2];
    java.util.Arrays.fill(huge, 1e30f);
    DataSet dev = DataSet.regression(huge, 2, new float[10], 1);
    try (Model model = Model.sequential(Dense.of(2, 1)).on(backend, 4)) {
      History history =
          Trainer.builder()
              .loss(Loss.MEAN_SQUARED_ERROR)
              .optimizer(Sgd.learningRate(0.01))
              .batchSize(10)
              .epochs(6)
              .earlyStopping(EarlyStopping.onDevLoss().patience(2))
              .build()
              .fit(model, train, dev);
      assertTrue(Double.isInfinite(history.epochs().get(0).devLoss()), history.toString());
      // No epoch had a usable score: patience runs out and the last weights stay.
      assertTrue(history.stoppedEarly());
      assertEquals(2, history.epochs().size());
      assertEquals(1, history.bestEpoch());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void frozenLayersKeepTheirWeightsAndGetNoGradientWork(Backend backend) {
    DataSet train = blobs(100, 6, 8);
    try (Model model =
        Model.sequential(
                Dense.of(6, 8), Activation.TANH, Dense.of(8, 8), Activation.TANH, Dense.of(8, 3))
            .on(backend, 4)) {
      model.freeze(2);
      float[] w0 = model.get("layers.0.weight");
      float[] w2 = model.get("layers.2.weight");
      assertEquals(
          List.of("layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias"),
          new ArrayList<>(model.trainableParameters().keySet()));
      train(model, train, null, 1);
      assertArrayEquals(w0, model.get("layers.0.weight"));
      assertFalse(java.util.Arrays.equals(w2, model.get("layers.2.weight")));
      // The frozen layer's gradient buffer was never written.
      assertArrayEquals(
          new float[6 * 8], model.layer(0).gradients().get("layers.0.weight").toArray());

      try (Model transfer = model.replaceHead(4, 9, Dense.of(8, 5))) {
        assertEquals(5, transfer.outputCount());
        assertArrayEquals(model.get("layers.2.weight"), transfer.get("layers.2.weight"));
        assertFalse(transfer.layer(0).isTrainable());
        assertTrue(transfer.layer(4).isTrainable());
        assertEquals(5, transfer.get("layers.4.bias").length);
        assertEquals(6 * 8 + 8 + 8 * 8 + 8 + 8 * 5 + 5, transfer.parameterCount());
      }
    }
  }

  /** The softmax of row {@code row} in {@link Rounded} arithmetic, from logits ln p. */
  private static List<Rounded> softmax(float[] p, int row, int cols) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < cols; j++) {
      max = Math.max(max, Math.log(p[row * cols + j]));
    }
    Rounded m = Rounded.of(max);
    List<Rounded> exps = new ArrayList<>();
    for (int j = 0; j < cols; j++) {
      exps.add(Rounded.of(Math.log(p[row * cols + j])).minus(m).exp());
    }
    Rounded logSum = Rounded.sum(exps).log();
    List<Rounded> out = new ArrayList<>();
    for (int j = 0; j < cols; j++) {
      out.add(Rounded.of(Math.log(p[row * cols + j])).minus(m).minus(logSum).exp());
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void probabilitiesAreASoftmaxAndPredictionsTheirArgmax(Backend backend) {
    DataSet data = blobs(1500, 6, 9); // more than one inference batch of 1024
    try (Model model =
        Model.sequential(Dense.of(6, 10), Activation.SWISH, Dense.of(10, 3)).on(backend, 1)) {
      float[] p = model.predictProbabilities(data);
      int[] predicted = model.predictClasses(data);
      for (int i = 0; i < data.size(); i++) {
        double sum = 0;
        int argmax = 0;
        for (int k = 0; k < 3; k++) {
          sum += p[i * 3 + k];
          if (p[i * 3 + k] > p[i * 3 + argmax]) {
            argmax = k;
          }
        }
        // Each p_k = exp(z_k - m - ln s) carries the error bound of the softmax formula (Rounded);
        // softmax is invariant to a shift of the logits, so ln p_k stand for the logits. The sum
        // of the exact p_k is 1, so |sum - 1| is within the sum of the three bounds (the double
        // sum here adds nothing at this scale).
        double bound = 0;
        for (Rounded q : softmax(p, i, 3)) {
          bound += q.error();
        }
        assertEquals(1.0, sum, bound);
        assertEquals(argmax, predicted[i], "example " + i);
      }
      // The premise of the test: the rows span a full inference batch and a partial one.
      assertTrue(data.size() > Model.INFERENCE_BATCH, "rows " + data.size());
      assertTrue(data.size() % Model.INFERENCE_BATCH != 0, "rows " + data.size());
      assertEquals(data.size() * 3, p.length);
      assertEquals(data.size(), predicted.length);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void specAndNamedTensorsRebuildTheSameModel(Backend backend) throws Exception {
    DataSet train = blobs(120, 6, 11);
    try (Model model = randomizedNet().on(backend, 3)) {
      train(model, train, null, 2);
      // What a model file stores: the architecture as JSON and every named tensor.
      String spec = model.spec().toJson();
      Map<String, float[]> tensors = weights(model);
      try (Model copy = Model.fromSpec(ModelSpec.fromJson(spec), backend, 99)) {
        assertEquals(tensors.keySet(), copy.namedTensors().keySet());
        tensors.forEach(copy::set);
        assertArrayEquals(model.predictProbabilities(train), copy.predictProbabilities(train));
        assertEquals(model.evaluate(train), copy.evaluate(train));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aFrozenMiddleLayerPassesGradientsToTrainableLayersBelow(Backend backend) {
    DataSet train = blobs(100, 6, 13);
    try (Model model =
        Model.sequential(
                Dense.of(6, 8), BatchNorm.of(), Activation.TANH, Dense.of(8, 8), Dense.of(8, 3))
            .on(backend, 4)) {
      model.layer(1).setTrainable(false);
      model.layer(3).setTrainable(false);
      Map<String, float[]> before = weights(model);
      train(model, train, null, 1);
      Map<String, float[]> after = weights(model);
      assertArrayEquals(before.get("layers.1.weight"), after.get("layers.1.weight"));
      assertArrayEquals(before.get("layers.3.weight"), after.get("layers.3.weight"));
      assertFalse(
          java.util.Arrays.equals(before.get("layers.0.weight"), after.get("layers.0.weight")));
      assertFalse(
          java.util.Arrays.equals(before.get("layers.4.weight"), after.get("layers.4.weight")));
      // A frozen batch-norm layer still normalizes with batch statistics and tracks them.
      assertFalse(
          java.util.Arrays.equals(
              before.get("layers.1.running_mean"), after.get("layers.1.running_mean")));
    }
  }
}
