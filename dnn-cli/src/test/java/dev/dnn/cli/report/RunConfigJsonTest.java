package dev.dnn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.init.Init;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result files name the configuration's options through the library's names. */
class RunConfigJsonTest {
  private static String config(String activation, String init, String optimizer) {
    return "{\"name\":\"Deep-tanh\",\"hidden\":[8],\"activation\":\""
        + activation
        + "\",\"init\":\""
        + init
        + "\",\"optimizer\":\""
        + optimizer
        + "\",\"learningRate\":0.1,\"batchSize\":32,\"epochs\":2,\"dropout\":0.0,\"seed\":1}";
  }

  @Test
  void filesWrittenWithTheHarnessNamesOfOldStillRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("old.json");
    Files.writeString(file, config("LEAKY_RELU", "GLOROT", "RMSPROP"));
    RunConfig read = ResultsJson.read(file, RunConfig.class);
    assertEquals(ActivationKind.LEAKY_RELU, read.activation());
    assertEquals(Init.GLOROT_UNIFORM, read.init());
    assertEquals("rmsprop", read.optimizer());
  }

  @Test
  void aConfigurationSurvivesARoundTrip(@TempDir Path dir) throws IOException {
    RunConfig config =
        new RunConfig(
            "x", List.of(4, 3), ActivationKind.SELU, Init.LECUN_NORMAL, "Nadam", 0.01, 16, 1, 0, 7);
    assertEquals("nadam", config.optimizer());
    Path file = dir.resolve("run.json");
    ResultsJson.write(config, file);
    assertEquals(config, ResultsJson.read(file, RunConfig.class));
  }

  @Test
  void anUnknownNameIsRefusedWithTheValidOnes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, config("RELU", "HE", "LBFGS"));
    IOException e = assertThrows(IOException.class, () -> ResultsJson.read(file, RunConfig.class));
    assertTrue(
        e.getMessage().contains("unknown optimizer 'LBFGS'; valid names: sgd"), e.getMessage());
  }
}
