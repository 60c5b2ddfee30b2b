package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.data.InputColumn;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.Standardizer;
import dev.dnn.data.TableReader;
import dev.dnn.data.TargetScaling;
import dev.dnn.io.MalformedFileException;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.optim.Adam;
import dev.dnn.random.Philox;
import dev.dnn.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A trained model is a complete predictor: saved and loaded it takes the raw rows it was trained on
 * (columns by name, text one-hot, standardization and target scaling inside), and answers in the
 * target's units.
 */
class ModelCompletenessTest {
  @TempDir Path dir;

  /** Houses: area (m², ~10^2), rooms (~1), a zone (text), a price (~10^5), in columns. */
  private static String houses(int n, long seed, boolean reordered) {
    float[] u = new float[4 * n];
    Philox.fillUniform(seed, 1, 0, u, 0, u.length);
    String[] zones = {"north", "south", "centre"};
    StringBuilder csv =
        new StringBuilder(reordered ? "zone;note;price;rooms;area\n" : "area,rooms,zone,price\n");
    for (int i = 0; i < n; i++) {
      double area = 40 + 160 * u[4 * i];
      int rooms = 1 + (int) (5 * u[4 * i + 1]);
      String zone = zones[(int) (3 * u[4 * i + 2]) % 3];
      double price =
          1500 * area + 9000 * rooms + (zone.equals("centre") ? 80000 : 0) + 20000 * u[4 * i + 3];
      if (reordered) {
        csv.append(
            String.format(Locale.ROOT, "%s;x%d;%.0f;%d;%.2f%n", zone, i, price, rooms, area));
      } else {
        csv.append(String.format(Locale.ROOT, "%.2f,%d,%s,%.0f%n", area, rooms, zone, price));
      }
    }
    return csv.toString();
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aLoadedModelTakesRawRowsInAnyColumnOrderAndAnswersInTheTargetsUnits(Backend backend)
      throws IOException {
    Path file = write("houses.csv", houses(400, 7, false));
    TableReader reader = TableReader.csv();
    List<InputColumn> columns = reader.inferColumns(file, "price");
    assertEquals(
        List.of(
            InputColumn.numeric("area"),
            InputColumn.numeric("rooms"),
            InputColumn.categorical("zone", List.of("centre", "north", "south"))),
        columns);
    Preprocessing p = Preprocessing.of(columns);
    DataSet raw = reader.readTargets(file, p, "price").data();
    assertEquals(5, raw.featureCount()); // 2 numeric + 3 one-hot
    Path saved = dir.resolve("houses.safetensors");
    float[][] answers;
    try (Model model =
        Model.sequential(Dense.of(5, 16), Activation.RELU, Dense.of(16, 1)).on(backend, 3)) {
      model.setPreprocessing(p.withScaling(Standardizer.fit(raw).params()));
      model.setTargetScaling(TargetScaling.standardize(raw));
      Trainer.builder()
          .loss(Loss.MEAN_SQUARED_ERROR)
          .optimizer(Adam.learningRate(1e-2))
          .batchSize(32)
          .epochs(30)
          .seed(2)
          .build()
          .fit(model, raw);
      answers = model.predict(raw);
      // In the target's units: prices of 10^5, explained well by the three columns.
      double r2 = model.evaluate(raw).regression().orElseThrow().r2();
      assertTrue(r2 > 0.9, "R2 " + r2);
      assertTrue(answers[0][0] > 5e4, "answer " + answers[0][0] + " is not a price");
      ModelFile.save(model, saved);
    }
    Path reordered = write("reordered.csv", houses(400, 7, true));
    try (ModelFile.Loaded loaded = ModelFile.load(saved, backend)) {
      Model model = loaded.model();
      assertEquals(columns, model.preprocessing().columns());
      // Same backend, same weights: the loaded model gives the same bits on the raw rows...
      float[][] again = model.predict(raw);
      for (int r = 0; r < answers.length; r++) {
        assertArrayEquals(answers[r], again[r], 0f, "row " + r);
      }
      // ...and on the same rows with the columns reordered, a semicolon, an extra column.
      TableReader.Table table = TableReader.csv().readFeatures(reordered, model.preprocessing());
      assertEquals(List.of("note", "price"), table.unused());
      float[][] byName = model.predict(table.data());
      for (int r = 0; r < answers.length; r++) {
        assertArrayEquals(answers[r], byName[r], 0f, "reordered row " + r);
      }
    }
  }

  @Test
  void aMissingColumnAndAnUnknownCategoryAreNamed() throws IOException {
    Path file = write("houses.csv", houses(50, 1, false));
    Preprocessing p = Preprocessing.of(TableReader.csv().inferColumns(file, "price"));
    Path lacking = write("lacking.csv", "area,zone\n50,north\n");
    MalformedFileException missing =
        assertThrows(
            MalformedFileException.class, () -> TableReader.csv().readFeatures(lacking, p));
    assertTrue(missing.getMessage().contains("[rooms]"), missing.getMessage());
    Path unknown = write("unknown.csv", "area,rooms,zone\n50,2,north\n60,3,harbour\n");
    MalformedFileException category =
        assertThrows(
            MalformedFileException.class, () -> TableReader.csv().readFeatures(unknown, p));
    assertTrue(
        category.getMessage().contains("line 3")
            && category.getMessage().contains("zone")
            && category.getMessage().contains("'harbour'"),
        category.getMessage());
  }

  @Test
  void aNumericLabelOfManyValuesIsNotTakenForClasses() throws IOException {
    Path file = write("houses.csv", houses(300, 2, false));
    TableReader reader = TableReader.csv();
    List<InputColumn> columns = reader.inferColumns(file, "price");
    MalformedFileException e =
        assertThrows(
            MalformedFileException.class, () -> reader.readClasses(file, columns, "price"));
    assertTrue(e.getMessage().contains("--loss mse"), e.getMessage());
    // Few integer labels are classes.
    StringBuilder ok = new StringBuilder("a,label\n");
    for (int i = 0; i < 30; i++) {
      ok.append(i).append(',').append(i % 3).append('\n');
    }
    Path classes = write("classes.csv", ok.toString());
    TableReader.Table t =
        reader.readClasses(classes, reader.inferColumns(classes, "label"), "label");
    assertEquals(List.of("0", "1", "2"), t.classNames());
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void classNamesTravelWithTheModel(Backend backend) throws IOException {
    List<String> names = List.of("cheap", "average", "expensive");
    Path saved = dir.resolve("classes.safetensors");
    float[][] rows = {{0.5f, -1f}, {2f, 0.25f}};
    List<String> predicted;
    try (Model model = Model.sequential(Dense.of(2, 3)).on(backend, 4)) {
      model.setClassNames(names);
      predicted = model.predictClassNames(rows);
      int[] classes = model.predictClasses(rows);
      List<String> expected = new ArrayList<>();
      for (int c : classes) {
        expected.add(names.get(c));
      }
      assertEquals(expected, predicted);
      ModelFile.save(model, saved);
    }
    try (ModelFile.Loaded loaded = ModelFile.load(saved, backend)) {
      assertEquals(names, loaded.model().classNames());
      assertEquals(predicted, loaded.model().predictClassNames(rows));
    }
  }
}
