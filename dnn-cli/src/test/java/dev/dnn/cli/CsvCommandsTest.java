package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.data.DataSet;
import dev.dnn.data.TableReader;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.metrics.RegressionMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on a CSV file of one's own: train, save, evaluate and predict. */
class CsvCommandsTest {
  // Three price classes that two features separate by the sum x + y, with a third feature of
  // noise; labels are names, not numbers.
  private static final int ROWS = 300;

  @TempDir Path dir;
  Path csv;

  @BeforeEach
  void writeTable() throws IOException {
    StringBuilder s = new StringBuilder("size,rooms,noise,price\n");
    long state = 12345;
    for (int i = 0; i < ROWS; i++) {
      state = state * 6364136223846793005L + 1442695040888963407L;
      double x = ((state >>> 11) % 1000) / 10.0;
      state = state * 6364136223846793005L + 1442695040888963407L;
      double y = ((state >>> 11) % 1000) / 100.0;
      double sum = x / 10 + y;
      String price = sum < 6 ? "cheap" : sum < 13 ? "fair" : "dear";
      s.append(x).append(',').append(y).append(',').append(i % 7).append(',').append(price);
      s.append('\n');
    }
    csv = Files.writeString(dir.resolve("prices.csv"), s);
  }

  private static String[] train(String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "train",
                "--backend",
                "cpu",
                "--hidden",
                "16",
                "--epochs",
                "40",
                "--batch",
                "32",
                "--lr",
                "0.01",
                "--no-progress"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void trainsOnANamedLabelColumnAndTheSavedModelKeepsTheNames() throws Exception {
    Path model = dir.resolve("prices.safetensors");
    Path json = dir.resolve("run.json");
    DnnCommandTest.Outcome trained =
        DnnCommandTest.run(
            train(
                "--csv",
                csv.toString(),
                "--label",
                "price",
                "--standardize",
                "--save",
                model.toString(),
                "--json",
                json.toString()));
    assertEquals(0, trained.status(), trained.err());
    assertTrue(trained.out().contains("300 rows, 3 columns, 3 classes"), trained.out());
    assertEquals("3-16-3", new ObjectMapper().readTree(json.toFile()).get("architecture").asText());
    // Three classes: chance is a third; the classes follow a linear rule a 16-unit network learns.
    double test = new ObjectMapper().readTree(json.toFile()).get("testAccuracy").asDouble();
    assertTrue(test > 0.7, "test accuracy " + test);

    try (Backend cpu = Backends.select("cpu");
        ModelFile.Loaded loaded = ModelFile.load(model, cpu)) {
      assertEquals(List.of("cheap", "dear", "fair"), loaded.classes());
      assertTrue(loaded.preprocessing().isPresent(), "the standardization is stored");
    }

    DnnCommandTest.Outcome evaluated =
        DnnCommandTest.run(
            "evaluate",
            "--backend",
            "cpu",
            "--model",
            model.toString(),
            "--csv",
            csv.toString(),
            "--label",
            "price");
    assertEquals(0, evaluated.status(), evaluated.err());
    assertTrue(evaluated.out().contains("0 cheap"), evaluated.out());
    assertTrue(evaluated.out().contains("macro average"), evaluated.out());

    DnnCommandTest.Outcome predicted =
        DnnCommandTest.run(
            "predict",
            "--backend",
            "cpu",
            "--model",
            model.toString(),
            "--input",
            csv.toString(),
            "--label",
            "price",
            "--names");
    assertEquals(0, predicted.status(), predicted.err());
    // The model's own training file: its held-out test rows only, and a line saying so.
    assertTrue(predicted.err().contains("held-out test rows"), predicted.err());
    List<String> heldOut = predicted.out().lines().toList();
    assertTrue(heldOut.size() > 0 && heldOut.size() < ROWS / 4, heldOut.toString());
    assertTrue(evaluated.err().contains("held-out test rows"), evaluated.err());
    assertTrue(
        evaluated.out().contains("Data: " + csv + ", " + heldOut.size() + " rows"),
        evaluated.out());
    DnnCommandTest.Outcome all =
        DnnCommandTest.run(
            "predict",
            "--backend",
            "cpu",
            "--model",
            model.toString(),
            "--input",
            csv.toString(),
            "--label",
            "price",
            "--names",
            "--all-rows");
    assertEquals(0, all.status(), all.err());
    List<String> lines = all.out().lines().toList();
    assertEquals(ROWS, lines.size(), "one prediction per row, none dropped");
    assertTrue(Set.of("cheap", "fair", "dear").containsAll(lines), lines.toString());
  }

  @Test
  void aTableAsASpreadsheetWritesItTrainsTheSame() throws Exception {
    // Semicolons, CRLF, every field quoted, a comma and a doubled quote inside the names.
    StringBuilder quoted =
        new StringBuilder("\"size, m2\";\"rooms\";\"noise\";\"price \"\"class\"\"\"\r\n");
    for (String line : Files.readAllLines(csv).subList(1, ROWS + 1)) {
      String[] cells = line.split(",");
      quoted.append('"').append(cells[0]).append("\";\"").append(cells[1]).append("\";");
      quoted.append(cells[2]).append(";\"").append(cells[3]).append(", as listed\"\r\n");
    }
    Path spreadsheet = Files.writeString(dir.resolve("spreadsheet.csv"), quoted);
    Path model = dir.resolve("spreadsheet.safetensors");
    DnnCommandTest.Outcome trained =
        DnnCommandTest.run(
            train(
                "--csv",
                spreadsheet.toString(),
                "--label",
                "price \"class\"",
                "--standardize",
                "--save",
                model.toString()));
    assertEquals(0, trained.status(), trained.err());
    assertTrue(trained.out().contains("300 rows, 3 columns, 3 classes"), trained.out());
    try (Backend cpu = Backends.select("cpu");
        ModelFile.Loaded loaded = ModelFile.load(model, cpu)) {
      assertEquals(
          List.of("cheap, as listed", "dear, as listed", "fair, as listed"), loaded.classes());
    }
  }

  @Test
  void regressionJsonHoldsTheFiguresOfTheSavedModelInTheTargetsUnits() throws Exception {
    Path model = dir.resolve("rooms.safetensors");
    Path json = dir.resolve("rooms.json");
    DnnCommandTest.Outcome trained =
        DnnCommandTest.run(
            train(
                "--csv",
                csv.toString(),
                "--label",
                "rooms",
                "--loss",
                "mse",
                "--standardize",
                "--save",
                model.toString(),
                "--json",
                json.toString()));
    assertEquals(0, trained.status(), trained.err());
    JsonNode regression = new ObjectMapper().readTree(json.toFile()).get("regression");
    assertNotNull(regression, "no regression figures in " + Files.readString(json));

    // The saved model, scored on the held-out test rows of its recorded split as evaluate --csv
    // scores them, gives the same figures: in the target's units, not the scaled ones it trained
    // on.
    RegressionMetrics expected;
    try (Backend cpu = Backends.select("cpu");
        ModelFile.Loaded loaded = ModelFile.load(model, cpu)) {
      DataSet test =
          ModelTable.read(
              loaded,
              csv,
              null,
              TableReader.csv(),
              false,
              true,
              new PrintWriter(new StringWriter()));
      expected = loaded.model().evaluate(test).regression().orElseThrow();
    }
    JsonNode test = regression.get("test");
    assertEquals(expected.rmse(), test.get("rmse").asDouble());
    assertEquals(expected.mae(), test.get("mae").asDouble());
    assertEquals(expected.r2(), test.get("r2").asDouble());
    assertEquals(expected.count(), test.get("count").asLong());
    assertTrue(
        trained
            .out()
            .contains(
                String.format(
                    Locale.ROOT,
                    "Test RMSE %.6g, MAE %.6g, R2 %.4f",
                    expected.rmse(),
                    expected.mae(),
                    expected.r2())),
        trained.out());

    // The three parts hold every row once, each with figures of its own.
    long counted = 0;
    for (String part : List.of("train", "dev", "test")) {
      JsonNode figures = regression.get(part);
      assertNotNull(figures, part);
      assertTrue(Double.isFinite(figures.get("rmse").asDouble()), part + ": " + figures);
      assertTrue(Double.isFinite(figures.get("mae").asDouble()), part + ": " + figures);
      assertTrue(Double.isFinite(figures.get("r2").asDouble()), part + ": " + figures);
      counted += figures.get("count").asLong();
    }
    assertEquals(ROWS, counted);
  }

  @Test
  void classificationJsonHasNoRegressionFigures() throws Exception {
    Path json = dir.resolve("classes.json");
    DnnCommandTest.Outcome trained =
        DnnCommandTest.run(
            train("--csv", csv.toString(), "--label", "price", "--json", json.toString()));
    assertEquals(0, trained.status(), trained.err());
    assertFalse(new ObjectMapper().readTree(json.toFile()).has("regression"));
  }

  @Test
  void regressionWithMseSavesTheLossAndPredictsNumbers() throws Exception {
    Path model = dir.resolve("size.safetensors");
    DnnCommandTest.Outcome trained =
        DnnCommandTest.run(
            train(
                "--csv",
                csv.toString(),
                "--label",
                "1",
                "--loss",
                "mse",
                "--standardize",
                "--csv-features-exclude-none",
                "--save",
                model.toString()));
    // An unknown option is a usage error naming it; the rest of the test uses valid options.
    assertEquals(2, trained.status());
    assertTrue(trained.err().contains("--csv-features-exclude-none"), trained.err());

    Path numeric = dir.resolve("numeric.csv");
    Files.writeString(numeric, "a,b,target\n1,2,3\n2,1,3\n0,1,1\n3,3,6\n1,1,2\n2,2,4\n");
    trained =
        DnnCommandTest.run(
            train(
                "--csv",
                numeric.toString(),
                "--label",
                "target",
                "--loss",
                "mse",
                "--split",
                "0.5,0.25",
                "--save",
                model.toString()));
    assertEquals(0, trained.status(), trained.err());
    assertTrue(trained.out().contains("Loss (mean_squared_error): train"), trained.out());
    try (Backend cpu = Backends.select("cpu");
        ModelFile.Loaded loaded = ModelFile.load(model, cpu)) {
      assertEquals(Loss.MEAN_SQUARED_ERROR, loaded.model().loss());
    }
    DnnCommandTest.Outcome predicted =
        DnnCommandTest.run(
            "predict",
            "--backend",
            "cpu",
            "--model",
            model.toString(),
            "--input",
            numeric.toString(),
            "--label",
            "target",
            "--all-rows");
    assertEquals(0, predicted.status(), predicted.err());
    List<String> lines = predicted.out().lines().toList();
    assertEquals(6, lines.size());
    for (String line : lines) {
      Float.parseFloat(line); // a number, not a class
    }
  }

  @Test
  void anArchitectureFileIsTrainedAsWritten() throws Exception {
    Path spec = dir.resolve("spec.json");
    try (Backend cpu = Backends.select("cpu")) {
      dev.dnn.nn.ModelSpec architecture =
          dev.dnn.nn.Model.sequential(
              3,
              dev.dnn.nn.Dense.of(3, 12),
              dev.dnn.nn.BatchNorm.of(),
              dev.dnn.nn.Activation.prelu(0.25),
              dev.dnn.nn.Residual.of(dev.dnn.nn.Dense.of(12, 12), dev.dnn.nn.Activation.TANH),
              dev.dnn.nn.Dense.of(12, 3));
      try (dev.dnn.nn.Model model = architecture.on(cpu, 1)) {
        Path file = dir.resolve("template.safetensors");
        ModelFile.save(model, null, file);
        Files.writeString(
            spec, dev.dnn.io.SafeTensors.read(file).metadata().get(ModelFile.KEY_SPEC));
      }
    }
    DnnCommandTest.Outcome trained =
        DnnCommandTest.run(
            train("--csv", csv.toString(), "--label", "price", "--spec", spec.toString()));
    assertEquals(0, trained.status(), trained.err());
    assertTrue(trained.out().contains("Network: 3-12-3 from " + spec), trained.out());

    Path wrong = dir.resolve("wrong.json");
    Files.writeString(wrong, Files.readString(spec).replace("\"inputs\":3", "\"inputs\":4"));
    DnnCommandTest.Outcome refused =
        DnnCommandTest.run(
            train("--csv", csv.toString(), "--label", "price", "--spec", wrong.toString()));
    assertEquals(ErrorHandler.USER_ERROR, refused.status());
  }

  @Test
  void badCombinationsAreNamed() {
    DnnCommandTest.Outcome noLabel = DnnCommandTest.run(train("--csv", csv.toString()));
    assertEquals(ErrorHandler.USER_ERROR, noLabel.status());
    assertTrue(noLabel.err().contains("--label"), noLabel.err());

    DnnCommandTest.Outcome both =
        DnnCommandTest.run(
            train("--csv", csv.toString(), "--label", "price", "--data", dir.toString()));
    assertEquals(ErrorHandler.USER_ERROR, both.status());
    assertTrue(both.err().contains("--csv and --data"), both.err());

    DnnCommandTest.Outcome unknown =
        DnnCommandTest.run(train("--csv", csv.toString(), "--label", "colour"));
    assertEquals(ErrorHandler.USER_ERROR, unknown.status());
    assertTrue(unknown.err().contains("no column named 'colour'"), unknown.err());
  }
}
