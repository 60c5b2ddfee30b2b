package dev.dnn.spark;

import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a features column (an ML {@link Vector}, {@code array<float>} or {@code array<double>})
 * into dnn's floats, checking every value; errors name the column and the row. Stateless.
 */
final class FeatureColumns {
  private FeatureColumns() {}

  /** Whether {@code type} is a features type dnn reads. */
  static boolean accepts(DataType type) {
    if (type.equals(SQLDataTypes.VectorType())) {
      return true;
    }
    return type instanceof ArrayType a
        && (a.elementType().equals(DataTypes.FloatType)
            || a.elementType().equals(DataTypes.DoubleType));
  }

  /**
   * {@code schema} with the features column typed as an ML vector, so that Spark's own schema
   * checks, which know only vectors, accept the arrays dnn reads as well.
   *
   * @throws IllegalArgumentException naming the column and its type if dnn cannot read it
   */
  static StructType asVectorSchema(StructType schema, String column) {
    if (!List.of(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(
          "no features column '" + column + "'; the columns are " + List.of(schema.fieldNames()));
    }
    StructField[] fields = schema.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(column)) {
        DataType type = fields[i].dataType();
        if (!accepts(type)) {
          throw new IllegalArgumentException(
              "features column '"
                  + column
                  + "' has type "
                  + type.simpleString()
                  + "; dnn reads a vector, array<float> or array<double>");
        }
        fields[i] =
            new StructField(
                column, SQLDataTypes.VectorType(), fields[i].nullable(), fields[i].metadata());
      }
    }
    return new StructType(fields);
  }

  /**
   * A stage's schema check for dnn's features types: {@code check} (Spark's own, which knows only
   * vectors) sees {@code schema} with the features {@code column} typed as an ML vector, and its
   * result gets the original features field back.
   *
   * @throws IllegalArgumentException naming the column and its type if dnn cannot read it
   */
  static StructType check(StructType schema, String column, UnaryOperator<StructType> check) {
    return restore(check.apply(asVectorSchema(schema, column)), schema, column);
  }

  /** {@code transformed} with the features field of {@code original} put back in place. */
  static StructType restore(StructType transformed, StructType original, String column) {
    StructField[] fields = transformed.fields().clone();
    StructField before = original.apply(column);
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(column)) {
        fields[i] = before;
      }
    }
    return new StructType(fields);
  }

  /**
   * The features of {@code row}'s field {@code index} as floats, {@code width} of them if {@code
   * width > 0}.
   *
   * @param where names the row in an error, such as "row 7 of input partition 2"
   * @throws IllegalArgumentException if the value is null, has the wrong size or a value that is
   *     not finite (NaN, infinite, or beyond float's range)
   */
  static float[] read(Row row, int index, int width, String column, String where) {
    if (row.isNullAt(index)) {
      throw new IllegalArgumentException("features column '" + column + "' is null at " + where);
    }
    Object value = row.get(index);
    float[] out;
    if (value instanceof Vector v) {
      out = new float[v.size()];
      checkWidth(out.length, width, column, where);
      for (int i = 0; i < out.length; i++) {
        out[i] = checked(v.apply(i), i, column, where);
      }
    } else {
      List<Object> list = row.getList(index);
      out = new float[list.size()];
      checkWidth(out.length, width, column, where);
      for (int i = 0; i < out.length; i++) {
        Object element = list.get(i);
        if (element == null) {
          throw new IllegalArgumentException(
              "features column '" + column + "' has a null at position " + i + " of " + where);
        }
        out[i] = checked(((Number) element).doubleValue(), i, column, where);
      }
    }
    return out;
  }

  /** The floats of one vector, checked as {@link #read} checks a row. */
  static float[] toFloats(Vector v, int width, String column) {
    checkWidth(v.size(), width, column, "the given row");
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = checked(v.apply(i), i, column, "the given row");
    }
    return out;
  }

  private static void checkWidth(int size, int width, String column, String where) {
    if (size == 0) {
      throw new IllegalArgumentException(
          "features column '" + column + "' holds no values at " + where);
    }
    if (width > 0 && size != width) {
      throw new IllegalArgumentException(
          "features column '"
              + column
              + "' holds "
              + size
              + " values at "
              + where
              + " but "
              + width
              + " are expected");
    }
  }

  private static float checked(double value, int position, String column, String where) {
    float f = (float) value;
    if (!Float.isFinite(f)) {
      throw new IllegalArgumentException(
          "features column '"
              + column
              + "' has "
              + value
              + " at position "
              + position
              + " of "
              + where
              + (Double.isFinite(value) ? ", beyond float's range" : ""));
    }
    return f;
  }

  /** "row {@code index} of input partition {@code partition}". */
  static String where(long index, int partition) {
    return "row " + index + " of input partition " + partition;
  }
}
