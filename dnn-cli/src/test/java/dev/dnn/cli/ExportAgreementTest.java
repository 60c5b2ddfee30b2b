package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.dnn.data.IdxArray;
import dev.dnn.data.IdxReader;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For every activation train offers, the graph export writes, run by ONNX Runtime on the raw pixels
 * (0-255) of the bundled 10,000 test images, predicts the labels predict writes.
 */
class ExportAgreementTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"relu", "leaky_relu", "elu", "selu", "swish", "tanh", "sigmoid"})
  void onnxRuntimeOnRawPixelsPredictsWhatPredictDoes(String activation) throws Exception {
    Path model = dir.resolve("model.safetensors");
    Path onnx = dir.resolve("model.onnx");
    Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
    try (InputStream in =
        getClass().getResourceAsStream("/dev/dnn/data/fashion-mnist/t10k-images-idx3-ubyte.gz")) {
      Files.copy(in, images);
    }
    Path labels = dir.resolve("labels.txt");
    String[][] commands = {
      {
        "train",
        "--backend",
        "cpu",
        "--hidden",
        "16,8",
        "--activation",
        activation,
        "--epochs",
        "1",
        "--limit",
        "500",
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
        images.toString(),
        "--output",
        labels.toString()
      }
    };
    for (String[] command : commands) {
      DnnCommandTest.Outcome outcome = DnnCommandTest.run(command);
      assertEquals(0, outcome.status(), command[0] + ": " + outcome.err());
    }
    int[] expected = Files.readAllLines(labels).stream().mapToInt(Integer::parseInt).toArray();

    IdxArray idx = IdxReader.read(images);
    byte[] pixels = idx.data();
    int rows = idx.dims()[0];
    float[] raw = new float[pixels.length];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = pixels[i] & 0xFF;
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(onnx.toString(), options);
        OnnxTensor input =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(raw), new long[] {rows, 784});
        OrtSession.Result result = session.run(Map.of("input", input))) {
      float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
      int[] actual = new int[rows];
      for (int r = 0; r < rows; r++) {
        for (int c = 1; c < probabilities[r].length; c++) {
          if (probabilities[r][c] > probabilities[r][actual[r]]) {
            actual[r] = c;
          }
        }
      }
      assertArrayEquals(expected, actual, activation);
    }
  }
}
