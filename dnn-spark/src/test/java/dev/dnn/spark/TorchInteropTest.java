package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saved model directory's {@code model.safetensors} loads in PyTorch through {@code
 * python/dnn_torch.py} (strict) and predicts the classes Spark predicts. Skips without a Python
 * that has torch, unless {@code -Ddnn.requireInterop=true} (as .ci/run sets).
 */
class TorchInteropTest {
  @TempDir Path dir;

  @Test
  void pyTorchReadsTheSavedModelFileAndPredictsTheSameClasses() throws Exception {
    String python = python();
    Dataset<Row> train = TestSpark.blobFrame(200, 3, 4, 1);
    Dataset<Row> test = TestSpark.blobFrame(40, 3, 4, 2);
    DnnClassificationModel model =
        new DnnClassifier()
            .setHidden(8)
            .setEpochs(3)
            .setBatchSize(32)
            .setStepSize(0.02)
            .setNumWorkers(2)
            .fit(train);
    Path saved = dir.resolve("model");
    model.write().save(saved.toString());
    List<Row> rows = model.transform(test).select("features", "prediction").collectAsList();
    StringBuilder csv = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (Row r : rows) {
      double[] x = ((Vector) r.get(0)).toArray();
      List<String> cells = new ArrayList<>();
      for (double v : x) {
        cells.add(Float.toString((float) v));
      }
      csv.append(String.join(",", cells)).append('\n');
      expected.add(Integer.toString((int) r.getDouble(1)));
    }
    Path inputs = dir.resolve("inputs.csv");
    Files.writeString(inputs, csv);
    Path script = Path.of(System.getProperty("dnn.pythonDir", "../python"), "dnn_torch.py");
    Result r =
        exec(
            List.of(
                python,
                script.toString(),
                "predict",
                saved.resolve(ModelPersistence.MODEL_FILE).toString(),
                inputs.toString()));
    assertEquals(0, r.code, r.output);
    // Classes, not probabilities: PyTorch's float arithmetic may differ in the last bits, which
    // changes an argmax only for a near tie, and these well-separated blobs have none.
    assertEquals(expected, List.of(r.output.strip().split("\\R")));
  }

  private static String python() throws InterruptedException {
    List<String> candidates = new ArrayList<>();
    String configured = System.getProperty("dnn.python", "");
    if (!configured.isEmpty()) {
      candidates.add(configured);
    } else {
      candidates.add("/usr/bin/python3");
      candidates.add("python3");
    }
    StringBuilder reasons = new StringBuilder();
    for (String candidate : candidates) {
      try {
        Result r = exec(List.of(candidate, "-c", "import torch"));
        if (r.code == 0) {
          return candidate;
        }
        reasons.append(candidate).append(": ").append(r.output.strip()).append("; ");
      } catch (IOException e) {
        reasons.append(candidate).append(": ").append(e.getMessage()).append("; ");
      }
    }
    String missing = "no Python 3 with torch (" + reasons + ")";
    if (Boolean.getBoolean("dnn.requireInterop")) {
      fail(missing + " but -Ddnn.requireInterop=true");
    }
    Assumptions.abort(missing);
    return null;
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
}
