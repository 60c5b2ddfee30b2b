package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How work is split over threads. */
class ParallelTest {
  @Test
  void smallWorkStaysOnTheCallingThread() {
    try (Parallel parallel = new Parallel(4)) {
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      parallel.forRange(1000, 1, (from, to) -> threads.add(Thread.currentThread()));
      assertEquals(Set.of(Thread.currentThread()), threads);
    }
  }

  @Test
  void largeWorkCoversEveryIndexExactlyOnce() {
    try (Parallel parallel = new Parallel(3)) {
      int n = 1_000_003;
      int[] hits = new int[n];
      AtomicLong shares = new AtomicLong();
      parallel.forRange(
          n,
          1,
          (from, to) -> {
            shares.incrementAndGet();
            for (int i = from; i < to; i++) {
              hits[i]++;
            }
          });
      for (int i = 0; i < n; i++) {
        assertEquals(1, hits[i], "index " + i);
      }
      // Which thread takes which share is up to the scheduler; the split itself is deterministic.
      assertEquals(3, shares.get(), "large work should be split into one share per thread");
    }
  }

  @Test
  void sumDoesNotDependOnTheThreadCount() {
    int n = 100_000;
    Parallel.RangeSum body =
        (from, to) -> {
          double s = 0;
          for (int i = from; i < to; i++) {
            s += 1.0 / (i + 1);
          }
          return s;
        };
    try (Parallel one = new Parallel(1);
        Parallel three = new Parallel(3)) {
      assertEquals(one.sum(n, 4096, body), three.sum(n, 4096, body));
    }
  }

  @Test
  void failureInAWorkerReachesTheCaller() {
    try (Parallel parallel = new Parallel(2)) {
      AtomicLong done = new AtomicLong();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  parallel.forChunks(
                      8,
                      i -> {
                        done.incrementAndGet();
                        if (i == 5) {
                          throw new IllegalArgumentException("chunk 5");
                        }
                      }));
      assertEquals("chunk 5", e.getMessage());
    }
  }

  @Test
  void aCallFromInsideATaskRunsOnItsThreadAndCoversEveryIndex() {
    try (Parallel parallel = new Parallel(3)) {
      int[][] hits = new int[6][5];
      parallel.forChunks(
          6,
          outer -> {
            Thread thread = Thread.currentThread();
            parallel.forChunks(
                5,
                inner -> {
                  hits[outer][inner]++;
                  assertEquals(thread, Thread.currentThread(), "inner chunk changed thread");
                });
          });
      for (int[] row : hits) {
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, row);
      }
    }
  }

  /**
   * A worker leaving a call of few chunks, while the caller already sets up one of more, must not
   * take the next call's chunk numbers from the last call's counter: that chunk would run twice,
   * and the caller return while a copy still runs.
   */
  @Test
  void callsOfChangingSizesRunEachChunkOnceAndReturnOnlyWhenAllAreDone() {
    // More workers than this machine may have cores: a worker is often preempted mid-way.
    try (Parallel parallel = new Parallel(6)) {
      int[] sizes = {2, 40, 6, 17};
      for (int call = 0; call < 100_000; call++) {
        int count = sizes[call % sizes.length];
        AtomicIntegerArray runs = new AtomicIntegerArray(count);
        AtomicInteger running = new AtomicInteger();
        parallel.forChunks(
            count,
            i -> {
              running.incrementAndGet();
              runs.incrementAndGet(i);
              running.decrementAndGet();
            });
        assertEquals(0, running.get(), "a chunk still running after call " + call + " returned");
        for (int i = 0; i < count; i++) {
          assertEquals(1, runs.get(i), "runs of chunk " + i + " of call " + call);
        }
      }
    }
  }

  @Test
  void aSmallJobAfterAPauseRunsOnTheCallerAndLeavesTheWorkersParked() throws InterruptedException {
    try (Parallel parallel = new Parallel(2)) {
      parallel.forChunks(2, i -> {}); // starts the workers
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      for (int request = 0; request < 5; request++) {
        Thread.sleep(100); // far past the workers' spin: they park
        // Chunks long enough that a worker woken by the job would take some of them.
        parallel.forChunks(
            8,
            Parallel.WAKE_WORK - 1,
            i -> {
              threads.add(Thread.currentThread());
              busy(50_000);
            });
      }
      assertEquals(Set.of(Thread.currentThread()), threads);
    }
  }

  @Test
  void aLargeJobAfterAPauseWakesTheWorkers() throws InterruptedException {
    try (Parallel parallel = new Parallel(2)) {
      parallel.forChunks(2, i -> {});
      Thread.sleep(100);
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      // Chunks long enough for a worker to wake and take some.
      parallel.forChunks(
          64,
          Parallel.WAKE_WORK,
          i -> {
            threads.add(Thread.currentThread());
            busy(500_000);
          });
      assertEquals(2, threads.size(), "threads that ran chunks: " + threads);
    }
  }

  @Test
  void smallJobsBackToBackWakeTheWorkersOnceTheyHaveComeForAWhile() throws InterruptedException {
    try (Parallel parallel = new Parallel(2)) {
      parallel.forChunks(2, i -> {});
      Thread.sleep(100);
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (threads.size() < 2 && System.nanoTime() < deadline) {
        parallel.forChunks(
            2,
            1,
            i -> {
              threads.add(Thread.currentThread());
              busy(20_000);
            });
      }
      assertEquals(2, threads.size(), "a worker never took part in 2 s of back-to-back jobs");
    }
  }

  private static void busy(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  @Test
  void workersServeManyCallsInARowAndStopOnClose() {
    Parallel parallel = new Parallel(2);
    long[] sums = new long[2];
    for (int call = 0; call < 10_000; call++) {
      parallel.forChunks(2, i -> sums[i]++);
    }
    assertArrayEquals(new long[] {10_000, 10_000}, sums);
    parallel.close();
    parallel.forChunks(2, i -> sums[i]++); // after close: on the calling thread
    assertArrayEquals(new long[] {10_001, 10_001}, sums);
  }

  @Test
  void threadCountComesFromTheSystemProperty() {
    String previous = System.getProperty(CpuBackend.THREADS_PROPERTY);
    try {
      System.setProperty(CpuBackend.THREADS_PROPERTY, "3");
      assertEquals(3, CpuBackend.defaultThreads());
      try (CpuBackend backend = new CpuBackend()) {
        assertEquals(3, backend.threads());
      }
      System.setProperty(CpuBackend.THREADS_PROPERTY, "zero");
      assertThrows(IllegalArgumentException.class, CpuBackend::defaultThreads);
      assertEquals(false, new CpuBackendProvider().availability().usable());
    } finally {
      if (previous == null) {
        System.clearProperty(CpuBackend.THREADS_PROPERTY);
      } else {
        System.setProperty(CpuBackend.THREADS_PROPERTY, previous);
      }
    }
  }
}
