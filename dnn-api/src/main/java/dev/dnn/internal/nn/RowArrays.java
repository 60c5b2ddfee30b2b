package dev.dnn.internal.nn;

import java.util.Objects;

/**
 * The check that rows given as {@code float[][]} make a table. Stateless and safe for concurrent
 * use.
 */
public final class RowArrays {
  private RowArrays() {}

  /**
   * The width of {@code rows}, every row's.
   *
   * @throws IllegalArgumentException if there are no rows, the first is empty, or a row differs
   *     from the first in width (naming the first that does)
   */
  public static int width(float[][] rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows.length == 0 || rows[0] == null || rows[0].length == 0) {
      throw new IllegalArgumentException("an input needs at least one row of at least one value");
    }
    int width = rows[0].length;
    for (int r = 1; r < rows.length; r++) {
      if (rows[r] == null || rows[r].length != width) {
        throw new IllegalArgumentException(
            "row "
                + r
                + " has "
                + (rows[r] == null ? "no values" : rows[r].length + " values")
                + " but row 0 has "
                + width);
      }
    }
    return width;
  }
}
