package dev.dnn.cpu;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Scratch buffers lent to one GEMM call at a time: the packed panel of B that all threads of a
 * product share, and the transposed result of a swapped product. Concurrent calls (several threads
 * predicting with one model) each borrow their own, so no call waits for another's buffers. Safe
 * for concurrent use.
 *
 * <p>At most {@link #RETAINED} buffers are kept between calls, in fixed slots, so that lending one
 * and taking it back allocates nothing (a queue would allocate a node per return, on every layer of
 * every prediction); a call that finds none, or only one too small, allocates, so the memory held
 * is bounded by the peak number of concurrent products.
 *
 * @param <T> the buffer type
 */
final class ScratchPool<T> {
  /** Buffers kept between calls: beyond this many concurrent products, the extras are dropped. */
  static final int RETAINED = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

  private final IntFunction<T> allocate;
  private final ToIntFunction<T> capacity;
  private final AtomicReferenceArray<T> slots = new AtomicReferenceArray<>(RETAINED);

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

  /**
   * A buffer of at least {@code size} floats, with unspecified contents, until released: the first
   * kept buffer large enough, else a new one. A kept buffer too small is then dropped, so that the
   * slots come to hold buffers of the sizes the calls need.
   */
  T acquire(int size) {
    int tooSmall = -1;
    T small = null;
    for (int i = 0; i < RETAINED; i++) {
      T buffer = slots.get(i);
      if (buffer == null) {
        continue;
      }
      if (capacity.applyAsInt(buffer) >= size) {
        if (slots.compareAndSet(i, buffer, null)) {
          return buffer;
        }
      } else if (tooSmall < 0) {
        tooSmall = i;
        small = buffer;
      }
    }
    if (tooSmall >= 0) {
      slots.compareAndSet(tooSmall, small, null);
    }
    return allocate.apply(size);
  }

  /** Returns a buffer from {@link #acquire}; the caller must no longer use it. */
  void release(T buffer) {
    for (int i = 0; i < RETAINED; i++) {
      if (slots.get(i) == null && slots.compareAndSet(i, null, buffer)) {
        return;
      }
    }
  }

  /** Buffers kept for the next calls. */
  int kept() {
    int kept = 0;
    for (int i = 0; i < RETAINED; i++) {
      if (slots.get(i) != null) {
        kept++;
      }
    }
    return kept;
  }
}
