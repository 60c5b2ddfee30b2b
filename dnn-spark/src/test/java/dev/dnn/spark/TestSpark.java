package dev.dnn.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The test JVM's Spark session (one at a time) and small data sets. */
final class TestSpark {
  private static SparkSession session;
  private static String sessionMaster;

  private TestSpark() {}

  /** A session on {@code master}, reusing the current one if it runs there. */
  static synchronized SparkSession session(String master) {
    if (session != null && master.equals(sessionMaster) && !session.sparkContext().isStopped()) {
      return session;
    }
    stop();
    session =
        SparkSession.builder()
            .master(master)
            .appName("dnn-spark-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    session.sparkContext().setLogLevel("WARN");
    sessionMaster = master;
    return session;
  }

  /** The default session, {@code local[2]}. */
  static SparkSession session() {
    return session("local[2]");
  }

  static synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
      sessionMaster = null;
    }
  }

  /** Schema of (features vector, label double). */
  static StructType vectorSchema() {
    return new StructType(
        new StructField[] {
          new StructField("features", SQLDataTypes.VectorType(), true, Metadata.empty()),
          new StructField("label", DataTypes.DoubleType, true, Metadata.empty())
        });
  }

  /**
   * {@code rows} points of {@code classes} Gaussian blobs (standard deviation 1) in {@code width}
   * dimensions whose centres lie 8 apart along the axes: the classes overlap with probability below
   * 1e-4 (4 standard deviations to the midpoint), so a fitted classifier is nearly perfect.
   */
  static List<Row> blobs(int rows, int classes, int width, long seed) {
    Random random = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = i % classes;
      double[] x = new double[width];
      for (int j = 0; j < width; j++) {
        x[j] = random.nextGaussian() + (j % classes == label ? 8 : 0);
      }
      out.add(RowFactory.create(Vectors.dense(x), (double) label));
    }
    return out;
  }

  static Dataset<Row> blobFrame(int rows, int classes, int width, long seed) {
    return session().createDataFrame(blobs(rows, classes, width, seed), vectorSchema());
  }
}
