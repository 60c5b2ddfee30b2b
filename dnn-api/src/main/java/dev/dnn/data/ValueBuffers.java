package dev.dnn.data;

import java.util.Arrays;

/** Growable primitive arrays for the readers, that check each growth against the heap first. */
final class ValueBuffers {
  private ValueBuffers() {}

  /** The capacity after {@code capacity}: half as much again, within the largest array. */
  static int grown(int capacity, String source, String where) throws InputTooLargeException {
    if (capacity >= Integer.MAX_VALUE - 8) {
      throw new InputTooLargeException(source, where, "more than 2^31 values");
    }
    return (int) Math.min(Integer.MAX_VALUE - 8, capacity + (capacity >> 1) + 16L);
  }

  /** A growable float array (avoids boxing a million values), within the heap. */
  static final class FloatBuilder {
    private float[] values = new float[1024];
    private int size;

    /** Adds the value if it fits without growing; false (nothing added) if it does not. */
    boolean tryAdd(float v) {
      if (size == values.length) {
        return false;
      }
      values[size++] = v;
      return true;
    }

    void add(float v, String source, String where) throws InputTooLargeException {
      if (size == values.length) {
        int capacity = grown(size, source, where);
        MemoryBudget.require(
            4L * capacity, source, where, "the " + size + " values read so far, as float32,");
        values = Arrays.copyOf(values, capacity);
      }
      values[size++] = v;
    }

    float[] toArray(String source, int line) throws InputTooLargeException {
      if (size == values.length) {
        return values;
      }
      MemoryBudget.require(
          4L * size, source, "line " + line, "a copy of the " + size + " values read, as float32,");
      return Arrays.copyOf(values, size);
    }
  }

  static final class IntBuilder {
    private int[] values = new int[256];
    private int size;

    void add(int v, String source, String where) throws InputTooLargeException {
      if (size == values.length) {
        int capacity = grown(size, source, where);
        MemoryBudget.require(
            4L * capacity, source, where, "the " + size + " labels read so far, as int32,");
        values = Arrays.copyOf(values, capacity);
      }
      values[size++] = v;
    }

    int[] toArray(String source, int line) throws InputTooLargeException {
      if (size == values.length) {
        return values;
      }
      MemoryBudget.require(
          4L * size, source, "line " + line, "a copy of the " + size + " labels read, as int32,");
      return Arrays.copyOf(values, size);
    }
  }
}
