package dev.dnn.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * The evaluators of one model, one per concurrent inference call: each call borrows one (with its
 * device batches and activation buffers) and gives it back, so calls from many threads never share
 * a buffer, and a thread's second call reuses what its first allocated. At most {@link #limit()}
 * exist; more concurrent calls wait for one to come back.
 */
final class InferencePool implements AutoCloseable {
  private final Model model;
  private final int limit;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Inference> idle = new ConcurrentLinkedDeque<>();
  private final List<Inference> all = new ArrayList<>();
  private boolean closed;

  InferencePool(Model model, int limit) {
    this.model = model;
    this.limit = limit;
    this.permits = new Semaphore(limit, true);
  }

  /** The default bound: two evaluators per processor, at least four. */
  static int defaultLimit() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  int limit() {
    return limit;
  }

  /** Runs {@code work} with a borrowed evaluator and gives it back. */
  <T> T with(Function<Inference, T> work) {
    permits.acquireUninterruptibly();
    try {
      Inference inference = idle.pollFirst();
      if (inference == null) {
        inference = create();
      }
      try {
        return work.apply(inference);
      } finally {
        idle.addFirst(inference);
      }
    } finally {
      permits.release();
    }
  }

  private synchronized Inference create() {
    if (closed) {
      throw new IllegalStateException("the model is closed");
    }
    Inference inference = new Inference(model);
    all.add(inference);
    return inference;
  }

  /** The number of evaluators made so far. */
  synchronized int created() {
    return all.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    all.forEach(Inference::close);
    all.clear();
    idle.clear();
  }
}
