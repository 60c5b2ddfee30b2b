package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.data.ScalerParams;
import dev.dnn.io.HostArray;
import dev.dnn.io.MalformedFileException;
import dev.dnn.io.ModelFile;
import dev.dnn.io.SafeTensors;
import dev.dnn.io.SafeTensorsFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Residual;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model files in PyTorch's layout: what is stored, a file PyTorch made, the first format, and the
 * checks that protect the reader (non-finite weights, declared size against memory, shapes).
 */
class InteropModelFileTest {
  @TempDir Path dir;

  private static final ModelSpec SPEC =
      Model.sequential(
          6,
          Dense.of(6, 4),
          Activation.PRELU,
          BatchNorm.of(),
          Residual.of(Dense.of(4, 4), Activation.TANH),
          Dense.of(4, 3));

  /** Every tensor filled with distinct seeded values (variances positive). */
  private static Model randomModel(ModelSpec spec, Backend backend) {
    return randomModel(spec, backend, null);
  }

  private static Model randomModel(ModelSpec spec, Backend backend, Loss loss) {
    Model model = Model.fromSpec(spec, backend, 1, loss);
    int k = 0;
    for (Map.Entry<String, Tensor> e : model.namedTensors().entrySet()) {
      float[] v = new float[e.getValue().size()];
      for (int i = 0; i < v.length; i++) {
        float u = Philox.uniform(5, k, i);
        v[i] = e.getKey().endsWith("running_var") ? 0.5f + u : 2 * u - 1;
      }
      model.set(e.getKey(), v);
      k++;
    }
    return model;
  }

  private static float[] transposed(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void savedFilesUsePyTorchNamesAndShapesAndRecordWhatRebuildsTheModel(Backend backend)
      throws IOException {
    Path path = dir.resolve("model.safetensors");
    ScalerParams scaler =
        new ScalerParams("standardize", new float[] {1, 2, 3, 4, 5, 6}, new float[6]);
    List<String> classes = List.of("cat", "dog", "bird");
    try (Model model = randomModel(SPEC, backend, Loss.SOFTMAX_CROSS_ENTROPY)) {
      ModelFile.saveWith(
          model, ModelFile.Description.of(scaler).withClasses(classes).withInputScale(0.5), path);
      SafeTensorsFile file = SafeTensors.read(path);
      assertEquals(
          List.of(
              "layers.0.weight",
              "layers.0.bias",
              "layers.1.weight",
              "layers.2.weight",
              "layers.2.bias",
              "layers.2.running_mean",
              "layers.2.running_var",
              "layers.2.num_batches_tracked",
              "layers.3.body.0.weight",
              "layers.3.body.0.bias",
              "layers.4.weight",
              "layers.4.bias"),
          List.copyOf(file.tensors().keySet()));
      // nn.Linear(6, 4).weight is [4, 6]: the transpose of the model's [6, 4].
      assertArrayEquals(new int[] {4, 6}, file.tensor("layers.0.weight").shape());
      assertArrayEquals(
          transposed(model.get("layers.0.weight"), 6, 4),
          file.tensor("layers.0.weight").data(),
          0f);
      assertArrayEquals(new int[] {3, 4}, file.tensor("layers.4.weight").shape());
      assertArrayEquals(model.get("layers.1.slope"), file.tensor("layers.1.weight").data(), 0f);
      assertArrayEquals(new int[0], file.tensor("layers.2.num_batches_tracked").shape());
      assertEquals(ModelFile.FORMAT, file.metadata().get(ModelFile.KEY_FORMAT));
      assertEquals("[\"cat\",\"dog\",\"bird\"]", file.metadata().get(ModelFile.KEY_CLASSES));
      assertEquals("SOFTMAX_CROSS_ENTROPY", file.metadata().get(ModelFile.KEY_LOSS));
      try (ModelFile.Loaded loaded = ModelFile.load(path, backend)) {
        assertEquals(classes, loaded.classes());
        assertEquals(0.5, loaded.inputScale());
        assertEquals(scaler, loaded.preprocessing().orElseThrow());
        assertEquals(Loss.SOFTMAX_CROSS_ENTROPY, loaded.model().loss());
        model
            .namedTensors()
            .forEach(
                (k, t) -> assertArrayEquals(t.toArray(), loaded.model().get(k), 0f, "tensor " + k));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void filesOfTheFirstFormatStillLoad(Backend backend) throws IOException {
    Path path = dir.resolve("v1.safetensors");
    try (Model model = randomModel(SPEC, backend)) {
      // What version 1 wrote: the model's own layout, dense weights [in, out], PReLU "slope".
      Map<String, HostArray> tensors = new LinkedHashMap<>();
      model
          .namedTensors()
          .forEach((k, t) -> tensors.put(k, new HostArray(t.shape().dims(), t.toArray())));
      Map<String, String> metadata = new LinkedHashMap<>();
      metadata.put(ModelFile.KEY_FORMAT, "dnn-model/1");
      metadata.put(ModelFile.KEY_SPEC, SPEC.toJson());
      SafeTensors.write(path, tensors, metadata);
      try (ModelFile.Loaded loaded = ModelFile.load(path, backend)) {
        model
            .namedTensors()
            .forEach(
                (k, t) -> assertArrayEquals(t.toArray(), loaded.model().get(k), 0f, "tensor " + k));
      }
    }
  }

  private static float[] csv(String resource) throws IOException {
    List<Float> values = new ArrayList<>();
    try (InputStream in = InteropModelFileTest.class.getResourceAsStream(resource)) {
      for (String line : new String(in.readAllBytes(), "UTF-8").split("\n")) {
        for (String cell : line.split(",")) {
          if (!cell.isBlank()) {
            values.add(Float.parseFloat(cell));
          }
        }
      }
    }
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private Path resource(String name) throws IOException {
    Path path = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/interop/" + name)) {
      Files.copy(in, path);
    }
    return path;
  }

  /**
   * A state_dict PyTorch saved (python/make_torch_fixture.py: every layer kind, BN statistics and
   * PReLU slopes random) scores as in PyTorch. Tolerance: 14 float32 layers of width at most 16,
   * weights up to 2.5 in magnitude; PyTorch's and dnn's kernels round differently (summation order,
   * exp and tanh implementations), a few ulps per layer amplified by the weights: 2e-5 absolute on
   * logits of magnitude up to 3 is ~50 ulps there.
   */
  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aFilePyTorchMadeLoadsWithItsArchitectureAndScoresAsInPyTorch(Backend backend)
      throws IOException {
    ModelSpec spec = ModelFile.readSpec(resource("torch_made_spec.json"));
    float[] inputs = csv("/interop/torch_made_inputs.csv");
    float[] expected = csv("/interop/torch_made_logits.csv");
    int rows = inputs.length / spec.inputs();
    try (ModelFile.Loaded loaded =
            ModelFile.load(resource("torch_made.safetensors"), spec, backend);
        Tensor x = backend.fromHost(inputs, Shape.matrix(rows, spec.inputs()))) {
      float[] logits = loaded.model().forward(x).toArray();
      assertArrayEquals(expected, logits, 2e-5f);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aTransposedLinearWeightInAPyTorchFileIsRefusedNamingBothLayouts(Backend backend)
      throws IOException {
    Path path = dir.resolve("model.safetensors");
    try (Model model = randomModel(SPEC, backend)) {
      ModelFile.save(model, null, path);
    }
    SafeTensorsFile file = SafeTensors.read(path);
    Map<String, HostArray> tensors = new LinkedHashMap<>(file.tensors());
    HostArray w = tensors.get("layers.0.weight");
    tensors.put("layers.0.weight", new HostArray(new int[] {6, 4}, transposed(w.data(), 4, 6)));
    Path bad = dir.resolve("bad.safetensors");
    SafeTensors.write(bad, tensors, file.metadata());
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> ModelFile.load(bad, backend));
    assertTrue(
        e.getMessage().contains("'layers.0.weight' has shape [6, 4]")
            && e.getMessage().contains("nn.Linear(6, 4) stores [4, 6]"),
        e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void nonFiniteWeightsAreRefusedAtLoadNamingTheTensor(Backend backend) throws IOException {
    Path path = dir.resolve("model.safetensors");
    try (Model model = randomModel(SPEC, backend)) {
      float[] nan = new float[4];
      java.util.Arrays.fill(nan, Float.NaN);
      model.set("layers.2.running_mean", nan);
      ModelFile.save(model, null, path);
    }
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> ModelFile.load(path, backend));
    assertTrue(
        e.getMessage().contains("tensor 'layers.2.running_mean' holds 4 non-finite values of 4"),
        e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aSmallFileDeclaringTwentyThousandLayersLoadsAndPredictsLikeItsOneDenseLayer(Backend backend)
      throws IOException {
    assumeCpu(backend);
    Path path = dir.resolve("model.safetensors");
    try (Model model = randomModel(Model.sequential(784, Dense.of(784, 10)), backend)) {
      ModelFile.save(model, null, path);
    }
    SafeTensorsFile file = SafeTensors.read(path);
    // 20,000 parameter-free layers of width 784: a few hundred kilobytes of JSON. With a workspace
    // per layer, 2 x 1024 rows x 784 floats each, that was 128 GB; the layers now share theirs.
    List<LayerSpec> layers = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      layers.add(Activation.RELU);
    }
    layers.add(Dense.of(784, 10));
    Map<String, HostArray> tensors = new LinkedHashMap<>();
    tensors.put("layers.20000.weight", file.tensor("layers.0.weight"));
    tensors.put("layers.20000.bias", file.tensor("layers.0.bias"));
    Map<String, String> meta = new LinkedHashMap<>(file.metadata());
    meta.put(ModelFile.KEY_SPEC, new ModelSpec(784, layers).toJson());
    Path deep = dir.resolve("deep.safetensors");
    SafeTensors.write(deep, tensors, meta);
    assertTrue(Files.size(deep) < 2_000_000, "the file is small: " + Files.size(deep));
    // Inputs in [0, 1): ReLU leaves them alone, so the outputs are the dense layer's, bit for bit.
    float[] x = new float[4 * 784];
    Philox.fillUniform(5, 1, 0, x, 0, x.length);
    DataSet rows = DataSet.unlabeled(x, 784);
    try (ModelFile.Loaded shallow = ModelFile.load(path, backend);
        ModelFile.Loaded loaded = ModelFile.load(deep, backend)) {
      assertEquals(20_001, loaded.model().layers().size());
      assertArrayEquals(shallow.model().predictOutputs(rows), loaded.model().predictOutputs(rows));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aSmallFileDeclaringWiderActivationsThanMemoryHoldsIsRefusedBeforeBuilding(Backend backend)
      throws IOException {
    assumeCpu(backend);
    Path path = dir.resolve("model.safetensors");
    try (Model model = randomModel(Model.sequential(784, Dense.of(784, 10)), backend)) {
      ModelFile.save(model, null, path);
    }
    // No parameters at all, but 100 million features a row: 1024 rows of them are 410 GB.
    Map<String, String> meta = new LinkedHashMap<>(SafeTensors.read(path).metadata());
    ModelSpec wide = new ModelSpec(100_000_000, List.of(Activation.RELU, Activation.RELU));
    meta.put(ModelFile.KEY_SPEC, wide.toJson());
    Path bad = dir.resolve("wide.safetensors");
    SafeTensors.write(bad, new LinkedHashMap<>(), meta);
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> ModelFile.load(bad, backend));
    assertTrue(
        e.getMessage().contains("declares 2 layers, activations up to 100000000 wide")
            && e.getMessage().contains("this JVM may use"),
        e.getMessage());
  }

  private static void assumeCpu(Backend backend) {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        backend.name().equals("cpu"), "the heap budget applies to the CPU backend");
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void settingATransposedWeightMatrixIsRefusedNamingBothShapes(Backend backend) {
    try (Model model = randomModel(SPEC, backend)) {
      float[] w = model.get("layers.0.weight");
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> model.set("layers.0.weight", new int[] {4, 6}, w));
      assertTrue(
          e.getMessage().contains("layers.0.weight has shape [6, 4], got values of shape [4, 6]"),
          e.getMessage());
      model.set("layers.0.weight", new int[] {6, 4}, w);
    }
  }
}
