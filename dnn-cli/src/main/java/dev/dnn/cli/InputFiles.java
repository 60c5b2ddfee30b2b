package dev.dnn.cli;

import dev.dnn.data.CsvReader;
import dev.dnn.data.DataSet;
import dev.dnn.data.FeatureTable;
import dev.dnn.data.IdxHeader;
import dev.dnn.data.IdxReader;
import dev.dnn.data.InputTooLargeException;
import dev.dnn.data.MemoryBudget;
import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads unlabelled examples to predict: IDX image files (any {@code .csv}-less name, gzip or not;
 * pixels divided by 255 as in training) or CSV files of feature values, read by the library's
 * {@link CsvReader} (a header when declared by a first line without numbers, one example per
 * record, RFC 4180 quoting, the delimiter detected from the first line). What a file declares is
 * checked against the model and the heap before its values are read.
 */
final class InputFiles {
  private InputFiles() {}

  /** Whether {@code file} is read as CSV (by its name), else as IDX images. */
  static boolean isCsv(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
  }

  /**
   * The examples of {@code file}, each with {@code features} values.
   *
   * @throws MalformedFileException naming the file and the line, column or offset that is wrong
   * @throws InputTooLargeException naming the file and the heap it does not fit in
   */
  static DataSet read(Path file, int features) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    float[] x;
    try {
      x = name.endsWith(".csv") ? csv(file, features) : idx(file, features);
    } catch (OutOfMemoryError e) {
      // The readers check their own allocations; what follows them (copies, the model) may not fit.
      throw new InputTooLargeException(
          file.toString(),
          "whole file",
          "its examples do not fit in the heap (maximum "
              + MemoryBudget.format(Runtime.getRuntime().maxMemory())
              + ", set with -Xmx)");
    }
    int count = x.length / features;
    // Predictions need only features; the single zero label per example is never read.
    return DataSet.classification(x, features, new int[count], 1);
  }

  private static float[] idx(Path file, int features) throws IOException {
    IdxHeader header = IdxReader.readHeader(file);
    int[] dims = header.dims();
    if (dims.length < 2) {
      throw MalformedFileException.atOffset(
          file.toString(), 3, "expected images (rank 2 or 3), found rank " + dims.length);
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
              + Arrays.toString(dims)
              + ") but the model expects "
              + features);
    }
    // Bytes as read, then float32: refused here, before anything is inflated.
    MemoryBudget.require(
        5 * header.valueCount(),
        file.toString(),
        "byte offset 4",
        "the " + dims[0] + " images of dimensions " + Arrays.toString(dims) + " as float32");
    return IdxReader.scaledPixels(IdxReader.read(file));
  }

  private static float[] csv(Path file, int features) throws IOException {
    FeatureTable table = CsvReader.featuresOnly().featureCount(features).readFeatures(file);
    return table.values();
  }
}
