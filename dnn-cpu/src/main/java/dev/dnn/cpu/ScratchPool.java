package dev.dnn.cpu;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Scratch buffers lent to one GEMM call at a time: the packed panel of B that all threads of a
 * product share, and the transposed result of a swapped product. Concurrent calls (several threads
 * predicting with one model) each borrow their own, so no call waits for another's buffers. Safe
 * for concurrent use.
 *
 * <p>At most {@link #RETAINED} buffers are kept between calls; a call that finds none, or only one
 * too small, allocates, so the memory held is bounded by the peak number of concurrent products.
 *
 * @param <T> the buffer type
 */
final class ScratchPool<T> {
  /** Buffers kept between calls: beyond this many concurrent products, the extras are dropped. */
  static final int RETAINED = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

  private final IntFunction<T> allocate;
  private final ToIntFunction<T> capacity;
  private final ConcurrentLinkedDeque<T> free = new ConcurrentLinkedDeque<>();
  private final AtomicInteger kept = new AtomicInteger();

  /**
   * @param allocate a new buffer of at least the given capacity
   * @param capacity the capacity of a buffer, in floats
   */
  ScratchPool(IntFunction<T> allocate, ToIntFunction<T> capacity) {
    this.allocate = allocate;
    this.capacity = capacity;
  }

  /** A pool of plain float arrays. */
  static ScratchPool<float[]> ofArrays() {
    return new ScratchPool<>(float[]::new, array -> array.length);
  }

  /** A buffer of at least {@code size} floats, with unspecified contents, until released. */
  T acquire(int size) {
    T buffer = free.pollFirst();
    if (buffer != null) {
      kept.decrementAndGet();
      if (capacity.applyAsInt(buffer) >= size) {
        return buffer;
      }
    }
    return allocate.apply(size);
  }

  /** Returns a buffer from {@link #acquire}; the caller must no longer use it. */
  void release(T buffer) {
    if (kept.incrementAndGet() <= RETAINED) {
      free.offerFirst(buffer);
    } else {
      kept.decrementAndGet();
    }
  }

  /** Buffers kept for the next calls. */
  int kept() {
    return kept.get();
  }
}
