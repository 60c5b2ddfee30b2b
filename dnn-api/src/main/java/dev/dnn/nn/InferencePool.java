package dev.dnn.nn;

import dev.dnn.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The evaluators of one model, one per concurrent inference call: each call borrows one (with its
 * device batches and activation buffers) and gives it back, so calls from many threads never share
 * a buffer, and a thread's second call reuses what its first allocated. At most {@link #limit()}
 * exist; more concurrent calls wait for one to come back. The idle ones wait in fixed slots, so
 * that borrowing and giving back allocates nothing (a queue would allocate a node per call).
 */
final class InferencePool implements AutoCloseable {
  private final Model model;
  private final int limit;
  private final Semaphore permits;
  private final AtomicReferenceArray<Inference> idle;
  private final List<Inference> all = new ArrayList<>();
  private boolean closed;

  /** The set of row-share evaluators, while no prediction holds it; null while one does. */
  private final AtomicReference<RowShareEvaluators> rowShares;

  /** The same set, to close it whoever holds it. */
  private final RowShareEvaluators allRowShares;

  InferencePool(Model model, int limit) {
    this.model = model;
    this.limit = limit;
    this.permits = new Semaphore(limit, true);
    this.idle = new AtomicReferenceArray<>(limit);
    this.allRowShares = new RowShareEvaluators(model);
    this.rowShares = new AtomicReference<>(allRowShares);
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
    Inference inference = borrow();
    try {
      return work.apply(inference);
    } finally {
      giveBack(inference);
    }
  }

  /**
   * {@link Inference#predict(float[], int, float[], Loss)} with a borrowed evaluator: the latency
   * path, without a lambda to allocate per call.
   */
  void predict(float[] rows, int count, float[] out, Loss loss) {
    Inference inference = borrow();
    try {
      inference.predict(rows, count, out, loss);
    } finally {
      giveBack(inference);
    }
  }

  /**
   * The model's one set of share evaluators, or null while another prediction holds it (that one
   * then runs unsplit): the CPU backend runs the shares of one call at a time anyway, and one set
   * keeps the memory of the model's shares to a single copy of their buffers. Give it back with
   * {@link #returnRowShares}.
   */
  RowShareEvaluators leaseRowShares() {
    return rowShares.getAndSet(null);
  }

  /** Gives back a set from {@link #leaseRowShares} (null: none was leased). */
  void returnRowShares(RowShareEvaluators shares) {
    if (shares != null) {
      rowShares.set(shares);
    }
  }

  /**
   * An idle evaluator, or a new one: the permit taken guarantees that fewer than {@code limit} are
   * lent, so one is idle or fewer than {@code limit} exist. The lowest slot first, so that one
   * thread's calls keep reusing the same evaluator.
   */
  private Inference borrow() {
    permits.acquireUninterruptibly();
    try {
      for (int i = 0; i < limit; i++) {
        Inference inference = idle.get(i);
        if (inference != null && idle.compareAndSet(i, inference, null)) {
          return inference;
        }
      }
      return create();
    } catch (RuntimeException | Error e) {
      permits.release();
      throw e;
    }
  }

  /**
   * Puts {@code inference} in a free slot. A borrower's scan can miss an evaluator that moves from
   * a later slot to an earlier one meanwhile and make one more; the rare evaluator that then finds
   * every slot taken is closed.
   */
  private void giveBack(Inference inference) {
    try {
      for (int i = 0; i < limit; i++) {
        if (idle.get(i) == null && idle.compareAndSet(i, null, inference)) {
          return;
        }
      }
      discard(inference);
    } finally {
      permits.release();
    }
  }

  private synchronized void discard(Inference inference) {
    all.remove(inference);
    inference.close();
  }

  private synchronized Inference create() {
    if (closed) {
      throw new IllegalStateException("the model is closed");
    }
    Inference inference = new Inference(model, this);
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
    allRowShares.close();
    all.forEach(Inference::close);
    all.clear();
    for (int i = 0; i < limit; i++) {
      idle.set(i, null);
    }
  }
}
