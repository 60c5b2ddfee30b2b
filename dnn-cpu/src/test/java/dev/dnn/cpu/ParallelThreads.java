package dev.dnn.cpu;

import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Which threads a {@link Parallel} computes on. */
final class ParallelThreads {
  private ParallelThreads() {}

  /**
   * The threads that run this instance's chunks: one chunk per thread, each waiting at a barrier
   * for all the others, so that every worker must take one (a thread that took two would wait for
   * itself). Other instances' workers never run these chunks. A barrier that times out fails the
   * call.
   */
  static Set<Thread> running(Parallel parallel) {
    CyclicBarrier barrier = new CyclicBarrier(parallel.threads());
    Set<Thread> ran = ConcurrentHashMap.newKeySet();
    parallel.forChunks(
        parallel.threads(),
        i -> {
          ran.add(Thread.currentThread());
          try {
            barrier.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("not every thread of the instance took a chunk", e);
          }
        });
    return ran;
  }
}
