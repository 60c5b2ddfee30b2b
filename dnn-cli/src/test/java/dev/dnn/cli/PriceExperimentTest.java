package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.cli.run.ExperimentData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceExperimentTest {
  @TempDir Path dir;

  @Test
  void theTableIsSplitStratifiedAndItsTrainingPartCutIntoBalancedTertiles() throws Exception {
    HouseTables tables = HouseTables.write(dir, 300);
    ExperimentData data =
        PriceTable.load(tables.houses(), "houses", "price", 3, 5, Integer.MAX_VALUE, 1000);
    assertEquals(List.of("cheap", "average", "expensive"), data.classNames());
    assertEquals(240, data.train().size()); // 80% of each third of 300 (100 rows each)
    assertEquals(30, data.dev().size());
    assertEquals(30, data.test().size());
    int[] counts = new int[3];
    for (int label : data.train().labels()) {
      counts[label]++;
    }
    for (int c = 0; c < 3; c++) {
      // The prices are distinct, so the tertiles give 80 rows a class, give or take one.
      assertTrue(Math.abs(counts[c] - 80) <= 1, "class " + c + ": " + counts[c]);
    }
    // The rows stay raw (lot in the thousands); the standardization is in the preprocessing.
    assertTrue(data.preprocessing().scaling().isPresent());
    assertTrue(data.preprocessing().hasTextColumns());
    float max = 0;
    for (float v : data.train().featuresView()) {
      max = Math.max(max, v);
    }
    assertTrue(max > 1000, "raw lot sizes expected, largest input " + max);
    assertTrue(data.source().contains("price: cheap < "), data.source());
  }

  @Test
  void theExperimentRunsOnACsvTableAndNamesItsThreeClasses() throws Exception {
    HouseTables tables = HouseTables.write(dir, 300);
    Path out = dir.resolve("out");
    DnnCommandTest.Outcome result =
        DnnCommandTest.run(
            "experiment",
            "--csv",
            tables.houses().toString(),
            "--label",
            "price",
            "--epochs",
            "1",
            "--backend",
            "cpu",
            "--no-progress",
            "--out",
            out.toString());
    assertEquals(0, result.status(), result.err());
    assertTrue(result.out().contains("cheap < "), result.out());
    assertTrue(result.out().contains("<= average < "), result.out());
    assertTrue(result.out().contains("<= expensive"), result.out());
    for (String name : List.of("MLP", "Deep-tanh", "ReLU", "Tuned", "Overfitted")) {
      assertTrue(result.out().contains("| " + name), name + " missing from\n" + result.out());
    }
    String json = Files.readString(out.resolve("results.json"));
    assertTrue(json.contains("cheap < "), "the cuts are in the results file");
    assertTrue(Files.exists(out.resolve("report.html")));
  }

  @Test
  void aCsvWithoutLabelIsRefused() throws Exception {
    HouseTables tables = HouseTables.write(dir, 30);
    DnnCommandTest.Outcome result =
        DnnCommandTest.run("experiment", "--csv", tables.houses().toString(), "--epochs", "1");
    assertEquals(2, result.status(), result.out());
    assertTrue(result.err().contains("--label"), result.err());
  }
}
