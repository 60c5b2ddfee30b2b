package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnn.backend.ActivationKind;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.init.Init;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DnnCommandTest {
  /** The exit status, standard output and standard error of one invocation. */
  record Outcome(int status, String out, String err) {}

  static Outcome run(String... args) {
    CommandLine cli = DnnCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Outcome(status, out.toString(), err.toString());
  }

  @Test
  void trainFlagsBecomeAConfiguration() {
    TrainCommand train = new TrainCommand();
    new CommandLine(train)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(
            "--hidden",
            "64,32",
            "--activation",
            "tanh",
            "--optimizer",
            "SGD",
            "--lr",
            "0.05",
            "--batch",
            "128",
            "--epochs",
            "3",
            "--dropout",
            "0.2",
            "--seed",
            "9");
    RunConfig config = train.network.toConfig("t");
    assertEquals(List.of(64, 32), config.hidden());
    assertEquals(ActivationKind.TANH, config.activation());
    assertEquals(Init.GLOROT_UNIFORM, config.init(), "tanh defaults to Glorot");
    assertEquals("sgd", config.optimizer());
    assertEquals(0.05, config.learningRate());
    assertEquals(128, config.batchSize());
    assertEquals(3, config.epochs());
    assertEquals(0.2, config.dropout());
    assertEquals(9, config.seed());
    assertEquals("auto", train.backend.name);
  }

  @Test
  void defaultsAreTheTunedNetwork() {
    TrainCommand train = new TrainCommand();
    new CommandLine(train).setCaseInsensitiveEnumValuesAllowed(true).parseArgs();
    RunConfig config = train.network.toConfig("t");
    assertEquals(List.of(500, 250, 75, 25), config.hidden());
    assertEquals(Init.HE_NORMAL, config.init());
    assertEquals("adam", config.optimizer());
  }

  @Test
  void transferSharesTheLayerOptionsWithItsOwnDefaultWidths() {
    TransferCommand transfer = new TransferCommand();
    new CommandLine(transfer).setCaseInsensitiveEnumValuesAllowed(true).parseArgs();
    assertEquals(List.of(256, 128), transfer.layers.hidden);
    assertEquals(ActivationKind.RELU, transfer.layers.activation);
    TransferCommand tanh = new TransferCommand();
    new CommandLine(tanh).parseArgs("--hidden", "64", "--activation", "tanh");
    assertEquals(List.of(64), tanh.layers.hidden);
    assertEquals(ActivationKind.TANH, tanh.layers.activation);
    Outcome help = run("transfer", "--help");
    String folded = help.out().replaceAll("\\s+", " ");
    assertTrue(
        folded.contains("Hidden layer widths, comma separated (default: 256,128)"), help.out());
  }

  @Test
  void badHiddenWidthsAreRejectedWithTheValue() {
    Outcome notANumber = run("train", "--hidden", "500,abc");
    assertEquals(2, notANumber.status());
    assertTrue(notANumber.err().contains("'abc' is not a layer width"), notANumber.err());

    Outcome zero = run("train", "--hidden", "500,0");
    assertEquals(2, zero.status());
    assertTrue(zero.err().contains("layer width 0 must be at least 1"), zero.err());
  }

  @Test
  void unknownBackendIsRejectedWithTheChoices() {
    Outcome train = run("train", "--backend", "tpu");
    assertEquals(2, train.status());
    assertTrue(train.err().contains("unknown backend 'tpu'"), train.err());
    assertTrue(train.err().contains("auto"), train.err());
    assertTrue(train.err().contains("cpu"), train.err());

    Outcome experiment = run("experiment", "--backend", "cpu,tpu");
    assertEquals(2, experiment.status());
    assertTrue(experiment.err().contains("unknown backend 'tpu'"), experiment.err());
  }

  @Test
  void otherBadValuesNameTheOption() {
    Outcome activation = run("train", "--activation", "softmaxish");
    assertEquals(2, activation.status());
    assertTrue(activation.err().contains("--activation"), activation.err());

    Outcome scale = run("experiment", "--scale", "huge");
    assertEquals(2, scale.status());
    assertTrue(scale.err().contains("--scale"), scale.err());

    Outcome only = run("experiment", "--only", "resnet");
    assertEquals(2, only.status());
    assertTrue(only.err().contains("unknown configuration 'resnet'"), only.err());

    Outcome dropout = run("train", "--dropout", "1.5");
    assertEquals(2, dropout.status());
    assertTrue(dropout.err().contains("dropout"), dropout.err());

    Outcome missing = run("jmh-table", "no-such-file.json");
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("no-such-file.json"), missing.err());
  }

  @Test
  void trainsATinyNetworkAndWritesItsFigures(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("run.json");
    Outcome outcome =
        run(
            "train",
            "--hidden",
            "16",
            "--epochs",
            "2",
            "--limit",
            "600",
            "--batch",
            "50",
            "--backend",
            "cpu",
            "--no-progress",
            "--json",
            json.toString());
    assertEquals(0, outcome.status(), outcome.err());
    assertTrue(outcome.out().contains("epoch 2/2"), outcome.out());
    assertTrue(outcome.out().contains("Accuracy: train"), outcome.out());
    JsonNode result = new ObjectMapper().readTree(json.toFile());
    assertEquals(600, result.get("trainExamples").asInt());
    assertEquals(2, result.get("epochs").size());
    assertEquals("784-16-10", result.get("architecture").asText());
    for (String field : new String[] {"trainAccuracy", "devAccuracy", "testAccuracy"}) {
      double accuracy = result.get(field).asDouble();
      // Ten balanced classes: chance is 10%, and a model that learned nothing scores within a
      // few points of it (the dev and test parts hold 1,000 images each: one standard error of
      // a 10% rate is under 1 point). 24 Adam steps of 50 images take this network past 50%.
      assertTrue(accuracy > 0.3 && accuracy <= 1, field + " = " + accuracy);
    }
    assertTrue(result.get("samplesPerSecond").asDouble() > 0);
    assertEquals(2, result.get("epochs").get(0).get("gradientNorms").size(), "two dense layers");
  }

  @Test
  void compareOnOneNamedBackendDoesNotClaimItIsTheOnlyUsableOne() {
    Outcome outcome =
        run(
            "compare",
            "--backend",
            "cpu",
            "--hidden",
            "8",
            "--epochs",
            "1",
            "--limit",
            "100",
            "--no-progress");
    assertEquals(0, outcome.status(), outcome.err());
    assertTrue(!outcome.out().contains("is usable here"), outcome.out());
    assertTrue(outcome.out().contains("Only 'cpu' ran"), outcome.out());
  }
}
