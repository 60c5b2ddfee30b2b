package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UsageErrorTest {
  @Test
  void aBadOptionValueIsOneLineThatPointsToTheHelp() {
    DnnCommandTest.Outcome outcome = DnnCommandTest.run("train", "--hidden", "0");
    assertEquals(2, outcome.status());
    assertEquals(1, outcome.err().lines().count(), outcome.err());
    assertTrue(outcome.err().contains("--hidden"), outcome.err());
    assertTrue(outcome.err().contains("dnn train --help"), outcome.err());
  }

  @Test
  void anUnknownOptionIsOneLine() {
    DnnCommandTest.Outcome outcome = DnnCommandTest.run("transfer", "--hep");
    assertEquals(2, outcome.status());
    assertEquals(1, outcome.err().lines().count(), outcome.err());
    assertTrue(outcome.err().contains("'--hep'"), outcome.err());
  }

  @Test
  void aBadClassRangeNamesTheOptionWithoutAnExceptionClass() {
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run("evaluate", "--model", "m.safetensors", "--classes", "9-5");
    assertEquals(2, outcome.status());
    assertTrue(outcome.err().contains("--classes"), outcome.err());
    assertTrue(outcome.err().contains("9-5"), outcome.err());
    assertFalse(outcome.err().contains("Exception"), outcome.err());
  }

  @Test
  void aLearningRateThatMakesTrainingDivergeIsAUserErrorWithoutATrace() {
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(
            "train",
            "--backend",
            "cpu",
            "--hidden",
            "8",
            "--epochs",
            "3",
            "--limit",
            "100",
            "--optimizer",
            "sgd",
            "--lr",
            "1e30",
            "--no-progress");
    assertEquals(2, outcome.status(), outcome.err());
    assertEquals(1, outcome.err().lines().count(), outcome.err());
    assertTrue(outcome.err().contains("training diverged"), outcome.err());
    assertTrue(outcome.err().contains("counted from 0"), outcome.err());
  }
}
