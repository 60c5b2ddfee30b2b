package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's table, end to end through the command line: columns of very different scales, a text
 * column, a price to predict and a price class. Each test is one finding of the model completeness
 * issue: what a saved model is given back, and what the commands say.
 */
class NewcomerScenarioTest {
  private static final int ROWS = 400;

  @TempDir static Path dir;
  static Path houses;
  static Path reordered;

  @BeforeAll
  static void writeTables() throws IOException {
    HouseTables tables = HouseTables.write(dir, ROWS);
    houses = tables.houses();
    reordered = tables.reordered();
  }

  private static DnnCommandTest.Outcome train(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--backend",
                "cpu",
                "--csv",
                houses.toString(),
                "--batch",
                "32",
                "--lr",
                "0.01",
                "--no-progress"));
    args.addAll(List.of(extra));
    return DnnCommandTest.run(args.toArray(String[]::new));
  }

  private static DnnCommandTest.Outcome predict(Path model, Path input, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "predict",
                "--backend",
                "cpu",
                "--model",
                model.toString(),
                "--input",
                input.toString()));
    args.addAll(List.of(extra));
    return DnnCommandTest.run(args.toArray(String[]::new));
  }

  @Test
  void columnsAreMatchedByNameInAnyOrderWithTextOneHotAndASemicolon() throws IOException {
    Path model = dir.resolve("classes.safetensors");
    DnnCommandTest.Outcome trained =
        train(
            "--label",
            "price_class",
            "--ignore",
            "price",
            "--standardize",
            "--epochs",
            "60",
            "--save",
            "" + model);
    assertEquals(0, trained.status(), trained.err());
    // 3 numeric columns + 3 zones one-hot; default widths sized to the table, not 500,250,75,25.
    assertTrue(trained.out().contains("Network: 6-16-8-3"), trained.out());
    assertTrue(trained.out().contains("1 text, one-hot: 6 inputs"), trained.out());
    DnnCommandTest.Outcome original = predict(model, houses, "--names", "--all-rows");
    DnnCommandTest.Outcome shuffled = predict(model, reordered, "--names");
    assertEquals(0, original.status(), original.err());
    assertEquals(0, shuffled.status(), shuffled.err());
    assertEquals(original.out(), shuffled.out(), "same rows, columns in another order");
    assertTrue(shuffled.err().contains("[price_class, id, price]"), shuffled.err());
    List<String> names = original.out().lines().distinct().sorted().toList();
    assertTrue(List.of("average", "cheap", "expensive").containsAll(names), names.toString());
    // Probabilities: a header of class names, then one row of probabilities summing to 1.
    DnnCommandTest.Outcome probabilities = predict(model, reordered, "--probabilities");
    List<String> lines = probabilities.out().lines().toList();
    assertEquals("average,cheap,expensive", lines.get(0));
    double sum = 0;
    for (String p : lines.get(1).split(",")) {
      sum += Double.parseDouble(p);
    }
    assertEquals(1.0, sum, 3 * Math.ulp(1f), lines.get(1));
    // A missing column is named; nothing beside the saved model is left (no lock files).
    Path lacking = Files.writeString(dir.resolve("lacking.csv"), "area,zone\n50,north\n");
    DnnCommandTest.Outcome refused = predict(model, lacking);
    assertEquals(ErrorHandler.USER_ERROR, refused.status());
    assertTrue(refused.err().contains("[rooms, lot]"), refused.err());
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.toString().endsWith(".lock")));
    }
  }

  @Test
  void aRegressionAnswersInTheTargetsUnitsWithRmseMaeAndR2() throws IOException {
    Path model = dir.resolve("price.safetensors");
    DnnCommandTest.Outcome trained =
        train(
            "--label",
            "price",
            "--ignore",
            "price_class",
            "--loss",
            "mse",
            "--standardize",
            "--epochs",
            "60",
            "--save",
            model.toString());
    assertEquals(0, trained.status(), trained.err());
    assertTrue(trained.out().contains("Test RMSE"), trained.out());
    double r2 =
        Double.parseDouble(trained.out().replaceAll("(?s).*Test RMSE.*? R2 ([-0-9.]+).*", "$1"));
    assertTrue(r2 > 0.9, "the price is linear in the columns; R2 " + r2 + "\n" + trained.out());
    DnnCommandTest.Outcome predicted = predict(model, reordered);
    assertEquals(0, predicted.status(), predicted.err());
    for (String line : predicted.out().lines().toList()) {
      double price = Double.parseDouble(line);
      assertTrue(price > 5e4 && price < 1e6, "a price in the target's units: " + line);
    }
    DnnCommandTest.Outcome evaluated =
        DnnCommandTest.run(
            "evaluate", "--backend", "cpu", "--model", "" + model, "--csv", "" + houses);
    assertEquals(0, evaluated.status(), evaluated.err());
    assertTrue(evaluated.out().contains("RMSE"), evaluated.out());
    assertTrue(evaluated.err().contains("held-out test rows"), evaluated.err());
    assertFalse(evaluated.out().contains("kind="), "no record dumps: " + evaluated.out());
  }

  @Test
  void aNumericLabelWithAClassificationLossIsRefusedWithTheWayOut() {
    DnnCommandTest.Outcome refused = train("--label", "price", "--ignore", "price_class");
    assertEquals(ErrorHandler.USER_ERROR, refused.status(), refused.out());
    assertTrue(refused.err().contains("--loss mse"), refused.err());
  }

  @Test
  void columnsOfVeryDifferentScalesAreNamedWhenNotStandardized() {
    DnnCommandTest.Outcome trained =
        train("--label", "price_class", "--ignore", "price", "--epochs", "1");
    assertEquals(0, trained.status(), trained.err());
    assertTrue(
        trained.err().contains("column 'lot'") && trained.err().contains("column 'rooms'"),
        trained.err());
    assertTrue(trained.err().contains("--standardize"), trained.err());
  }
}
