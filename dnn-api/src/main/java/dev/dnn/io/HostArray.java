package dev.dnn.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 array on the Java heap with its shape, row-major: the form in which tensors are stored
 * in and read from files. The arrays are shared, not copied: an instance is safe to share between
 * threads as long as no one writes them.
 *
 * @param shape the dimensions, each non-negative; empty for a scalar
 * @param data the values, as many as the product of the dimensions
 */
public record HostArray(int[] shape, float[] data) {
  /**
   * @throws IllegalArgumentException if a dimension is negative or the data length does not match
   *     the shape
   */
  public HostArray {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    long size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      size *= d;
      if (size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
      }
    }
    if (size != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + data.length);
    }
  }

  /** A vector. */
  public static HostArray vector(float... data) {
    return new HostArray(new int[] {data.length}, data);
  }

  /** The number of elements. */
  public int size() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostArray h && Arrays.equals(shape, h.shape) && Arrays.equals(data, h.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "HostArray" + Arrays.toString(shape);
  }
}
