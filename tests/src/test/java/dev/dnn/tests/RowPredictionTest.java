package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.backend.MemoryStats;
import dev.dnn.data.DataSet;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.ScalerParams;
import dev.dnn.data.TargetScaling;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Adam;
import dev.dnn.random.Philox;
import dev.dnn.train.Trainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The latency path, {@code Model.predict(float[] rows, float[] out)}: the same bits as {@code
 * predict(float[][])} on the same rows under each loss's terms (softmax probabilities, sigmoid
 * probabilities, regression values with the target scaling undone) and through the model's input
 * scaling, for one row and for several back to back; bad calls refused with what was wrong; and a
 * stream of calls holding its device memory flat and, on the CPU, allocating nothing on the heap.
 * ConcurrentInferenceTest runs it from many threads.
 */
class RowPredictionTest {
  private static final int FEATURES = 9;
  private static final int OUTPUTS = 3;

  private static final ModelSpec SPEC =
      Model.sequential(
          FEATURES,
          Dense.of(FEATURES, 20),
          BatchNorm.of(),
          Activation.RELU,
          Dense.of(20, 11),
          Activation.TANH,
          Dense.of(11, OUTPUTS));

  private static float[] flat(int rows, long seed) {
    float[] values = new float[rows * FEATURES];
    Philox.fillUniform(seed, 5, 0, values, 0, values.length);
    for (int i = 0; i < values.length; i++) {
      values[i] = 60 * values[i] - 10; // raw: the preprocessing scales them
    }
    return values;
  }

  private static float[][] asRows(float[] flat) {
    float[][] rows = new float[flat.length / FEATURES][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = Arrays.copyOfRange(flat, r * FEATURES, (r + 1) * FEATURES);
    }
    return rows;
  }

  private static Model model(Backend backend, Loss loss) {
    Model model = Model.fromSpec(SPEC, backend, 21, loss);
    float[] offset = new float[FEATURES];
    float[] scale = new float[FEATURES];
    Arrays.fill(offset, 20f);
    Arrays.fill(scale, 1f / 25);
    model.setPreprocessing(Preprocessing.scaled(new ScalerParams("standardize", offset, scale)));
    if (loss == Loss.MEAN_SQUARED_ERROR) {
      model.setTargetScaling(
          new TargetScaling(new float[] {3f, -1f, 100f}, new float[] {0.5f, 2f, 0.01f}));
    }
    return model;
  }

  /** Each loss's answers, one row at a time and 37 rows at once, equal predict(float[][])'s. */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void equalsPredictOnTheSameRows(Backend backend) {
    for (Loss loss :
        new Loss[] {
          Loss.SOFTMAX_CROSS_ENTROPY, Loss.SIGMOID_BINARY_CROSS_ENTROPY, Loss.MEAN_SQUARED_ERROR
        }) {
      try (Model model = model(backend, loss)) {
        float[] values = flat(37, 3);
        float[][] rows = asRows(values);
        float[] out = new float[OUTPUTS];
        for (int r = 0; r < rows.length; r++) {
          float[] expected = model.predict(new float[][] {rows[r]})[0];
          Arrays.fill(out, Float.NaN);
          model.predict(rows[r], out);
          assertArrayEquals(expected, out, 0f, loss + " row " + r);
        }
        float[][] expected = model.predict(rows);
        float[] all = new float[rows.length * OUTPUTS];
        model.predict(values, all);
        for (int r = 0; r < rows.length; r++) {
          assertArrayEquals(
              expected[r],
              Arrays.copyOfRange(all, r * OUTPUTS, (r + 1) * OUTPUTS),
              0f,
              loss + " row " + r + " of 37");
        }
      }
    }
  }

  /** A longer output array keeps its tail: only count * outputCount values are written. */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void writesOnlyTheAnswer(Backend backend) {
    try (Model model = model(backend, Loss.SOFTMAX_CROSS_ENTROPY)) {
      float[] out = new float[OUTPUTS + 2];
      Arrays.fill(out, -7f);
      model.predict(flat(1, 4), out);
      assertEquals(-7f, out[OUTPUTS]);
      assertEquals(-7f, out[OUTPUTS + 1]);
      float sum = out[0] + out[1] + out[2];
      // Three probabilities each within half an ulp of 1 (2^-24) after softmax's division; their
      // float sum is within a few ulps of 1.
      assertEquals(1f, sum, 4 * Math.ulp(1f));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void refusesBadCallsSayingWhatWasWrong(Backend backend) {
    try (Model model = model(backend, Loss.SOFTMAX_CROSS_ENTROPY)) {
      float[] out = new float[2 * OUTPUTS];
      IllegalArgumentException ragged =
          assertThrows(
              IllegalArgumentException.class, () -> model.predict(new float[FEATURES + 1], out));
      assertTrue(ragged.getMessage().contains("10 values"), ragged.getMessage());
      assertTrue(ragged.getMessage().contains("9 features"), ragged.getMessage());
      assertThrows(IllegalArgumentException.class, () -> model.predict(new float[0], out));
      float[] nan = flat(2, 5);
      nan[FEATURES + 4] = Float.NaN;
      IllegalArgumentException notFinite =
          assertThrows(IllegalArgumentException.class, () -> model.predict(nan, out));
      assertTrue(notFinite.getMessage().contains("feature 4 of example 1"), notFinite.getMessage());
      IllegalArgumentException shortOut =
          assertThrows(
              IllegalArgumentException.class,
              () -> model.predict(flat(2, 6), new float[2 * OUTPUTS - 1]));
      assertTrue(shortOut.getMessage().contains("need 6"), shortOut.getMessage());
      assertThrows(NullPointerException.class, () -> model.predict((float[]) null, out));
    }
  }

  /**
   * A model without preprocessing checks its rows in the backend's copy of them (split over the CPU
   * backend's threads from 65,536 floats, as 8,000 rows of 9 are): the same answers as {@code
   * predict(float[][])}, and the same message for a value that is not finite, in either share.
   */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void rowsWithoutPreprocessingAreCheckedInTheirCopy(Backend backend) {
    try (Model model = Model.fromSpec(SPEC, backend, 21, Loss.SOFTMAX_CROSS_ENTROPY)) {
      int rows = 8000;
      float[] flat = flat(rows, 9);
      float[] out = new float[rows * OUTPUTS];
      model.predict(flat, out);
      float[][] expected = model.predict(asRows(flat));
      for (int r = 0; r < rows; r++) {
        assertArrayEquals(
            expected[r], Arrays.copyOfRange(out, r * OUTPUTS, (r + 1) * OUTPUTS), "row " + r);
      }
      for (int example : new int[] {2, rows - 1}) {
        float[] bad = flat.clone();
        bad[example * FEATURES + 4] = example == 2 ? Float.POSITIVE_INFINITY : Float.NaN;
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> model.predict(bad, out));
        assertTrue(e.getMessage().contains("feature 4 of example " + example), e.getMessage());
      }
    }
  }

  /**
   * Predictions after the weights change, set by name or trained, answer with the new values: the
   * CPU backend reads the weights of a stream of predictions from panels packed once, which any
   * change must make stale. The reference is a second model given the same values that never
   * predicted before.
   */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void predictionsFollowChangedWeights(Backend backend) {
    int inputs = 64;
    int rows = 16;
    ModelSpec wide =
        Model.sequential(
            inputs,
            Dense.of(inputs, 300),
            Activation.RELU,
            Dense.of(300, 70),
            Activation.RELU,
            Dense.of(70, OUTPUTS));
    float[] values = new float[rows * inputs];
    Philox.fillUniform(3, 5, 0, values, 0, values.length);
    float[] out = new float[rows * OUTPUTS];
    try (Model model = Model.fromSpec(wide, backend, 5, Loss.SOFTMAX_CROSS_ENTROPY)) {
      for (int i = 0; i < 3; i++) {
        model.predict(values, out);
      }
      for (String name : model.parameters().keySet()) {
        float[] w = model.get(name);
        for (int i = 0; i < w.length; i++) {
          w[i] *= -1.5f;
        }
        model.set(name, w);
      }
      float[] expected = freshAnswers(wide, model, values);
      for (int i = 0; i < 3; i++) {
        model.predict(values, out);
        assertArrayEquals(expected, out, 0f, "prediction " + i + " after set");
      }
      int[] labels = new int[rows];
      Arrays.setAll(labels, r -> r % OUTPUTS);
      Trainer.builder()
          .loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .optimizer(Adam.learningRate(1e-2))
          .batchSize(rows)
          .epochs(2)
          .seed(1)
          .build()
          .fit(model, DataSet.classification(values, inputs, labels, OUTPUTS));
      expected = freshAnswers(wide, model, values);
      for (int i = 0; i < 3; i++) {
        model.predict(values, out);
        assertArrayEquals(expected, out, 0f, "prediction " + i + " after training");
      }
    }
  }

  /** The answers of a new model of {@code spec} holding {@code model}'s values. */
  private static float[] freshAnswers(ModelSpec spec, Model model, float[] values) {
    try (Model fresh = Model.fromSpec(spec, model.backend(), 99, Loss.SOFTMAX_CROSS_ENTROPY)) {
      for (String name : model.namedTensors().keySet()) {
        fresh.set(name, model.get(name));
      }
      float[] answers = new float[values.length / model.inputCount() * model.outputCount()];
      fresh.predict(values, answers);
      return answers;
    }
  }

  /**
   * Calls of one row count reuse their buffers: the backend asks the system for no new memory, and
   * the memory in use does not grow. The backend is shared with the other tests, whose unclosed
   * tensors a collection may release meanwhile (the CUDA backend's cleaner), so in use may fall.
   */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aStreamOfCallsKeepsItsDeviceMemory(Backend backend) {
    try (Model model = model(backend, Loss.SOFTMAX_CROSS_ENTROPY)) {
      float[] row = flat(1, 7);
      float[] out = new float[OUTPUTS];
      model.predict(row, out);
      MemoryStats settled = backend.memoryStats();
      for (int i = 0; i < 200; i++) {
        model.predict(row, out);
      }
      MemoryStats after = backend.memoryStats();
      assertEquals(settled.allocations(), after.allocations(), "allocations");
      assertTrue(
          after.inUse() <= settled.inUse(),
          "in use grew from " + settled.inUse() + " to " + after.inUse() + " bytes");
    }
  }

  /**
   * On the CPU backend a stream of calls of one row count allocates nothing on the heap once
   * compiled, on the calling thread or the backend's workers, so a server's collector stays idle
   * ({@link ServingAllocation} makes the calls). In a JVM of its own, as a server's: after this
   * JVM's other tests, C2 may have given up on a vector tile (recompiled too often on their many
   * shapes), and its interpreted vectors allocate.
   */
  @Test
  void aStreamOfCallsAllocatesNothingOnTheCpu(@TempDir Path scratch) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = scratch.resolve("child.out");
    Path err = scratch.resolve("child.err");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-cp",
                System.getProperty("java.class.path"),
                ServingAllocation.class.getName())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    boolean done = child.waitFor(240, TimeUnit.SECONDS);
    if (!done) {
      child.destroyForcibly();
    }
    String errors = Files.readString(err, StandardCharsets.UTF_8);
    assertTrue(done, "the child JVM did not finish in 240 s");
    assertEquals(0, child.exitValue(), "the child JVM failed: " + errors);
    List<String> lines =
        Files.readAllLines(out, StandardCharsets.UTF_8).stream()
            .filter(line -> line.contains(" rows: "))
            .toList();
    assertEquals(List.of("1 rows: 0", "16 rows: 0"), lines, "bytes allocated by the last calls");
  }
}
