package dev.dnn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.cpu.CpuBackend;
import dev.dnn.data.DataSet;
import dev.dnn.data.FeatureScaler;
import dev.dnn.data.ScalerParams;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Maxout;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Residual;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer kind exported to ONNX and run by ONNX Runtime gives dnn's outputs. Tolerance: the
 * models are a few float32 layers of width at most 12 with weights in [-1, 1]; ONNX Runtime's MLAS
 * kernels sum in another order and use their own exp/tanh approximations, a few ulps per layer:
 * {@value #TOLERANCE} absolute on outputs of magnitude up to about 5 (about 30 ulps there).
 */
class OnnxExporterTest {
  private static final float TOLERANCE = 1e-5f;
  private static final Backend BACKEND = new CpuBackend(1);
  private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

  @TempDir Path dir;

  @AfterAll
  static void close() {
    BACKEND.close();
  }

  /** Every tensor filled with seeded values in [-1, 1] (variances in [0.5, 1.5]). */
  static Model randomModel(ModelSpec spec, long seed) {
    return randomModel(spec, seed, null);
  }

  /**
   * A model with random weights (and running statistics) trained, as it were, under {@code loss}.
   */
  static Model randomModel(ModelSpec spec, long seed, Loss loss) {
    Model model = Model.fromSpec(spec, BACKEND, seed, loss);
    int k = 0;
    for (Map.Entry<String, Tensor> e : model.namedTensors().entrySet()) {
      float[] v = new float[e.getValue().size()];
      for (int i = 0; i < v.length; i++) {
        float u = Philox.uniform(seed, k, i);
        v[i] = e.getKey().endsWith("running_var") ? 0.5f + u : 2 * u - 1;
      }
      model.set(e.getKey(), v);
      k++;
    }
    return model;
  }

  static Stream<Arguments> layerKinds() {
    List<Arguments> cases = new ArrayList<>();
    for (ActivationKind kind : ActivationKind.values()) {
      Activation a =
          switch (kind) {
            case LEAKY_RELU -> Activation.leakyRelu(0.07);
            case ELU -> Activation.elu(0.6);
            case PRELU -> Activation.PRELU;
            case RRELU -> Activation.RRELU;
            default -> new Activation(kind, 0, 0, 0);
          };
      // After a dense layer (fused into its kernel where the model does that) and on the input.
      cases.add(Arguments.of(kind.name(), Model.sequential(5, Dense.of(5, 6), a, Dense.of(6, 4))));
      cases.add(Arguments.of(kind.name() + " first", Model.sequential(5, a, Dense.of(5, 4))));
    }
    cases.add(
        Arguments.of(
            "dropout",
            Model.sequential(
                5, Dense.of(5, 6), Dropout.keep(0.5), Activation.RELU, Dense.of(6, 4))));
    cases.add(
        Arguments.of(
            "batch norm", Model.sequential(5, Dense.of(5, 6), BatchNorm.of(), Dense.of(6, 4))));
    cases.add(
        Arguments.of("maxout", Model.sequential(5, Dense.of(5, 12), Maxout.of(3), Dense.of(4, 4))));
    LayerSpec residual =
        Residual.of(Dense.of(6, 6), BatchNorm.of(), Activation.PRELU, Dense.of(6, 6));
    cases.add(
        Arguments.of(
            "residual",
            Model.sequential(5, Dense.of(5, 6), Activation.SWISH, residual, Dense.of(6, 4))));
    return cases.stream();
  }

  /** {@code rows} rows of {@code width} features in [-3, 3]. */
  static float[] inputs(int rows, int width, long seed) {
    float[] x = new float[rows * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = 6 * Philox.uniform(seed, 99, i) - 3;
    }
    return x;
  }

  /** Runs the graph on {@code x}; returns each output, row-major. */
  static List<float[]> run(Path onnx, float[] x, int width) throws OrtException {
    try (OrtSession session = ORT.createSession(onnx.toString(), new OrtSession.SessionOptions());
        OnnxTensor input =
            OnnxTensor.createTensor(
                ORT, FloatBuffer.wrap(x), new long[] {x.length / width, width});
        OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
      List<float[]> outputs = new ArrayList<>();
      for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
        float[][] rows = (float[][]) e.getValue().getValue();
        float[] flat = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
          System.arraycopy(rows[r], 0, flat, r * rows[r].length, rows[r].length);
        }
        outputs.add(flat);
      }
      return outputs;
    }
  }

  private static float[] logits(Model model, float[] x) {
    try (Tensor in =
        BACKEND.fromHost(x, Shape.matrix(x.length / model.inputCount(), model.inputCount()))) {
      return model.forward(in).toArray();
    }
  }

  private static DataSet unlabelled(float[] x, int width) {
    return DataSet.classification(x, width, new int[x.length / width], 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layerKinds")
  void onnxRuntimeGivesDnnsOutputsForEveryLayerKind(String kind, ModelSpec spec) throws Exception {
    Path onnx = dir.resolve("model.onnx");
    try (Model model = randomModel(spec, 3)) {
      OnnxExporter.export(model, ModelFile.Description.of(null), onnx);
      // Two batch sizes through one graph: the batch dimension is dynamic.
      for (int rows : new int[] {1, 9}) {
        float[] x = inputs(rows, 5, rows);
        List<float[]> out = run(onnx, x, 5);
        assertEquals(2, out.size());
        assertArrayEquals(
            model.predictProbabilities(unlabelled(x, 5)),
            out.get(0),
            TOLERANCE,
            kind + " probabilities");
        assertArrayEquals(logits(model, x), out.get(1), TOLERANCE, kind + " logits");
      }
    }
  }

  @Test
  void theGraphTakesRawInputsAndAppliesTheRecordedScalingAndPreprocessing() throws Exception {
    ModelSpec spec = Model.sequential(5, Dense.of(5, 8), Activation.RELU, Dense.of(8, 3));
    ScalerParams standardize =
        new ScalerParams(
            "standardize", new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, new float[] {2, 3, 4, 5, 6});
    ModelFile.Description d = ModelFile.Description.of(standardize).withInputScale(1 / 255.0);
    Path onnx = dir.resolve("raw.onnx");
    try (Model model = randomModel(spec, 8)) {
      OnnxExporter.export(model, d, onnx);
      float[] raw = new float[7 * 5];
      float[] scaled = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = (float) Math.floor(256 * Philox.uniform(4, 0, i)); // pixel values 0-255
        scaled[i] = raw[i] / 255f;
      }
      DataSet prepared = FeatureScaler.of(standardize).apply(unlabelled(scaled, 5));
      List<float[]> out = run(onnx, raw, 5);
      assertArrayEquals(model.predictProbabilities(prepared), out.get(0), TOLERANCE);
      assertArrayEquals(model.predictClasses(prepared), argmax(out.get(0), 3));
    }
  }

  static int[] argmax(float[] rows, int width) {
    int[] best = new int[rows.length / width];
    for (int r = 0; r < best.length; r++) {
      for (int c = 1; c < width; c++) {
        if (rows[r * width + c] > rows[r * width + best[r]]) {
          best[r] = c;
        }
      }
    }
    return best;
  }

  @Test
  void sigmoidModelsOutputSigmoidsAndRegressionModelsTheirValues() throws Exception {
    ModelSpec spec = Model.sequential(5, Dense.of(5, 6), Activation.TANH, Dense.of(6, 2));
    Path onnx = dir.resolve("other.onnx");
    float[] x = inputs(4, 5, 11);
    float[] logits;
    try (Model model = randomModel(spec, 5, Loss.SIGMOID_BINARY_CROSS_ENTROPY)) {
      OnnxExporter.export(model, ModelFile.Description.of(null), onnx);
      List<float[]> out = run(onnx, x, 5);
      logits = logits(model, x);
      float[] sigmoid = new float[logits.length];
      for (int i = 0; i < logits.length; i++) {
        sigmoid[i] = (float) (1 / (1 + Math.exp(-logits[i])));
      }
      assertArrayEquals(sigmoid, out.get(0), TOLERANCE);
    }
    // The same weights under mean squared error: the graph gives the outputs themselves.
    try (Model model = randomModel(spec, 5, Loss.MEAN_SQUARED_ERROR)) {
      OnnxExporter.export(model, ModelFile.Description.of(null), onnx);
      List<float[]> out = run(onnx, x, 5);
      assertEquals(1, out.size());
      assertArrayEquals(logits, out.get(0), TOLERANCE);
    }
  }

  @Test
  void classNamesAndTheArchitectureAreInTheGraphMetadata() throws Exception {
    ModelSpec spec = Model.sequential(5, Dense.of(5, 2));
    Path onnx = dir.resolve("meta.onnx");
    try (Model model = randomModel(spec, 2)) {
      OnnxExporter.export(
          model, ModelFile.Description.of(null).withClasses(List.of("no", "yes")), onnx);
    }
    try (OrtSession session = ORT.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
      Map<String, String> meta = session.getMetadata().getCustomMetadata();
      assertEquals("[\"no\",\"yes\"]", meta.get(ModelFile.KEY_CLASSES));
      assertTrue(meta.get(ModelFile.KEY_SPEC).contains("\"dense\""), meta.toString());
      assertEquals(
          List.of(OnnxExporter.PROBABILITIES, OnnxExporter.LOGITS),
          List.copyOf(session.getOutputNames()));
    }
    assertTrue(Files.size(onnx) > 0);
  }
}
