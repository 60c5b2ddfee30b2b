package dev.dnn.cli;

import dev.dnn.data.CsvReader;
import dev.dnn.data.DataSet;
import dev.dnn.data.DataSplit;
import dev.dnn.data.ScalerParams;
import dev.dnn.data.Standardizer;
import dev.dnn.loss.Loss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that train on a CSV file of one's own instead of Fashion-MNIST: the file, its label
 * column, the loss (which says whether the label is a class or a number to predict), scaling and
 * the split.
 */
public final class TableOptions {
  @Option(
      names = "--csv",
      paramLabel = "FILE",
      description =
          "Train on this CSV file (one example per line, a header line naming the columns)"
              + " instead of Fashion-MNIST.")
  Path csv;

  @Option(
      names = "--label",
      paramLabel = "COLUMN",
      description =
          "With --csv: the label column, by header name or 0-based index. Its values are class"
              + " names (any text or integers) or, with --loss mse or sigmoid-bce, the number to"
              + " predict.")
  String label;

  @Option(
      names = "--loss",
      paramLabel = "LOSS",
      converter = LossName.class,
      completionCandidates = LibraryNames.LossNames.class,
      description =
          "With --csv: softmax-ce (classification, the default), mse (regression) or sigmoid-bce"
              + " (a 0/1 target).",
      defaultValue = "softmax-ce")
  Loss loss;

  @Option(
      names = "--standardize",
      description =
          "With --csv: scale every feature to mean 0 and standard deviation 1, with statistics"
              + " of the training part only (stored with the model).")
  boolean standardize;

  @Option(
      names = "--split",
      split = ",",
      paramLabel = "TRAIN,DEV",
      description =
          "With --csv: the training and dev fractions of a seeded split (stratified for"
              + " classes); the test part gets the rest (default: 0.7,0.15).")
  List<Double> split = List.of(0.7, 0.15);

  /** A CSV file split and scaled for training, with what must be saved with the model. */
  record Table(
      DataSet train,
      DataSet dev,
      DataSet test,
      List<String> classNames,
      ScalerParams scaling,
      String source) {}

  /** Whether a CSV file was given. */
  boolean given() {
    return csv != null;
  }

  /** Reads, splits (seeded) and optionally standardizes the CSV file. */
  Table load(long seed) throws IOException {
    FileOptions.requireFile("--csv", csv);
    if (label == null) {
      throw new IllegalArgumentException("--csv needs --label COLUMN (a header name or an index)");
    }
    if (split.size() != 2) {
      throw new IllegalArgumentException(
          "--split takes two fractions, TRAIN,DEV (such as 0.7,0.15), got " + split);
    }
    CsvReader reader =
        label.chars().allMatch(Character::isDigit)
            ? CsvReader.labelColumn(Integer.parseInt(label)).header(true)
            : CsvReader.labelColumn(label);
    DataSet all;
    List<String> names;
    if (loss.usesClassLabels()) {
      CsvReader.NamedClasses read = reader.readNamedClasses(csv);
      if (read.classNames().size() < 2) {
        throw new IllegalArgumentException(
            "--label "
                + label
                + " of "
                + csv
                + " holds one class only ("
                + read.classNames()
                + "): nothing to tell apart; for a number to predict use --loss mse");
      }
      all = read.data();
      names = read.classNames();
    } else {
      all = reader.readTargets(csv);
      names = List.of();
    }
    DataSplit parts = DataSplit.of(all, split.get(0), split.get(1), seed, loss.usesClassLabels());
    DataSet train = parts.train();
    DataSet dev = parts.dev();
    DataSet test = parts.test();
    ScalerParams scaling = null;
    if (standardize) {
      Standardizer scaler = Standardizer.fit(train);
      scaling = scaler.params();
      train = scaler.apply(train);
      dev = scaler.apply(dev);
      test = scaler.apply(test);
    }
    String source =
        csv
            + " ("
            + all.size()
            + " rows, "
            + all.featureCount()
            + " features, "
            + (loss.usesClassLabels() ? names.size() + " classes" : "target '" + label + "'")
            + (standardize ? ", standardized" : "")
            + "); split with seed "
            + seed
            + ": "
            + train.size()
            + " train, "
            + dev.size()
            + " dev, "
            + test.size()
            + " test";
    return new Table(train, dev, test, names, scaling, source);
  }

  /** Parses a loss name as the command line spells it ({@link Loss#named}). */
  static final class LossName extends LibraryNames.Converter<Loss> {
    LossName() {
      super(Loss::named);
    }
  }
}
