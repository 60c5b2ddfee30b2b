package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.loss.Loss;
import dev.dnn.metrics.ConfusionMatrix;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.Evaluation;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Residual;
import dev.dnn.optim.Adam;
import dev.dnn.random.Philox;
import dev.dnn.train.Trainer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prediction on plain arrays, features-only data sets, the confusion matrix of an evaluation and
 * the model summary, on every backend.
 */
class InferenceApiTest {
  private static final int FEATURES = 6;
  private static final int CLASSES = 3;

  private static final ModelSpec SPEC =
      Model.sequential(
          FEATURES,
          Dense.of(FEATURES, 8),
          Activation.TANH,
          Dropout.keep(0.9),
          Dense.of(8, CLASSES));

  private static float[][] rows(int n, long seed) {
    float[] values = new float[n * FEATURES];
    Philox.fillUniform(seed, 7, 0, values, 0, values.length);
    float[][] rows = new float[n][FEATURES];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < FEATURES; c++) {
        rows[r][c] = 2 * values[r * FEATURES + c] - 1;
      }
    }
    return rows;
  }

  private static DataSet labelled(float[][] rows, int[] labels) {
    float[] flat = new float[rows.length * FEATURES];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * FEATURES, FEATURES);
    }
    return DataSet.classification(flat, FEATURES, labels, CLASSES);
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void arrayPredictionsAreTheSoftmaxOfTheOutputsAndAgreeWithTheDataSetPath(Backend backend) {
    float[][] inputs = rows(1030, 3); // more than one inference batch
    try (Model model = SPEC.on(backend, 5)) {
      float[][] probabilities = model.predict(inputs);
      float[] outputs = model.predictOutputs(DataSet.unlabeled(inputs));
      int[] classes = model.predictClasses(inputs);
      assertArrayEquals(model.predictClasses(DataSet.unlabeled(inputs)), classes);
      for (int r = 0; r < inputs.length; r++) {
        // Softmax in double precision from the raw outputs; float32 softmax carries a few ulps.
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
          max = Math.max(max, outputs[r * CLASSES + c]);
        }
        double sum = 0;
        for (int c = 0; c < CLASSES; c++) {
          sum += Math.exp(outputs[r * CLASSES + c] - max);
        }
        int best = 0;
        for (int c = 0; c < CLASSES; c++) {
          double expected = Math.exp(outputs[r * CLASSES + c] - max) / sum;
          assertEquals(expected, probabilities[r][c], 1e-6, "row " + r + " class " + c);
          if (outputs[r * CLASSES + c] > outputs[r * CLASSES + best]) {
            best = c;
          }
        }
        assertEquals(best, classes[r], "row " + r);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void theConfusionMatrixTalliesTheModelsOwnPredictions(Backend backend) {
    float[][] inputs = rows(300, 11);
    int[] labels = new int[inputs.length];
    for (int r = 0; r < labels.length; r++) {
      labels[r] = (r * 7) % CLASSES;
    }
    DataSet data = labelled(inputs, labels);
    try (Model model = SPEC.on(backend, 9)) {
      Evaluation evaluation = model.evaluate(data);
      ConfusionMatrix confusion = evaluation.confusion().orElseThrow();
      ConfusionMatrix expected = ConfusionMatrix.of(labels, model.predictClasses(inputs), CLASSES);
      for (int a = 0; a < CLASSES; a++) {
        for (int p = 0; p < CLASSES; p++) {
          assertEquals(expected.count(a, p), confusion.count(a, p), a + " -> " + p);
        }
      }
      assertEquals(evaluation.accuracy(), confusion.accuracy(), 1e-12);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void featuresOnlyDataIsRefusedForTrainingAndEvaluation(Backend backend) {
    DataSet unlabeled = DataSet.unlabeled(rows(10, 1));
    try (Model model = SPEC.on(backend, 1)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.evaluate(unlabeled));
      assertTrue(e.getMessage().contains("features only"), e.getMessage());
      Trainer trainer =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Adam.learningRate(1e-3))
              .epochs(1)
              .build();
      assertThrows(IllegalArgumentException.class, () -> trainer.fit(model, unlabeled, null));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aRowOfTheWrongWidthIsNamed(Backend backend) {
    float[][] inputs = rows(4, 2);
    inputs[2] = new float[FEATURES - 1];
    try (Model model = SPEC.on(backend, 1)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.predict(inputs));
      assertTrue(e.getMessage().contains("row 2 has 5 values"), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void theSummaryCountsParametersAndSaysWhatIsFrozen(Backend backend) {
    ModelSpec spec =
        Model.sequential(
            4,
            Dense.of(4, 5),
            Activation.RELU,
            BatchNorm.of(),
            Residual.of(Dense.of(5, 5), Activation.RELU),
            Dense.of(5, 2));
    try (Model model = spec.on(backend, 1)) {
      model.freeze(1);
      String summary = model.summary();
      List<String> lines = summary.lines().toList();
      assertEquals(1 + 5 + 1, lines.size(), summary);
      assertTrue(lines.get(1).contains("Dense 4 -> 5") && lines.get(1).contains("frozen"), summary);
      assertTrue(lines.get(1).contains("25"), "4 x 5 weights + 5 biases: " + summary);
      assertTrue(lines.get(3).contains("BatchNorm") && lines.get(3).contains("10"), summary);
      assertTrue(lines.get(4).contains("Residual") && lines.get(4).contains("30"), summary);
      long total = 25 + 10 + 30 + 12;
      assertEquals(total, model.parameterCount());
      assertTrue(
          lines.get(6).startsWith("Total parameters: " + total + " (trainable 52, frozen 25)"),
          summary);
    }
  }
}
