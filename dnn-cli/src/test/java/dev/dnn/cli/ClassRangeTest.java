package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassRangeTest {
  @TempDir Path dir;

  private Path tenClassModel() {
    Path model = dir.resolve("ten.safetensors");
    DnnCommandTest.Outcome train =
        DnnCommandTest.run(
            "train",
            "--backend",
            "cpu",
            "--hidden",
            "8",
            "--epochs",
            "1",
            "--limit",
            "100",
            "--no-progress",
            "--save",
            model.toString());
    assertEquals(0, train.status(), train.err());
    return model;
  }

  private DnnCommandTest.Outcome evaluateTenClassModel(String classes) {
    return DnnCommandTest.run(
        "evaluate",
        "--backend",
        "cpu",
        "--model",
        tenClassModel().toString(),
        "--classes",
        classes);
  }

  @Test
  void evaluatingATenClassModelOnFiveRelabelledClassesIsRefused() {
    // Classes 5-9 become labels 0-4, which a ten-output model reads as T-shirt to coat.
    DnnCommandTest.Outcome outcome = evaluateTenClassModel("5-9");
    assertEquals(2, outcome.status(), outcome.out());
    assertTrue(outcome.err().contains("--classes 5-9"), outcome.err());
    assertTrue(outcome.err().contains("10 outputs"), outcome.err());
    assertFalse(outcome.out().contains("Test accuracy"), outcome.out());
  }

  @Test
  void aSingleClassIsRefused() {
    // One class relabelled 0 trains a one-output softmax that is always right: 100%.
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(
            "fine-tune", "--model", "m.safetensors", "--save", "t.safetensors", "--classes", "9-9");
    assertEquals(2, outcome.status(), outcome.out());
    assertTrue(outcome.err().contains("--classes"), outcome.err());
    assertTrue(outcome.err().contains("two classes"), outcome.err());
  }

  @Test
  void aRangeBeyondTheDataNamesTheOption() {
    DnnCommandTest.Outcome outcome = evaluateTenClassModel("5-12");
    assertEquals(2, outcome.status(), outcome.out());
    assertTrue(outcome.err().contains("--classes 5-12"), outcome.err());
  }
}
