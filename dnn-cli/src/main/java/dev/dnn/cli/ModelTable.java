package dev.dnn.cli;

import dev.dnn.data.DataSet;
import dev.dnn.data.TableReader;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Model;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A CSV file read for a saved model: its columns matched by name to the model's (any order, extra
 * columns left out with one line saying which), the label mapped to the model's classes or read as
 * a target, and, when the file is the one the model was trained on, only the held-out test rows of
 * the recorded split unless every row is asked for.
 */
final class ModelTable {
  private ModelTable() {}

  /**
   * The rows of {@code csv} for {@code loaded}'s model, labelled when {@code label} is given (or
   * when the file is the training file, whose recorded label then gives the split).
   *
   * @param allRows score every row even of the training file
   * @param labelled whether the rows must keep their labels (to evaluate)
   * @param err where the notes go (left-out columns, held-out rows)
   * @throws IllegalArgumentException if labels are needed and no label column is known
   */
  static DataSet read(
      ModelFile.Loaded loaded,
      Path csv,
      String label,
      TableReader reader,
      boolean allRows,
      boolean labelled,
      PrintWriter err)
      throws IOException {
    Model model = loaded.model();
    Optional<TrainingFile> origin =
        TrainingFile.read(loaded.trainingData().orElse(null)).filter(f -> f.isFile(csv));
    String labelColumn = label != null ? label : origin.map(TrainingFile::label).orElse(null);
    if (labelled && labelColumn == null) {
      throw new IllegalArgumentException(
          "--csv needs --label COLUMN (a header name or an index): "
              + csv
              + " is not the file the"
              + " model was trained on, whose label column it records");
    }
    TableReader.Table table;
    if (labelColumn == null) {
      table = reader.readFeatures(csv, model.preprocessing());
    } else if (model.loss() != null && !model.loss().usesClassLabels()) {
      table = reader.readTargets(csv, model.preprocessing(), labelColumn);
    } else {
      table = reader.readClasses(csv, model.preprocessing(), labelColumn, classNames(model));
    }
    if (!table.unused().isEmpty()) {
      err.println("Left out columns the model does not take: " + table.unused());
    }
    DataSet rows = table.data();
    if (origin.isPresent() && !allRows) {
      DataSet test = origin.get().testRows(rows);
      err.println(origin.get().note(test.size(), rows.size()));
      rows = test;
    }
    if (!labelled && rows.hasTargets()) {
      // The label was read for the split only: predictions take the features.
      rows = DataSet.unlabeled(rows.featuresView(), rows.featureCount());
    }
    err.flush();
    return rows;
  }

  /** The model's class names, or its output numbers as names when it records none. */
  static java.util.List<String> classNames(Model model) {
    if (!model.classNames().isEmpty()) {
      return model.classNames();
    }
    java.util.List<String> numbers = new java.util.ArrayList<>();
    for (int c = 0; c < model.outputCount(); c++) {
      numbers.add(String.valueOf(c));
    }
    return numbers;
  }

  /** Whether {@code model} answers numbers (a regression model). */
  static boolean isRegression(Model model) {
    Loss loss = model.loss();
    return loss != null && !loss.usesClassLabels();
  }
}
