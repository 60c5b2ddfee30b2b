package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Bad input fails with a message naming the column and, where it can, the row. */
class BadInputTest {
  private static DnnClassifier classifier() {
    return new DnnClassifier().setHidden(4).setEpochs(1).setBatchSize(8).setNumWorkers(2);
  }

  private static Dataset<Row> frame(List<Row> rows) {
    return TestSpark.session().createDataFrame(rows, TestSpark.vectorSchema());
  }

  /** 20 good rows in one partition with {@code bad} as row 7. */
  private static Dataset<Row> withRow(Row bad) {
    List<Row> rows = new ArrayList<>(TestSpark.blobs(20, 2, 3, 1));
    rows.set(7, bad);
    return frame(rows).coalesce(1);
  }

  private static void assertFails(Dataset<Row> df, String... fragments) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> classifier().fit(df));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' missing in: " + e.getMessage());
    }
  }

  @Test
  void nullFeaturesNameTheColumnAndRow() {
    assertFails(withRow(RowFactory.create(null, 0.0)), "'features'", "null", "row 7");
  }

  @Test
  void aNaNFeatureNamesTheColumnPositionAndRow() {
    assertFails(
        withRow(RowFactory.create(Vectors.dense(1, Double.NaN, 2), 1.0)),
        "'features'",
        "NaN",
        "position 1",
        "row 7");
  }

  @Test
  void aVectorOfTheWrongSizeIsNamed() {
    assertFails(
        withRow(RowFactory.create(Vectors.dense(1, 2), 1.0)), "'features'", "2 values", "row 7");
  }

  @Test
  void labelsMustBeClassIndices() {
    assertFails(withRow(RowFactory.create(Vectors.dense(1, 2, 3), 1.5)), "'label'", "1.5", "row 7");
    assertFails(withRow(RowFactory.create(Vectors.dense(1, 2, 3), -1.0)), "'label'", "row 7");
    assertFails(withRow(RowFactory.create(Vectors.dense(1, 2, 3), null)), "'label'", "null");
  }

  @Test
  void anEmptyDataSetOrTooFewRowsAreRefused() {
    assertFails(frame(List.of()), "empty");
    assertFails(frame(TestSpark.blobs(1, 2, 3, 1)), "1 training rows", "2 workers");
  }

  @Test
  void fewerRowsThanWorkersIsRefusedBeforeTraining() {
    DnnClassifier dnn = classifier().setNumWorkers(5);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> dnn.fit(frame(TestSpark.blobs(3, 2, 3, 1))));
    assertTrue(e.getMessage().contains("5 workers"), e.getMessage());
  }

  @Test
  void aFeaturesColumnOfAnotherTypeIsNamed() {
    StructType schema =
        new StructType(
            new StructField[] {
              new StructField("features", DataTypes.StringType, true, Metadata.empty()),
              new StructField("label", DataTypes.DoubleType, true, Metadata.empty())
            });
    Dataset<Row> df =
        TestSpark.session().createDataFrame(List.of(RowFactory.create("a", 0.0)), schema);
    assertFails(df, "'features'", "string");
  }

  @Test
  void aBadSpecOrNameIsRefusedBeforeAnyJob() {
    Dataset<Row> df = frame(TestSpark.blobs(20, 2, 3, 1));
    IllegalArgumentException spec =
        assertThrows(
            IllegalArgumentException.class, () -> classifier().setSpec("{not json").fit(df));
    assertTrue(spec.getMessage().contains("spec"), spec.getMessage());
    IllegalArgumentException width =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                classifier()
                    .setSpec(Architectures.of("", new int[] {4}, "relu", 0, 5, 2, "f").toJson())
                    .fit(df));
    assertTrue(width.getMessage().contains("5 inputs"), width.getMessage());
    assertThrows(IllegalArgumentException.class, () -> classifier().setActivation("nope").fit(df));
    assertThrows(IllegalArgumentException.class, () -> classifier().setOptimizer("nope").fit(df));
  }

  @Test
  void thresholdsOfTheWrongLengthAreRefused() {
    // Set on the estimator, they reach the model without Spark's own check of the model's setter.
    DnnClassificationModel model =
        classifier()
            .setThresholds(new double[] {0.5, 0.3, 0.2})
            .fit(frame(TestSpark.blobs(20, 2, 3, 1)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.transform(frame(TestSpark.blobs(4, 2, 3, 2))));
    assertTrue(e.getMessage().contains("thresholds has 3 values"), e.getMessage());
  }

  @Test
  void scoringRowsWithBadFeaturesNamesThem() {
    DnnClassificationModel model = classifier().fit(frame(TestSpark.blobs(20, 2, 3, 1)));
    Dataset<Row> bad = withRow(RowFactory.create(Vectors.dense(1, 2), 0.0));
    Exception e = assertThrows(Exception.class, () -> model.transform(bad).collectAsList());
    assertTrue(e.getMessage().contains("'features' holds 2 values"), e.getMessage());
  }
}
