package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.MemoryStats;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** The caching allocator, on a fake device that hands out addresses and counts its calls. */
class MemoryPoolTest {
  /** A device with {@code capacity} bytes; addresses only, no memory behind them. */
  private static final class FakeDevice implements DeviceRuntime {
    final Set<Long> live = new HashSet<>();
    final Map<Long, Long> sizes = new HashMap<>();
    final long capacity;
    long used;
    long nextAddress = 1L << 20;
    int mallocs;
    int frees;
    int deviceSynchronizations;

    FakeDevice(long capacity) {
      this.capacity = capacity;
    }

    @Override
    public long allocate(long bytes) {
      if (used + bytes > capacity) {
        return 0;
      }
      mallocs++;
      used += bytes;
      long address = nextAddress;
      nextAddress += bytes;
      live.add(address);
      sizes.put(address, bytes);
      return address;
    }

    @Override
    public void free(long address) {
      assertTrue(live.remove(address), "freed twice or never allocated: " + address);
      frees++;
      used -= sizes.remove(address);
    }

    @Override
    public void synchronizeDevice() {
      deviceSynchronizations++;
    }

    @Override
    public String backendName() {
      return "fake";
    }

    @Override
    public String description() {
      return "fake";
    }

    @Override
    public int device() {
      return 0;
    }

    @Override
    public boolean tf32() {
      return false;
    }

    @Override
    public long stream() {
      return 0;
    }

    @Override
    public void synchronize() {}

    @Override
    public void copyToDevice(Pointer host, long device, long bytes) {}

    @Override
    public void copyToHost(long device, Pointer host, long bytes) {}

    @Override
    public void memset(long device, int value, long bytes) {}

    @Override
    public void gemm(
        boolean transposeA,
        boolean transposeB,
        int m,
        int n,
        int k,
        float alpha,
        long a,
        int lda,
        long b,
        int ldb,
        float beta,
        long c,
        int ldc) {}

    @Override
    public void close() {}
  }

  @Test
  void smallRequestsRoundUpToHalfKilobytes() {
    assertEquals(512, MemoryPool.sizeClass(1));
    assertEquals(512, MemoryPool.sizeClass(512));
    assertEquals(1024, MemoryPool.sizeClass(513));
    assertEquals(1L << 20, MemoryPool.sizeClass(1L << 20));
  }

  @Test
  void largeRequestsRoundUpToTwoMebibytes() {
    assertEquals(2L << 20, MemoryPool.sizeClass((1L << 20) + 1));
    assertEquals(4L << 20, MemoryPool.sizeClass((2L << 20) + 1));
  }

  @Test
  void aReleasedBlockIsReusedWithoutAskingTheDevice() {
    FakeDevice device = new FakeDevice(1L << 30);
    MemoryPool pool = new MemoryPool(device);
    long[] granted = new long[1];
    long first = pool.acquire(1000, granted);
    assertEquals(1024, granted[0]);
    pool.release(first, granted[0]);
    long second = pool.acquire(700, granted); // same size class
    assertEquals(first, second);
    assertEquals(1, device.mallocs);
    long other = pool.acquire(3000, granted); // another class: a new block
    assertNotEquals(first, other);
    assertEquals(2, device.mallocs);
    MemoryStats stats = pool.stats();
    assertEquals(1024 + 3072, stats.inUse());
    assertEquals(2, stats.allocations());
  }

  @Test
  void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
    FakeDevice device = new FakeDevice(4096);
    MemoryPool pool = new MemoryPool(device);
    long[] granted = new long[1];
    long cachedBlock = pool.acquire(2048, granted);
    pool.release(cachedBlock, granted[0]); // 2048 cached, the device has 2048 left
    pool.acquire(4096, granted); // fits only once the cache is returned
    assertEquals(1, device.deviceSynchronizations, "queued kernels may still use cached blocks");
    assertEquals(1, device.frees);
    assertEquals(0, pool.stats().cached());
  }

  @Test
  void outOfMemoryAfterTheRetryNamesTheRequest() {
    FakeDevice device = new FakeDevice(4096);
    MemoryPool pool = new MemoryPool(device);
    long[] granted = new long[1];
    pool.acquire(4096, granted);
    CudaException e = assertThrows(CudaException.class, () -> pool.acquire(512, granted));
    assertTrue(e.getMessage().contains("cudaMalloc(512 bytes)"), e.getMessage());
    assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
    assertEquals(4096, pool.stats().inUse(), "the failed request must not count as in use");
  }

  @Test
  void freeAllReturnsEveryBlockAndClosesThePool() {
    FakeDevice device = new FakeDevice(1L << 30);
    MemoryPool pool = new MemoryPool(device);
    long[] granted = new long[1];
    long held = pool.acquire(100, granted);
    long cached = pool.acquire(5000, granted);
    pool.release(cached, granted[0]);
    pool.freeAll();
    assertTrue(device.live.isEmpty(), "blocks left on the device: " + device.live);
    assertEquals(0, pool.stats().inUse());
    assertEquals(0, pool.stats().cached());
    pool.release(held, 512); // a tensor closed after the backend: ignored, not freed twice
    assertThrows(IllegalStateException.class, () -> pool.acquire(100, granted));
  }
}
