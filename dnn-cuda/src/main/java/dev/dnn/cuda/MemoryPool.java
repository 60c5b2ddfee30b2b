package dev.dnn.cuda;

import dev.dnn.backend.MemoryStats;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A caching device-memory allocator in the manner of PyTorch's: requests are rounded up to a size
 * class (512-byte steps up to 1 MiB, 2 MiB steps above), and a released block goes back to the free
 * list of its class instead of to {@code cudaFree}. A training loop that asks for the same sizes
 * every step therefore stops calling {@code cudaMalloc} after its first step.
 *
 * <p>All work runs on one stream, so a block released by one operation may be handed to the next
 * without synchronization: the stream orders the accesses. Thread-safe (tensors may be released
 * from a cleaner thread).
 */
final class MemoryPool {
  private static final long SMALL_STEP = 512;
  private static final long SMALL_LIMIT = 1L << 20;
  private static final long LARGE_STEP = 2L << 20;
  private static final int OUT_OF_MEMORY = 2; // cudaErrorMemoryAllocation

  private final DeviceRuntime device;
  private final TailGuard guard; // null unless the device asks for tensor ends to be guarded
  private final Map<Long, ArrayDeque<Long>> freeBySize = new HashMap<>();
  private final Map<Long, Long> owned = new HashMap<>();
  private long inUse;
  private long cached;
  private long peakInUse;
  private long allocations;
  private boolean closed;

  MemoryPool(DeviceRuntime device) {
    this.device = device;
    this.guard = device.guardsTensorEnds() ? new TailGuard(device) : null;
  }

  /** The size class of a request of {@code bytes}. */
  static long sizeClass(long bytes) {
    long step = bytes <= SMALL_LIMIT ? SMALL_STEP : LARGE_STEP;
    return Math.max(step, (bytes + step - 1) / step * step);
  }

  /** A device block of at least {@code bytes}; returns its address. */
  synchronized long acquire(long bytes, long[] grantedBytes) {
    if (closed) {
      throw new IllegalStateException("the CUDA backend is closed");
    }
    long size = sizeClass(guard == null ? bytes : bytes + TailGuard.MIN_TAIL);
    grantedBytes[0] = size;
    ArrayDeque<Long> free = freeBySize.get(size);
    long address;
    if (free != null && !free.isEmpty()) {
      address = free.pop();
      cached -= size;
    } else {
      address = malloc(size);
    }
    inUse += size;
    peakInUse = Math.max(peakInUse, inUse);
    if (guard != null) {
      guard.arm(address, bytes, size);
    }
    return address;
  }

  /** Returns a block obtained from {@link #acquire} to its size class. */
  synchronized void release(long address, long size) {
    if (closed) {
      return; // freeAll already returned every block to the device
    }
    if (guard != null) {
      guard.check(address, size);
    }
    freeBySize.computeIfAbsent(size, s -> new ArrayDeque<>()).push(address);
    inUse -= size;
    cached += size;
  }

  /** Frees every cached block (not the ones in use). */
  synchronized void emptyCache() {
    for (ArrayDeque<Long> free : freeBySize.values()) {
      for (Long address : free) {
        free(address);
      }
      free.clear();
    }
    cached = 0;
  }

  /**
   * Throws if a guarded tensor's tail was written since the last call: a kernel wrote past the end
   * of its output. Only devices that guard tensor ends (the host emulator) ever throw.
   */
  void throwIfOverrun() {
    if (guard == null) {
      return; // every synchronize() of a real device comes here: no lock taken
    }
    List<String> violations;
    synchronized (this) {
      violations = guard.takeViolations();
    }
    if (!violations.isEmpty()) {
      String first = String.join("; ", violations.subList(0, Math.min(3, violations.size())));
      throw new IllegalStateException(
          violations.size() > 3 ? first + " (and " + (violations.size() - 3) + " more)" : first);
    }
  }

  synchronized MemoryStats stats() {
    return new MemoryStats(inUse, cached, peakInUse, allocations);
  }

  private long malloc(long size) {
    long address = device.allocate(size);
    if (address == 0) {
      // A cached block may still be in use by kernels queued before its tensor was closed (only
      // the stream's order protects it), and cudaFree promises to wait only "for most use cases".
      device.synchronizeDevice();
      emptyCache();
      address = device.allocate(size);
    }
    if (address == 0) {
      throw new CudaException(
          "cudaMalloc(" + size + " bytes)",
          OUT_OF_MEMORY,
          "cudaErrorMemoryAllocation: out of memory ("
              + inUse
              + " bytes in use by tensors, the cache emptied)");
    }
    allocations++;
    owned.put(address, size);
    return address;
  }

  private void free(long address) {
    owned.remove(address);
    device.free(address);
  }

  /** Frees every block, cached or still held by a tensor; the pool is empty afterwards. */
  synchronized void freeAll() {
    if (guard != null) {
      guard.checkAll(owned);
    }
    for (Long address : owned.keySet().toArray(new Long[0])) {
      free(address);
    }
    freeBySize.clear();
    inUse = 0;
    cached = 0;
    closed = true;
  }
}
