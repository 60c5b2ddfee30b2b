package dev.dnn.cli;

import dev.dnn.cli.run.ExperimentData;
import dev.dnn.cli.run.QuantileClasses;
import dev.dnn.data.AmesHousing;
import dev.dnn.data.DataSet;
import dev.dnn.data.InputColumn;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.Standardizer;
import dev.dnn.data.TableReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A price table for the lecture experiment: a numeric target cut into classes at its quantiles on
 * the training part (tertiles: cheap, average, expensive), text columns one-hot encoded and numeric
 * columns standardized with training statistics, both in the preprocessing every model is given, so
 * that the parts hold raw rows and a saved model takes them. The split is seeded and stratified
 * 80/10/10, as in the lectures.
 */
final class PriceTable {
  /** The share of the rows used for training. */
  static final double TRAIN = 0.8;

  /** The share of the rows used as the dev set; the test set gets the rest. */
  static final double DEV = 0.1;

  private PriceTable() {}

  /** The bundled Ames housing table, {@link AmesHousing#TARGET_COLUMN} cut into classes. */
  static ExperimentData ames(int classes, long seed, int maxTrain, int maxDev) throws IOException {
    // The table reader reads files: the gzipped resource goes to a temporary file for the read.
    Path file = Files.createTempFile("dnn-ames-", ".csv");
    try {
      try (Reader in = AmesHousing.openBundled();
          Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        in.transferTo(out);
      }
      return load(
          file,
          "the bundled Ames housing table (" + AmesHousing.SOURCE_NAME + ")",
          AmesHousing.TARGET_COLUMN,
          classes,
          seed,
          maxTrain,
          maxDev);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Reads {@code file}, splits it and cuts the {@code label} column into {@code classes} classes.
   *
   * @param name the table in the source line
   * @param maxTrain keep at most this many training rows (the cuts are fitted on those kept)
   * @param maxDev keep at most this many dev rows
   */
  static ExperimentData load(
      Path file, String name, String label, int classes, long seed, int maxTrain, int maxDev)
      throws IOException {
    TableReader reader = TableReader.csv();
    List<InputColumn> columns = reader.inferColumns(file, label);
    Preprocessing p = Preprocessing.of(columns);
    DataSet all = reader.readTargets(file, p, label).data();
    float[] targets = all.targets();
    // Stratified on the whole table's quantiles: every part gets each price range in its share.
    int[] strata = QuantileClasses.fit(targets, classes).classesOf(targets);
    List<List<Integer>> parts = split(strata, classes, seed);
    int[] trainRows = first(parts.get(0), maxTrain);
    int[] devRows = first(parts.get(1), maxDev);
    int[] testRows = first(parts.get(2), Integer.MAX_VALUE);
    float[] trainTargets = all.select(trainRows).targets();
    QuantileClasses cut = QuantileClasses.fit(trainTargets, classes);
    DataSet train = labelled(all, trainRows, cut);
    DataSet dev = labelled(all, devRows, cut);
    DataSet test = labelled(all, testRows, cut);
    p = p.withScaling(TableOptions.numericOnly(Standardizer.fit(train).params(), columns));
    long text = columns.stream().filter(InputColumn::isCategorical).count();
    String source =
        name
            + ": "
            + all.size()
            + " rows, "
            + columns.size()
            + " feature columns ("
            + text
            + " text, one-hot: "
            + all.featureCount()
            + " inputs; numeric ones standardized on the training part); "
            + (classes == 3 ? "tertiles" : "quantiles")
            + " of the training part: "
            + cut.describe(label)
            + "; stratified split with seed "
            + seed
            + ": "
            + train.size()
            + " train, "
            + dev.size()
            + " dev, "
            + test.size()
            + " test";
    return new ExperimentData(train, dev, test, source, p, cut.names());
  }

  /** Rows of each stratum shuffled (seeded) and dealt 80/10/10 into train, dev and test. */
  static List<List<Integer>> split(int[] strata, int classes, long seed) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < strata.length; i++) {
      byClass.get(strata[i]).add(i);
    }
    Random random = new Random(seed);
    List<List<Integer>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (List<Integer> rows : byClass) {
      Collections.shuffle(rows, random);
      int train = (int) Math.round(rows.size() * TRAIN);
      int dev = (int) Math.round(rows.size() * DEV);
      parts.get(0).addAll(rows.subList(0, train));
      parts.get(1).addAll(rows.subList(train, Math.min(rows.size(), train + dev)));
      parts.get(2).addAll(rows.subList(Math.min(rows.size(), train + dev), rows.size()));
    }
    for (List<Integer> part : parts) {
      Collections.shuffle(part, random); // the classes mixed, so that a limit keeps all of them
    }
    return parts;
  }

  private static int[] first(List<Integer> rows, int max) {
    return rows.stream().limit(max).mapToInt(Integer::intValue).toArray();
  }

  private static DataSet labelled(DataSet all, int[] rows, QuantileClasses cut) {
    DataSet part = all.select(rows);
    return DataSet.classification(
        part.featuresView(),
        part.featureCount(),
        cut.classesOf(part.targets()),
        cut.names().size());
  }
}
