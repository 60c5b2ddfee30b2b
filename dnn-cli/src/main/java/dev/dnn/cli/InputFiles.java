package dev.dnn.cli;

import dev.dnn.data.DataSet;
import dev.dnn.data.IdxArray;
import dev.dnn.data.IdxReader;
import dev.dnn.io.MalformedFileException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads unlabelled examples to predict: IDX image files (any {@code .csv}-less name, gzip or not;
 * pixels divided by 255 as in training) or CSV files of feature values (an optional header line,
 * one example per line, comma-separated).
 */
final class InputFiles {
  private InputFiles() {}

  /**
   * The examples of {@code file}, each with {@code features} values.
   *
   * @throws MalformedFileException naming the file and the line, column or offset that is wrong
   */
  static DataSet read(Path file, int features) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    float[] x = name.endsWith(".csv") ? csv(file, features) : idx(file, features);
    int count = x.length / features;
    // Predictions need only features; the single zero label per example is never read.
    return DataSet.classification(x, features, new int[count], 1);
  }

  private static float[] idx(Path file, int features) throws IOException {
    IdxArray images = IdxReader.read(file);
    int[] dims = images.dims();
    if (dims.length < 2) {
      throw MalformedFileException.atOffset(
          file.toString(), 4, "expected images (rank 2 or 3), found rank " + dims.length);
    }
    long perExample = 1;
    for (int i = 1; i < dims.length; i++) {
      perExample *= dims[i];
    }
    if (perExample != features) {
      throw MalformedFileException.atOffset(
          file.toString(),
          4,
          "examples have "
              + perExample
              + " values ("
              + java.util.Arrays.toString(dims)
              + ") but the model expects "
              + features);
    }
    byte[] pixels = images.data();
    float[] x = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      x[i] = (pixels[i] & 0xFF) / 255f;
    }
    return x;
  }

  private static float[] csv(Path file, int features) throws IOException {
    List<float[]> rows = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (number == 1 && !looksNumeric(cells[0])) {
          continue; // header
        }
        if (cells.length != features) {
          throw new MalformedFileException(
              file.toString(),
              "line " + number,
              cells.length + " columns but the model expects " + features + " features");
        }
        float[] row = new float[features];
        for (int c = 0; c < features; c++) {
          try {
            row[c] = Float.parseFloat(cells[c].trim());
          } catch (NumberFormatException e) {
            throw new MalformedFileException(
                file.toString(),
                "line " + number + ", column " + (c + 1),
                "'" + cells[c] + "' is not a number");
          }
          if (!Float.isFinite(row[c])) {
            throw new MalformedFileException(
                file.toString(),
                "line " + number + ", column " + (c + 1),
                "value " + cells[c] + " is not finite");
          }
        }
        rows.add(row);
      }
    }
    if (rows.isEmpty()) {
      throw new MalformedFileException(file.toString(), "content", "no examples");
    }
    float[] x = new float[rows.size() * features];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, x, r * features, features);
    }
    return x;
  }

  private static boolean looksNumeric(String cell) {
    try {
      Float.parseFloat(cell.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
