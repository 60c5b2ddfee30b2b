package dev.dnn.data;

import java.util.Arrays;

/**
 * What the header of an IDX file declares, read without its values.
 *
 * <p>Immutable (the dimensions are copied) and safe to share between threads.
 *
 * @param source the file or resource, for messages
 * @param dims the dimensions (images: count, rows, columns; labels: count)
 */
public record IdxHeader(String source, int[] dims) {
  /** Copies the dimensions. */
  public IdxHeader {
    dims = dims.clone();
  }

  /** The dimensions (a copy). */
  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** The number of values the header declares: the product of the dimensions. */
  public long valueCount() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** The byte offset of the first value. */
  public long dataOffset() {
    return 4 + 4L * dims.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdxHeader h && source.equals(h.source) && Arrays.equals(dims, h.dims);
  }

  @Override
  public int hashCode() {
    return source.hashCode() * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return "IdxHeader[" + source + ", " + Arrays.toString(dims) + "]";
  }
}
