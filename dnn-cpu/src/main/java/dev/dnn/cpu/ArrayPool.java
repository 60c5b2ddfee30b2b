package dev.dnn.cpu;

import dev.dnn.backend.MemoryStats;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A size-keyed pool of float arrays: a closed tensor's array goes back here and is handed to the
 * next tensor of the same size, so a steady-state training loop allocates nothing. Thread-safe.
 */
final class ArrayPool {
  private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
  private long inUseBytes;
  private long cachedBytes;
  private long peakBytes;
  private long allocations;

  /** An array of exactly {@code size} floats with unspecified contents. */
  synchronized float[] acquire(int size) {
    ArrayDeque<float[]> bucket = free.get(size);
    float[] array = bucket == null ? null : bucket.pollFirst();
    if (array == null) {
      array = new float[size];
      allocations++;
    } else {
      cachedBytes -= bytes(size);
    }
    inUseBytes += bytes(size);
    peakBytes = Math.max(peakBytes, inUseBytes);
    return array;
  }

  /** Returns an array acquired from this pool. */
  synchronized void release(float[] array) {
    inUseBytes -= bytes(array.length);
    cachedBytes += bytes(array.length);
    free.computeIfAbsent(array.length, k -> new ArrayDeque<>()).addFirst(array);
  }

  /** Drops every cached array so the garbage collector can reclaim it. */
  synchronized void clear() {
    free.clear();
    cachedBytes = 0;
  }

  synchronized MemoryStats stats() {
    return new MemoryStats(inUseBytes, cachedBytes, peakBytes, allocations);
  }

  private static long bytes(int floats) {
    return 4L * floats;
  }
}
