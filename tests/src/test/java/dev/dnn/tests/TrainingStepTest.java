package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.internal.random.RandomStreams;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.Inference;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Pass;
import dev.dnn.optim.Adam;
import dev.dnn.optim.GradientClipping;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import dev.dnn.train.EpochStats;
import dev.dnn.train.History;
import dev.dnn.train.Trainer;
import dev.dnn.train.TrainingContext;
import dev.dnn.train.TrainingListener;
import dev.dnn.train.TrainingStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public training step is the one {@code fit} runs; listeners end a run through its context;
 * clipping by the global norm; the loss a model records; the evaluator on its own.
 */
class TrainingStepTest {
  private static final ModelSpec SPEC =
      Model.sequential(Dense.of(6, 12), Activation.RELU, Dropout.keep(0.8), Dense.of(12, 3));

  private static Trainer.Builder trainer(int epochs) {
    return Trainer.builder()
        .loss(Loss.SOFTMAX_CROSS_ENTROPY)
        .optimizer(Adam.learningRate(0.01))
        .batchSize(16)
        .epochs(epochs)
        .seed(7)
        .clipGradientNorm(0.5);
  }

  /** The epoch's order as the trainer draws it: Fisher-Yates from the run's Philox stream. */
  private static int[] order(int n, long seed, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long stream = RandomStreams.stream(RandomStreams.SHUFFLE, epoch, 0);
    for (int i = n - 1; i > 0; i--) {
      long bits =
          ((Philox.bits(seed, stream, 2L * i) & 0xFFFFFFFFL) << 32)
              | (Philox.bits(seed, stream, 2L * i + 1) & 0xFFFFFFFFL);
      int j = (int) Long.remainderUnsigned(bits, i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aStepDrivenByHandEndsWithFitsWeightsBitForBit(Backend backend) {
    DataSet train = TrainingTest.blobs(50, 6, 3); // three batches of 16 and one of 2
    List<Double> fitLosses = new ArrayList<>();
    List<Double> handLosses = new ArrayList<>();
    try (Model fitted = SPEC.on(backend, 5);
        Model byHand = SPEC.on(backend, 5)) {
      trainer(2)
          .listener(
              new TrainingListener() {
                @Override
                public void onBatchEnd(Model m, int epoch, int batch, long step, double loss) {
                  fitLosses.add(loss);
                }
              })
          .build()
          .fit(fitted, train);
      Trainer manual = trainer(2).build();
      try (TrainingStep step = manual.step(byHand)) {
        long stepNumber = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
          int[] order = order(train.size(), 7, epoch);
          for (int b = 0, from = 0; from < train.size(); b++, from += 16) {
            int rows = Math.min(16, train.size() - from);
            handLosses.add(step.run(train, order, from, rows, epoch, b, stepNumber++));
          }
        }
      }
      assertEquals(fitLosses, handLosses);
      assertEquals(8, manual.optimizer().stepCount());
      for (String name : fitted.namedTensors().keySet()) {
        assertArrayEquals(fitted.get(name), byHand.get(name), 0f, name);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aListenerEndsTheRunThroughItsContext(Backend backend) {
    DataSet train = TrainingTest.blobs(40, 6, 4);
    List<String> events = new ArrayList<>();
    try (Model model = SPEC.on(backend, 1)) {
      History history =
          trainer(5)
              .listener(
                  new TrainingListener() {
                    @Override
                    public void onEpochEnd(TrainingContext context, EpochStats stats) {
                      events.add("end " + stats.epoch());
                      assertEquals(5, context.epochs());
                      if (stats.epoch() == 1) {
                        context.stop();
                      }
                    }

                    @Override
                    public void onTrainEnd(TrainingContext context) {
                      events.add("train end " + context.stopRequested());
                    }
                  })
              .build()
              .fit(model, train);
      assertEquals(List.of("end 0", "end 1", "train end true"), events);
      assertEquals(2, history.epochs().size());
      assertTrue(history.stoppedEarly());
      assertEquals(1, history.bestEpoch());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void clippingScalesToTheMaximumNormAndReportsTheNormBefore(Backend backend) {
    try (Tensor a = backend.fromHost(new float[] {3, 0}, Shape.vector(2));
        Tensor b = backend.fromHost(new float[] {0, 4}, Shape.vector(2))) {
      Map<String, Tensor> gradients = new LinkedHashMap<>();
      gradients.put("a", a);
      gradients.put("b", b);
      // Norm 5 is within 10: unchanged.
      assertEquals(5.0, GradientClipping.byGlobalNorm(10).clip(backend, gradients), 1e-6);
      assertArrayEquals(new float[] {3, 0}, a.toArray(), 0f);
      // Above 1: scaled by 1/5, the direction kept.
      assertEquals(5.0, GradientClipping.byGlobalNorm(1).clip(backend, gradients), 1e-6);
      assertArrayEquals(new float[] {0.6f, 0}, a.toArray(), 1e-6f);
      assertArrayEquals(new float[] {0, 0.8f}, b.toArray(), 1e-6f);
    }
    try (Tensor c = backend.fromHost(new float[] {Float.POSITIVE_INFINITY, 1}, Shape.vector(2))) {
      double norm = GradientClipping.byGlobalNorm(1).clip(backend, Map.of("c", c));
      assertFalse(Double.isFinite(norm));
      assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 1}, c.toArray(), 0f);
    }
  }

  @Test
  void clippingRefusesANormThatIsNotFiniteAndPositive() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> GradientClipping.byGlobalNorm(bad));
      assertTrue(e.getMessage().contains("clipping norm"), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aModelRecordsTheLossItIsBuiltWithOrLastTrainedFor(Backend backend) {
    DataSet regression = DataSet.regression(TestData.gaussian(20 * 6, 8), 6, new float[20], 1);
    try (Model untold = Model.sequential(Dense.of(6, 1)).on(backend);
        Model built =
            Model.fromSpec(
                Model.sequential(Dense.of(6, 1)), backend, 0L, Loss.SIGMOID_BINARY_CROSS_ENTROPY);
        Tensor x = backend.zeros(Shape.matrix(4, 6))) {
      assertNull(untold.loss());
      assertEquals(Loss.SIGMOID_BINARY_CROSS_ENTROPY, built.loss());
      built.forward(x);
      built.forward(x, Pass.training(1, 1));
      assertEquals(Loss.SIGMOID_BINARY_CROSS_ENTROPY, built.loss(), "passes that name none");
      Trainer.builder()
          .loss(Loss.MEAN_SQUARED_ERROR)
          .optimizer(Adam.learningRate(0.01))
          .epochs(1)
          .build()
          .fit(built, regression);
      assertEquals(Loss.MEAN_SQUARED_ERROR, built.loss());
      assertEquals(built.evaluate(regression, Loss.MEAN_SQUARED_ERROR), built.evaluate(regression));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void anEvaluatorOfItsOwnAgreesWithTheModelAndClosesAlone(Backend backend) {
    DataSet data = TrainingTest.blobs(30, 6, 9);
    try (Model model = SPEC.on(backend, 2)) {
      try (Inference inference = new Inference(model)) {
        assertArrayEquals(model.predictClasses(data), inference.predictClasses(data));
        assertArrayEquals(
            model.predictOutputs(data), inference.predictOutputs(data), 0f, "outputs");
        assertEquals(
            model.evaluate(data, Loss.SOFTMAX_CROSS_ENTROPY).loss(),
            inference.evaluate(data, Loss.SOFTMAX_CROSS_ENTROPY).loss());
      }
      assertEquals(30, model.predict(data).length, "the model's own buffers stay open");
    }
  }
}
