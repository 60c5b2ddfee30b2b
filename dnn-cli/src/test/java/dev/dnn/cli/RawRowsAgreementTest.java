package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.data.DataSet;
import dev.dnn.data.TableReader;
import dev.dnn.io.ModelFile;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three ways to run a saved regression model on raw rows agree: {@code ModelFile.load(...)
 * .model().predict(rows)}, {@code dnn predict} and ONNX Runtime on the exported graph, for a table
 * with a text column, columns of very different scales and a target of 10^5.
 */
class RawRowsAgreementTest {
  @TempDir Path dir;

  @Test
  void theLoadedModelDnnPredictAndOnnxRuntimeGiveTheSameAnswers() throws Exception {
    HouseTables tables = HouseTables.write(dir, 400);
    Path model = dir.resolve("price.safetensors");
    Path onnx = dir.resolve("price.onnx");
    Path answers = dir.resolve("answers.txt");
    String[][] commands = {
      {
        "train",
        "--backend",
        "cpu",
        "--csv",
        tables.houses().toString(),
        "--label",
        "price",
        "--ignore",
        "price_class",
        "--loss",
        "mse",
        "--standardize",
        "--epochs",
        "20",
        "--batch",
        "32",
        "--no-progress",
        "--save",
        model.toString()
      },
      {"export", "--backend", "cpu", "--model", model.toString(), "--onnx", onnx.toString()},
      {
        "predict",
        "--backend",
        "cpu",
        "--model",
        model.toString(),
        "--input",
        tables.reordered().toString(),
        "--output",
        answers.toString()
      }
    };
    for (String[] command : commands) {
      DnnCommandTest.Outcome outcome = DnnCommandTest.run(command);
      assertEquals(0, outcome.status(), command[0] + ": " + outcome.err());
    }
    List<String> printed = java.nio.file.Files.readAllLines(answers);
    try (Backend cpu = Backends.select("cpu");
        ModelFile.Loaded loaded = ModelFile.load(model, cpu)) {
      DataSet rows =
          TableReader.csv().readFeatures(tables.reordered(), loaded.model().preprocessing()).data();
      float[][] library = loaded.model().predict(rows);
      assertEquals(library.length, printed.size());
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
          OrtSession session = env.createSession(onnx.toString(), options);
          OnnxTensor input =
              OnnxTensor.createTensor(
                  env,
                  FloatBuffer.wrap(rows.featuresView()),
                  new long[] {rows.size(), rows.featureCount()});
          OrtSession.Result result = session.run(Map.of("input", input))) {
        float[][] runtime = (float[][]) result.get("outputs").orElseThrow().getValue();
        for (int r = 0; r < library.length; r++) {
          // dnn predict prints the library's float as Java writes it: the same value exactly.
          assertEquals(library[r][0], Float.parseFloat(printed.get(r)), 0f, "row " + r);
          // ONNX Runtime adds the same products in another order (its own GEMM): the network's
          // output differs by a few float32 roundings of the standardized value (|z| < 10), which
          // the un-scaling multiplies by the target's spread. 1e-4 of the spread bounds a 1e-5
          // relative error in z times |z| < 10, far above 2^-24 per operation of this 6-16-8-1
          // network, and far below any error in the preprocessing (a missed scaling is 10^5).
          double spread = 1 / loaded.model().targetScaling().orElseThrow().scale()[0];
          assertEquals(library[r][0], runtime[r][0], 1e-4 * spread, "row " + r);
        }
      }
    }
  }
}
