package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The lifetime and number of the cpu backend's worker threads. */
class WorkerThreadsTest {
  private static Set<Thread> workers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("dnn-cpu-"))
        .collect(Collectors.toSet());
  }

  /**
   * Waits, collecting garbage, until none of the given threads is alive. Only the threads this test
   * started are watched: workers of other tests' instances may end at any time meanwhile.
   */
  private static long survivorsAfterCollection(Set<Thread> started) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (started.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(50);
    }
    return started.stream().filter(Thread::isAlive).count();
  }

  private static Set<Thread> startedSince(Set<Thread> before) {
    Set<Thread> started = new HashSet<>(workers());
    started.removeAll(before);
    return started;
  }

  /** Starts the workers of a new instance: work large enough to be split over every thread. */
  private static Parallel busy(int threads) {
    Parallel parallel = new Parallel(threads);
    parallel.forChunks(threads * 4, i -> {});
    return parallel;
  }

  @Test
  void workersAreDaemons() {
    try (Parallel parallel = new Parallel(3)) {
      Set<Thread> workers = ParallelThreads.running(parallel);
      workers.remove(Thread.currentThread());
      assertEquals(parallel.threads() - 1, workers.size(), "this instance's workers: " + workers);
      workers.forEach(t -> assertTrue(t.isDaemon(), t.getName() + " is not a daemon"));
      workers.forEach(t -> assertTrue(t.getName().startsWith("dnn-cpu-"), t.getName()));
    }
  }

  @Test
  void workersOfInstancesNeverClosedEndOnceUnreachable() throws InterruptedException {
    Set<Thread> before = workers();
    List<Parallel> unclosed = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      unclosed.add(busy(4));
    }
    Set<Thread> started = startedSince(before);
    assertTrue(started.size() >= 40, "the workers should have started: " + started.size());
    unclosed.clear();
    assertEquals(0, survivorsAfterCollection(started), "workers of unreachable instances live");
  }

  @Test
  void backendsNeverClosedReleaseTheirWorkersOnceUnreachable() throws InterruptedException {
    Set<Thread> before = workers();
    List<CpuBackend> unclosed = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      CpuBackend backend = new CpuBackend(3);
      // A product large enough to wake the workers (Parallel.WAKE_WORK): 2 x 384^3 operations.
      Tensor a = backend.zeros(Shape.matrix(384, 384));
      Tensor c = backend.zeros(Shape.matrix(384, 384));
      backend.gemm(false, false, 1f, a, a, 0f, c);
      unclosed.add(backend);
    }
    Set<Thread> started = startedSince(before);
    assertTrue(started.size() >= 20, "the workers should have started: " + started.size());
    unclosed.clear();
    assertEquals(0, survivorsAfterCollection(started), "workers of unreachable backends live");
  }

  @Test
  void refusesAnImplausibleThreadCountBeforeStartingAnyThread() {
    Set<Thread> before = workers();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new CpuBackend(100_000));
    assertTrue(e.getMessage().contains("100000 exceeds the limit of"), e.getMessage());
    assertEquals(Set.of(), startedSince(before), "threads were started");
    assertTrue(Parallel.MAX_THREADS >= Runtime.getRuntime().availableProcessors());
  }

  @Test
  void refusesAnImplausibleThreadCountProperty() {
    String saved = System.getProperty(CpuBackend.THREADS_PROPERTY);
    System.setProperty(CpuBackend.THREADS_PROPERTY, "100000");
    try {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, CpuBackend::defaultThreads);
      assertTrue(e.getMessage().contains("dnn.cpu.threads=100000 exceeds"), e.getMessage());
      String reason = new CpuBackendProvider().availability().reason();
      assertTrue(reason.contains("exceeds the limit"), reason);
    } finally {
      if (saved == null) {
        System.clearProperty(CpuBackend.THREADS_PROPERTY);
      } else {
        System.setProperty(CpuBackend.THREADS_PROPERTY, saved);
      }
    }
  }
}
