package dev.dnn.cli;

import dev.dnn.data.DataSet;
import dev.dnn.data.DataSplit;
import dev.dnn.data.InputColumn;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.ScalerParams;
import dev.dnn.data.Standardizer;
import dev.dnn.data.TableReader;
import dev.dnn.data.TargetScaling;
import dev.dnn.loss.Loss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options that train on a CSV file of one's own instead of Fashion-MNIST: the file, its label
 * column, the columns to use, the loss (which says whether the label is a class or a number to
 * predict), scaling and the split.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each command has its own
 * instance.
 */
public final class TableOptions {
  /** Numeric columns whose spreads differ by this factor or more want standardizing. */
  static final double SCALE_WARNING_RATIO = 100;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      description =
          "Train on this CSV file (a header line naming the columns; numeric and text columns,"
              + " text one-hot encoded) instead of Fashion-MNIST.")
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
      names = "--features",
      split = ",",
      paramLabel = "COLS",
      description = "With --csv: use only these columns as features (default: all but the label).")
  List<String> features = new ArrayList<>();

  @Option(
      names = "--ignore",
      split = ",",
      paramLabel = "COLS",
      description = "With --csv: leave these columns out (identifiers, free text, leaks).")
  List<String> ignore = new ArrayList<>();

  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description =
          "With --csv: the field separator; default: detected from the header line (comma,"
              + " semicolon or tab). 'tab' names the tab.")
  String delimiter;

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
          "With --csv: scale every numeric column to mean 0 and standard deviation 1, with"
              + " statistics of the training part only (stored in the model, which then takes raw"
              + " rows).")
  boolean standardize;

  @Option(
      names = "--scale-target",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "With --csv and --loss mse: train on the standardized target and answer in its own"
              + " units (stored in the model; default: on).")
  boolean scaleTarget;

  @Option(
      names = "--split",
      split = ",",
      paramLabel = "TRAIN,DEV",
      description =
          "With --csv: the training and dev fractions of a seeded split (stratified for"
              + " classes); the test part gets the rest (default: 0.7,0.15).")
  List<Double> split = List.of(0.7, 0.15);

  /**
   * A CSV file split for training: raw rows, and what the model must carry to take them.
   *
   * @param train raw training rows (features in the model's numeric form, text one-hot)
   * @param dev raw dev rows
   * @param test raw test rows
   * @param preprocessing the columns and, with --standardize, the fitted scaling
   * @param targetScaling for regression with --scale-target, the fitted target scaling, else null
   * @param classNames the class names, empty for regression
   * @param warnings what the user should know before training (scales that differ)
   * @param source a description of the file and split, for the log
   * @param provenance JSON naming the file and split, for the model file
   */
  record Table(
      DataSet train,
      DataSet dev,
      DataSet test,
      Preprocessing preprocessing,
      TargetScaling targetScaling,
      List<String> classNames,
      List<String> warnings,
      String source,
      String provenance) {}

  /** Whether a CSV file was given. */
  boolean given() {
    return csv != null;
  }

  /** The table reader these options describe. */
  TableReader reader() {
    TableReader reader = TableReader.csv().features(features).ignore(ignore);
    return delimiter == null ? reader : reader.delimiter(delimiter(delimiter));
  }

  /** Parses --delimiter: one character, or the word tab. */
  static char delimiter(String text) {
    if (text.equalsIgnoreCase("tab") || text.equals("\\t")) {
      return '\t';
    }
    if (text.length() != 1) {
      throw new IllegalArgumentException(
          "--delimiter takes one character (or 'tab'), got '" + text + "'");
    }
    return text.charAt(0);
  }

  /** Reads, splits (seeded) and fits the scaling of the CSV file. */
  Table load(long seed) throws IOException {
    FileOptions.requireFile("--csv", csv);
    if (label == null) {
      throw new IllegalArgumentException("--csv needs --label COLUMN (a header name or an index)");
    }
    if (split.size() != 2) {
      throw new IllegalArgumentException(
          "--split takes two fractions, TRAIN,DEV (such as 0.7,0.15), got " + split);
    }
    TableReader reader = reader();
    List<InputColumn> columns = reader.inferColumns(csv, label);
    Preprocessing p = Preprocessing.of(columns);
    TableReader.Table read =
        loss.usesClassLabels()
            ? reader.readClasses(csv, columns, label)
            : reader.readTargets(csv, p, label);
    DataSet all = read.data();
    List<String> names = read.classNames();
    if (loss.usesClassLabels() && names.size() < 2) {
      throw new IllegalArgumentException(
          "--label "
              + label
              + " of "
              + csv
              + " holds one class only ("
              + names
              + "): nothing to tell apart; for a number to predict use --loss mse");
    }
    DataSplit parts = DataSplit.of(all, split.get(0), split.get(1), seed, loss.usesClassLabels());
    DataSet train = parts.train();
    List<String> warnings = new ArrayList<>();
    if (standardize) {
      p = p.withScaling(numericOnly(Standardizer.fit(train).params(), columns));
    } else {
      scaleWarning(train, columns).ifPresent(warnings::add);
    }
    TargetScaling targets =
        loss == Loss.MEAN_SQUARED_ERROR && scaleTarget ? TargetScaling.standardize(train) : null;
    long text = columns.stream().filter(InputColumn::isCategorical).count();
    String source =
        csv
            + " ("
            + all.size()
            + " rows, "
            + columns.size()
            + " columns"
            + (text > 0 ? " (" + text + " text, one-hot: " + all.featureCount() + " inputs)" : "")
            + ", "
            + (loss.usesClassLabels() ? names.size() + " classes" : "target '" + label + "'")
            + (standardize ? ", standardized" : "")
            + (targets != null ? ", target standardized" : "")
            + "); split with seed "
            + seed
            + ": "
            + train.size()
            + " train, "
            + parts.dev().size()
            + " dev, "
            + parts.test().size()
            + " test";
    String provenance =
        TrainingFile.describe(csv, seed, split.get(0), split.get(1), loss.usesClassLabels(), label);
    return new Table(
        train, parts.dev(), parts.test(), p, targets, names, warnings, source, provenance);
  }

  /** {@code params} with one-hot inputs left as they are (0 and 1 are already on a unit scale). */
  static ScalerParams numericOnly(ScalerParams params, List<InputColumn> columns) {
    float[] offset = params.offset();
    float[] scale = params.scale();
    int at = 0;
    for (InputColumn c : columns) {
      if (c.isCategorical()) {
        for (int v = 0; v < c.width(); v++) {
          offset[at + v] = 0f;
          scale[at + v] = 1f;
        }
      }
      at += c.width();
    }
    return new ScalerParams(params.kind(), offset, scale);
  }

  /**
   * A warning naming the numeric columns of the largest and smallest spread when they differ by
   * {@value #SCALE_WARNING_RATIO}x or more: unscaled, the wide one dominates the first layer and
   * training reaches a poor accuracy, which looks like a learning-rate problem but is not.
   */
  static java.util.Optional<String> scaleWarning(DataSet train, List<InputColumn> columns) {
    float[] std = Standardizer.fit(train).params().scale(); // 1/std, or 1 for a constant input
    int at = 0;
    String wide = null;
    String narrow = null;
    double widest = 0;
    double narrowest = Double.POSITIVE_INFINITY;
    for (InputColumn c : columns) {
      if (!c.isCategorical() && std[at] != 1f) {
        double spread = 1.0 / std[at];
        if (spread > widest) {
          widest = spread;
          wide = c.name();
        }
        if (spread < narrowest) {
          narrowest = spread;
          narrow = c.name();
        }
      }
      at += c.width();
    }
    if (wide == null || widest / narrowest < SCALE_WARNING_RATIO) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        String.format(
            Locale.ROOT,
            "warning: column '%s' spreads %.3g and column '%s' %.3g, %.0fx apart; unscaled, the"
                + " wide columns swamp the others. Add --standardize (stored in the model, which"
                + " keeps taking raw rows).",
            wide,
            widest,
            narrow,
            narrowest,
            widest / narrowest));
  }

  /** Parses a loss name as the command line spells it ({@link Loss#named}). */
  static final class LossName extends LibraryNames.Converter<Loss> {
    LossName() {
      super(Loss::named);
    }
  }
}
