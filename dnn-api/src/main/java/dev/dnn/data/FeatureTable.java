package dev.dnn.data;

import java.util.List;

/**
 * Rows of feature values without labels, as read by {@link CsvReader#readFeatures}: the examples to
 * predict.
 *
 * <p>Holds its value array as given, not copied: safe to share between threads as long as no one
 * writes it.
 *
 * @param source the file they were read from, for messages
 * @param columnNames the header's names of the feature columns, empty without a header
 * @param values {@code size() * featureCount} values, row-major
 * @param featureCount values per row
 */
public record FeatureTable(
    String source, List<String> columnNames, float[] values, int featureCount) {
  /** Checks the sizes and copies the names. */
  public FeatureTable {
    columnNames = List.copyOf(columnNames);
    if (featureCount < 1 || values.length % featureCount != 0) {
      throw new IllegalArgumentException(
          values.length + " values are not rows of " + featureCount + " features");
    }
  }

  /** The number of rows. */
  public int size() {
    return values.length / featureCount;
  }

  /** Row {@code i} (a copy). */
  public float[] row(int i) {
    float[] row = new float[featureCount];
    System.arraycopy(values, i * featureCount, row, 0, featureCount);
    return row;
  }

  /** Every row, as arrays of their own. */
  public float[][] rows() {
    float[][] rows = new float[size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = row(i);
    }
    return rows;
  }

  @Override
  public String toString() {
    return "FeatureTable[" + source + ", " + size() + " rows x " + featureCount + " features]";
  }
}
