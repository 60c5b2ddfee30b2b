package dev.dnn.tensor;

import java.util.Arrays;

/**
 * The dimensions of a {@link Tensor}, row-major. Rank 1 is a vector, rank 2 a matrix {@code [rows,
 * cols]} ({@code [batch, features]} for activations). Immutable and safe to share between threads.
 */
public final class Shape {
  private final int[] dims;

  private Shape(int[] dims) {
    if (dims.length == 0) {
      throw new IllegalArgumentException("a shape needs at least one dimension");
    }
    long size = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
      }
      size *= d;
      if (size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
      }
    }
    this.dims = dims;
  }

  /** A shape with the given dimensions. */
  public static Shape of(int... dims) {
    return new Shape(dims.clone());
  }

  /** A matrix shape {@code [rows, cols]}. */
  public static Shape matrix(int rows, int cols) {
    return new Shape(new int[] {rows, cols});
  }

  /** A vector shape {@code [length]}. */
  public static Shape vector(int length) {
    return new Shape(new int[] {length});
  }

  /** The number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** The size of dimension {@code i}. */
  public int dim(int i) {
    return dims[i];
  }

  /** A copy of all dimensions. */
  public int[] dims() {
    return dims.clone();
  }

  /** The number of elements. */
  public int size() {
    int size = 1;
    for (int d : dims) {
      size *= d;
    }
    return size;
  }

  /** Rows of the matrix view: every dimension but the last multiplied out; 1 for a vector. */
  public int rows() {
    int rows = 1;
    for (int i = 0; i < dims.length - 1; i++) {
      rows *= dims[i];
    }
    return rows;
  }

  /** Columns of the matrix view: the last dimension. */
  public int cols() {
    return dims[dims.length - 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape other && Arrays.equals(dims, other.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
