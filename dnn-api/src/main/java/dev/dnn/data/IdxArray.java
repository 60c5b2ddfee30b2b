package dev.dnn.data;

import java.util.Arrays;

/**
 * The content of an IDX file of unsigned bytes (the MNIST format): its dimensions and its values,
 * row-major.
 *
 * <p>Holds its arrays as read, not copied: safe to share between threads as long as no one writes
 * them.
 *
 * @param source the file or resource it was read from, for messages
 * @param dims the dimensions (images: count, rows, columns; labels: count)
 * @param data the values, unsigned (read with {@code data[i] & 0xFF})
 */
public record IdxArray(String source, int[] dims, byte[] data) {
  /** The value at flat index {@code i}, in [0, 255]. */
  public int value(int i) {
    return data[i] & 0xFF;
  }

  @Override
  public String toString() {
    return "IdxArray[" + source + ", " + Arrays.toString(dims) + "]";
  }
}
