package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input and output files given on the command line: checked before any work, named when wrong. */
class FileOptionsTest {
  @TempDir Path dir;

  private static final String[] TINY_TRAIN = {
    "train", "--backend", "cpu", "--hidden", "8", "--epochs", "1", "--limit", "100", "--no-progress"
  };

  private static String[] tinyTrain(String... more) {
    String[] args = new String[TINY_TRAIN.length + more.length];
    System.arraycopy(TINY_TRAIN, 0, args, 0, TINY_TRAIN.length);
    System.arraycopy(more, 0, args, TINY_TRAIN.length, more.length);
    return args;
  }

  @Test
  void anOutputUnderAFileFailsBeforeTraining() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(tinyTrain("--json", file.resolve("run.json").toString()));
    assertEquals(2, outcome.status());
    assertTrue(outcome.err().contains("--json"), outcome.err());
    assertTrue(outcome.err().contains("not a directory"), outcome.err());
    assertFalse(outcome.out().contains("epoch"), "nothing was trained: " + outcome.out());
  }

  @Test
  void anOutputThatIsADirectoryFailsBeforeTraining() {
    DnnCommandTest.Outcome outcome = DnnCommandTest.run(tinyTrain("--save", dir.toString()));
    assertEquals(2, outcome.status());
    assertTrue(outcome.err().contains("--save"), outcome.err());
    assertTrue(outcome.err().contains("is a directory"), outcome.err());
    assertFalse(outcome.out().contains("epoch"), outcome.out());
  }

  @Test
  void experimentOutThatIsAFileFailsBeforeTraining() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(
            "experiment",
            "--backend",
            "cpu",
            "--only",
            "MLP",
            "--limit",
            "100",
            "--out",
            file.toString());
    assertEquals(2, outcome.status());
    assertTrue(outcome.err().contains("--out"), outcome.err());
    assertFalse(outcome.out().contains("epoch"), outcome.out());
  }

  @Test
  void savingCreatesMissingDirectoriesAsJsonDoes() {
    Path model = dir.resolve("a/b/model.safetensors");
    Path json = dir.resolve("c/d/run.json");
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(tinyTrain("--save", model.toString(), "--json", json.toString()));
    assertEquals(0, outcome.status(), outcome.err());
    assertTrue(Files.isRegularFile(model));
    assertTrue(Files.isRegularFile(json));
  }

  @Test
  void aMissingModelIsNamedWithTheOption() {
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run("evaluate", "--model", dir.resolve("none.safetensors").toString());
    assertEquals(2, outcome.status());
    assertTrue(outcome.err().contains("--model"), outcome.err());
    assertTrue(outcome.err().contains("none.safetensors"), outcome.err());
    assertTrue(outcome.err().contains("does not exist"), outcome.err());
  }

  @Test
  void aDirectoryGivenAsModelIsNamed() {
    DnnCommandTest.Outcome outcome = DnnCommandTest.run("evaluate", "--model", dir.toString());
    assertEquals(2, outcome.status());
    assertTrue(outcome.err().contains("--model " + dir + " is a directory"), outcome.err());
  }

  @Test
  void aMissingPredictInputIsNamedWithTheOption() throws Exception {
    Path model = dir.resolve("m.safetensors");
    assertEquals(0, DnnCommandTest.run(tinyTrain("--save", model.toString())).status());
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(
            "predict",
            "--backend",
            "cpu",
            "--model",
            model.toString(),
            "--input",
            dir.resolve("none.csv").toString());
    assertEquals(2, outcome.status());
    assertTrue(outcome.err().contains("--input"), outcome.err());
    assertTrue(outcome.err().contains("does not exist"), outcome.err());
  }

  @Test
  void aFileSystemErrorWithoutAReasonGetsOne() {
    assertEquals(
        "/x/y: no such file or directory",
        ErrorHandler.describe(new java.nio.file.NoSuchFileException("/x/y")));
  }
}
