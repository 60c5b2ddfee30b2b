package dev.dnn.spark;

import org.apache.spark.sql.types.StructType;

/** The (features, label) schema, for the benchmark harness in another package. */
public final class BenchSchema {
  /** Features vector and double label. */
  public static final StructType SCHEMA = TestSpark.vectorSchema();

  private BenchSchema() {}
}
