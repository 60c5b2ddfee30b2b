package dev.dnn.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import scala.Option;
import scala.Tuple2;

/**
 * The training rows of a fit, checked and dealt into {@code numWorkers} cached shards of dnn float
 * blocks (converted once), with what the driver needs to know of them. Bad input fails here, naming
 * the column and the row. Call {@link #release()} when training is done.
 */
final class TrainingData {
  /** The columns a fit reads; {@code validation} is empty when no rows are held out. */
  record Columns(String features, String label, String validation) implements Serializable {}

  final JavaRDD<Shard> shards;
  final int featureCount;
  final int classCount;

  /** The class names from the label column's metadata, in index order; empty if it has none. */
  final List<String> classNames;

  final int[] shardRows;
  final long rows;
  final long validationRows;

  private TrainingData(
      JavaRDD<Shard> shards,
      int featureCount,
      int classCount,
      List<String> classNames,
      int[] shardRows,
      long rows,
      long validationRows) {
    this.shards = shards;
    this.featureCount = featureCount;
    this.classCount = classCount;
    this.classNames = classNames;
    this.shardRows = shardRows;
    this.rows = rows;
    this.validationRows = validationRows;
  }

  /**
   * Checks and shards {@code dataset}.
   *
   * @param classification labels must be class indices 0..k-1 (else finite targets)
   * @throws IllegalArgumentException for an empty data set, fewer training rows than workers, or a
   *     bad value (naming the column and the row)
   */
  static TrainingData build(
      Dataset<?> dataset, Columns columns, boolean classification, int numWorkers) {
    Dataset<Row> df = select(dataset, columns);
    List<Row> first = df.limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new IllegalArgumentException("the data set is empty: there are no rows to train on");
    }
    int width = FeatureColumns.read(first.get(0), 0, 0, columns.features(), "the first row").length;
    JavaRDD<Tuple2<Long, Example>> keyed =
        df.javaRDD()
            .mapPartitionsWithIndex(
                (partition, rows) -> examples(rows, partition, width, columns, classification),
                true);
    JavaRDD<Shard> shards =
        JavaPairRDD.fromJavaRDD(keyed)
            .partitionBy(new ShardPartitioner(numWorkers))
            .values()
            .mapPartitionsWithIndex(
                (partition, examples) -> List.of(Shard.of(partition, width, examples)).iterator(),
                true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    List<float[]> summary;
    try {
      summary =
          Failures.unwrapInput(
              () ->
                  shards.map(s -> new float[] {s.rows, s.validationRows, s.maxLabel()}).collect());
    } catch (RuntimeException e) {
      shards.unpersist(false);
      throw e;
    }
    int[] shardRows = new int[numWorkers];
    long rows = 0;
    long validationRows = 0;
    float maxLabel = -1;
    for (int i = 0; i < numWorkers; i++) {
      float[] s = summary.get(i);
      shardRows[i] = (int) s[0];
      rows += shardRows[i];
      validationRows += (long) s[1];
      maxLabel = Math.max(maxLabel, s[2]);
    }
    try {
      check(rows, validationRows, shardRows, columns);
      int classes = classification ? classCount(dataset, columns.label(), maxLabel) : 0;
      List<String> names =
          classification ? classNames(dataset, columns.label(), classes) : List.of();
      return new TrainingData(shards, width, classes, names, shardRows, rows, validationRows);
    } catch (RuntimeException e) {
      shards.unpersist(false);
      throw e;
    }
  }

  private static Dataset<Row> select(Dataset<?> dataset, Columns columns) {
    List<String> names = List.of(dataset.schema().fieldNames());
    if (!names.contains(columns.label())) {
      throw new IllegalArgumentException(
          "no label column '" + columns.label() + "'; the columns are " + names);
    }
    if (columns.validation().isEmpty()) {
      return dataset.select(
          col(columns.features()), col(columns.label()).cast(DataTypes.DoubleType), lit(false));
    }
    if (!names.contains(columns.validation())) {
      throw new IllegalArgumentException(
          "no validation indicator column '"
              + columns.validation()
              + "'; the columns are "
              + names);
    }
    StructField field = dataset.schema().apply(columns.validation());
    if (!field.dataType().equals(DataTypes.BooleanType)) {
      throw new IllegalArgumentException(
          "validation indicator column '"
              + columns.validation()
              + "' has type "
              + field.dataType().simpleString()
              + "; it must be boolean");
    }
    return dataset.select(
        col(columns.features()),
        col(columns.label()).cast(DataTypes.DoubleType),
        col(columns.validation()));
  }

  private static Iterator<Tuple2<Long, Example>> examples(
      Iterator<Row> rows, int partition, int width, Columns columns, boolean classification) {
    List<Tuple2<Long, Example>> out = new ArrayList<>();
    long index = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      String where = FeatureColumns.where(index, partition);
      float[] features = FeatureColumns.read(row, 0, width, columns.features(), where);
      float label = label(row, columns.label(), classification, where);
      if (row.isNullAt(2)) {
        throw new IllegalArgumentException(
            "validation indicator column '" + columns.validation() + "' is null at " + where);
      }
      long key = Example.key(partition, index);
      out.add(new Tuple2<>(key, new Example(key, features, label, row.getBoolean(2))));
      index++;
    }
    return out.iterator();
  }

  private static float label(Row row, String column, boolean classification, String where) {
    if (row.isNullAt(1)) {
      throw new IllegalArgumentException(
          "label column '" + column + "' is null (or not a number) at " + where);
    }
    double value = row.getDouble(1);
    if (classification) {
      if (!(value >= 0) || value != Math.rint(value) || value >= 1 << 24) {
        throw new IllegalArgumentException(
            "label column '"
                + column
                + "' has "
                + value
                + " at "
                + where
                + "; a classifier needs class indices 0, 1, ..., k-1 (index string labels with"
                + " StringIndexer)");
      }
    } else if (!Double.isFinite(value) || !Float.isFinite((float) value)) {
      throw new IllegalArgumentException(
          "label column '"
              + column
              + "' has "
              + value
              + " at "
              + where
              + "; targets must be finite");
    }
    return (float) value;
  }

  private static void check(long rows, long validationRows, int[] shardRows, Columns columns) {
    if (rows == 0) {
      throw new IllegalArgumentException(
          "no training rows: all "
              + validationRows
              + " rows are marked for validation in '"
              + columns.validation()
              + "'");
    }
    if (rows < shardRows.length) {
      throw new IllegalArgumentException(
          rows
              + " training rows cannot feed "
              + shardRows.length
              + " workers; lower numWorkers to at most "
              + rows);
    }
    for (int i = 0; i < shardRows.length; i++) {
      if (shardRows[i] == 0) {
        throw new IllegalArgumentException(
            "worker "
                + i
                + " of "
                + shardRows.length
                + " received no training rows (the others hold validation rows or all rows);"
                + " lower numWorkers");
      }
    }
  }

  /**
   * Classes from the label column's metadata if it has them (a nominal attribute's count, or 2 for
   * a binary one), else the largest label + 1.
   */
  private static int classCount(Dataset<?> dataset, String label, float maxLabel) {
    int classes = (int) maxLabel + 1;
    Attribute attribute = Attribute.fromStructField(dataset.schema().apply(label));
    int declared = 0;
    if (attribute instanceof NominalAttribute nominal && nominal.getNumValues().isDefined()) {
      declared = (Integer) nominal.getNumValues().get();
    } else if (attribute instanceof BinaryAttribute) {
      declared = 2;
    }
    if (declared > 0) {
      if (classes > declared) {
        throw new IllegalArgumentException(
            "label column '"
                + label
                + "' holds label "
                + (classes - 1)
                + " but its metadata declares "
                + declared
                + " classes");
      }
      classes = declared;
    }
    if (classes < 2) {
      throw new IllegalArgumentException(
          "label column '" + label + "' holds a single class (0); a classifier needs two or more");
    }
    return classes;
  }

  /**
   * The names of the {@code classes} classes from the label column's metadata ({@code
   * StringIndexer} writes its labels there, index order), or empty if it names none, not all of
   * them, or not distinctly.
   */
  private static List<String> classNames(Dataset<?> dataset, String label, int classes) {
    Attribute attribute = Attribute.fromStructField(dataset.schema().apply(label));
    Option<String[]> values = Option.empty();
    if (attribute instanceof NominalAttribute nominal) {
      values = nominal.values();
    } else if (attribute instanceof BinaryAttribute binary) {
      values = binary.values();
    }
    if (values.isEmpty() || values.get().length != classes) {
      return List.of();
    }
    String[] names = values.get();
    if (Arrays.stream(names).anyMatch(Objects::isNull)
        || Arrays.stream(names).distinct().count() != names.length) {
      return List.of();
    }
    return List.of(names);
  }

  /** Drops the cached shards. */
  void release() {
    shards.unpersist(false);
  }
}
