package dev.dnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
  // Three classes, eight examples. True 0: predicted 0, 0, 1. True 1: 1, 1, 2. True 2: 2, 0.
  private static final int[] ACTUAL = {0, 0, 0, 1, 1, 1, 2, 2};
  private static final int[] PREDICTED = {0, 0, 1, 1, 1, 2, 2, 0};

  @Test
  void countsAndScoresFollowTheDefinitions() {
    ConfusionMatrix m = ConfusionMatrix.of(ACTUAL, PREDICTED, 3);
    assertEquals(2, m.count(0, 0));
    assertEquals(1, m.count(0, 1));
    assertEquals(1, m.count(2, 0));
    assertEquals(5 / 8.0, m.accuracy(), 1e-15);
    // Class 0: predicted 3 times, 2 right; 3 examples, 2 found.
    assertEquals(2 / 3.0, m.precision(0), 1e-15);
    assertEquals(2 / 3.0, m.recall(0), 1e-15);
    // Class 1: predicted 3 times (0, 1, 1), 2 right; 3 examples, 2 found.
    assertEquals(2 / 3.0, m.precision(1), 1e-15);
    // Class 2: predicted twice, 1 right; 2 examples, 1 found.
    assertEquals(0.5, m.precision(2), 1e-15);
    assertEquals(0.5, m.recall(2), 1e-15);
    assertEquals(0.5, m.f1(2), 1e-15);
    assertEquals((2 / 3.0 + 2 / 3.0 + 0.5) / 3, m.macroPrecision(), 1e-15);
    assertEquals((2 / 3.0 + 2 / 3.0 + 0.5) / 3, m.macroF1(), 1e-15);
    assertEquals(3, m.support(1));
  }

  @Test
  void aClassNeverPredictedHasPrecisionZero() {
    ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 0}, 2);
    assertEquals(0, m.precision(1));
    assertEquals(0, m.recall(1));
    assertEquals(0, m.f1(1));
    assertEquals(0.5, m.precision(0), 1e-15);
  }

  @Test
  void theTableNamesClassesAndShowsTheMatrix() {
    String table = ConfusionMatrix.of(ACTUAL, PREDICTED, 3).table(List.of("cheap", "fair", "dear"));
    assertTrue(table.contains("0 cheap"), table);
    assertTrue(table.contains("50.00%"), table);
    assertTrue(table.contains("macro average"), table);
    assertTrue(table.contains("accuracy 62.50% of 8"), table);
    String lastRow = table.lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(lastRow.matches("2 dear\\s+1\\s+0\\s+1"), lastRow);
  }

  @Test
  void badInputIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 0}, 3));
    assertTrue(e.getMessage().contains("true class of example 1 is 3"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {0}, new int[0], 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> ConfusionMatrix.of(ACTUAL, PREDICTED, 3).table(List.of("a")));
  }
}
