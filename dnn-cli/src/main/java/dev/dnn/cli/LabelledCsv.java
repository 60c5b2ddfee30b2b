package dev.dnn.cli;

import dev.dnn.data.CsvReader;
import dev.dnn.data.DataSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a labelled CSV file for a saved model: class names mapped to the model's outputs through
 * the names its file records (or taken as output numbers when it records none), or float targets
 * for a regression model.
 */
final class LabelledCsv {
  private LabelledCsv() {}

  /** The reader of {@code file}'s label column, given by header name or 0-based index. */
  static CsvReader reader(String label) {
    return label.chars().allMatch(Character::isDigit)
        ? CsvReader.labelColumn(Integer.parseInt(label)).header(true)
        : CsvReader.labelColumn(label);
  }

  /**
   * The examples of {@code file} with labels numbered as the model's outputs.
   *
   * @param classes the model's class names; empty when its file records none
   * @param outputs the model's outputs
   * @throws IllegalArgumentException naming a class the model does not know
   */
  static DataSet classes(Path file, String label, List<String> classes, int outputs)
      throws IOException {
    CsvReader.NamedClasses read = reader(label).readNamedClasses(file);
    List<String> known = classes;
    if (known.isEmpty()) {
      known = new ArrayList<>();
      for (int c = 0; c < outputs; c++) {
        known.add(String.valueOf(c));
      }
    }
    int[] toModel = new int[read.classNames().size()];
    for (int k = 0; k < toModel.length; k++) {
      String name = read.classNames().get(k);
      toModel[k] = known.indexOf(name);
      if (toModel[k] < 0) {
        throw new IllegalArgumentException(
            file
                + " column "
                + label
                + " has class '"
                + name
                + "', which the model does not know; its classes are "
                + known);
      }
    }
    int[] labels = read.data().labels();
    for (int i = 0; i < labels.length; i++) {
      labels[i] = toModel[labels[i]];
    }
    return DataSet.classification(
        read.data().featuresView(), read.data().featureCount(), labels, outputs);
  }
}
