package dev.dnn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dnn.backend.Backend;
import dev.dnn.cpu.CpuBackend;
import dev.dnn.data.DataSet;
import dev.dnn.data.FeatureScaler;
import dev.dnn.data.Standardizer;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Maxout;
import dev.dnn.nn.Model;
import dev.dnn.nn.Residual;
import dev.dnn.optim.Adam;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import dev.dnn.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real consumers: PyTorch loads a freshly trained model file with {@code python/dnn_torch.py}
 * ({@code load_state_dict(strict=True)}) and computes dnn's logits from the same raw inputs, and
 * {@code onnx.checker} accepts the exported graph. Needs a Python 3 with torch and onnx (Debian's
 * python3-torch and python3-onnx); skips with the reason where there is none, and fails instead
 * when {@code -Ddnn.requireInterop=true} (as .ci/run sets).
 */
class PythonInteropTest {
  private static final int FEATURES = 10;
  private static final int CLASSES = 3;
  private static String python;
  private static String missing;

  @TempDir Path dir;

  @BeforeAll
  static void findPython() throws InterruptedException {
    List<String> candidates = new ArrayList<>();
    String configured = System.getProperty("dnn.python");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured); // named: that one only
    } else {
      candidates.add("/usr/bin/python3");
      candidates.add("python3");
    }
    StringBuilder reasons = new StringBuilder();
    for (String candidate : candidates) {
      try {
        Result r = exec(List.of(candidate, "-c", "import torch, onnx"));
        if (r.code == 0) {
          python = candidate;
          return;
        }
        reasons.append(candidate).append(": ").append(r.output.strip()).append("; ");
      } catch (IOException e) {
        reasons.append(candidate).append(": ").append(e.getMessage()).append("; ");
      }
    }
    missing = "no Python 3 with torch and onnx (" + reasons + ")";
  }

  /** Fails or skips, with the reason, when there is no usable Python. */
  private static void requirePython() {
    if (python != null) {
      return;
    }
    if (Boolean.getBoolean("dnn.requireInterop")) {
      fail(missing + " but -Ddnn.requireInterop=true");
    }
    Assumptions.abort(missing);
  }

  private record Result(int code, String output) {}

  private static Result exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static Path script() {
    return Path.of(System.getProperty("dnn.pythonDir", "../python")).resolve("dnn_torch.py");
  }

  /** 256 examples of 10 raw features, integers 0-255; the class depends on two of them. */
  private static DataSet rawData() {
    float[] x = new float[256 * FEATURES];
    int[] y = new int[256];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.floor(256 * Philox.uniform(31, 0, i));
    }
    for (int i = 0; i < y.length; i++) {
      float a = x[i * FEATURES];
      float b = x[i * FEATURES + 1];
      y[i] = a > 128 ? (b > 128 ? 2 : 1) : 0;
    }
    return DataSet.classification(x, FEATURES, y, CLASSES);
  }

  private static DataSet scaled(DataSet raw, float factor) {
    float[] x = raw.featuresView().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] *= factor;
    }
    return raw.withFeatures(x, FEATURES);
  }

  @Test
  void pytorchLoadsAFreshlyTrainedFileStrictlyAndComputesTheSameLogits() throws Exception {
    requirePython();
    DataSet raw = rawData();
    double inputScale = 1 / 255.0;
    DataSet unit = scaled(raw, (float) inputScale);
    FeatureScaler scaler = Standardizer.fit(unit);
    DataSet train = scaler.apply(unit);
    Path file = dir.resolve("model.safetensors");
    Path csv = dir.resolve("inputs.csv");
    float[] expected;
    int[] labels;
    try (Backend backend = new CpuBackend(1);
        Model model =
            Model.sequential(
                    FEATURES,
                    Dense.of(FEATURES, 16),
                    Activation.PRELU,
                    BatchNorm.of(),
                    Residual.of(Dense.of(16, 16), Activation.SWISH),
                    Maxout.of(2),
                    Dense.of(8, CLASSES))
                .on(backend, 7)) {
      Trainer.builder()
          .loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .optimizer(Adam.learningRate(1e-2))
          .batchSize(32)
          .epochs(3)
          .seed(7)
          .build()
          .fit(model, train);
      ModelFile.saveWith(
          model,
          ModelFile.Description.of(scaler.params())
              .withInputScale(inputScale)
              .withClasses(List.of("low", "mid", "high")),
          file);
      try (Tensor x = backend.fromHost(train.featuresView(), Shape.matrix(raw.size(), FEATURES))) {
        expected = model.forward(x).toArray();
      }
      labels = model.predictClasses(train);
      OnnxExporter.export(
          model,
          ModelFile.Description.of(scaler.params()).withInputScale(inputScale),
          dir.resolve("model.onnx"));
    }
    StringBuilder rows = new StringBuilder();
    float[] x = raw.featuresView();
    for (int r = 0; r < raw.size(); r++) {
      for (int c = 0; c < FEATURES; c++) {
        rows.append(c == 0 ? "" : ",").append((int) x[r * FEATURES + c]);
      }
      rows.append('\n');
    }
    Files.writeString(csv, rows);

    Result logits =
        exec(List.of(python, script().toString(), "logits", file.toString(), csv.toString()));
    assertEquals(0, logits.code, logits.output);
    float[] actual = parse(logits.output);
    // Float32 in both, different kernels: a few ulps per layer on logits of magnitude ~10.
    assertArrayEquals(expected, actual, 1e-4f);
    Result predicted =
        exec(List.of(python, script().toString(), "predict", file.toString(), csv.toString()));
    assertEquals(0, predicted.code, predicted.output);
    int[] torchLabels = predicted.output.lines().mapToInt(Integer::parseInt).toArray();
    assertArrayEquals(labels, torchLabels);

    Result checker =
        exec(
            List.of(
                python,
                "-c",
                "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True);"
                    + " print('ok')",
                dir.resolve("model.onnx").toString()));
    assertEquals(0, checker.code, checker.output);
    assertEquals("ok", checker.output.strip());
  }

  private static float[] parse(String text) {
    List<Float> values = new ArrayList<>();
    for (String line : text.split("\n")) {
      for (String cell : line.split(",")) {
        if (!cell.isBlank()) {
          values.add(Float.parseFloat(cell));
        }
      }
    }
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
