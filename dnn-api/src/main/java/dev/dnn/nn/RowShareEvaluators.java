package dev.dnn.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * The evaluators of one prediction's row shares ({@link dev.dnn.backend.Backend#forRowShares}), one
 * per share number, made on first use: shares run at once, so each needs buffers of its own, and
 * share {@code i} of a row count always has the same rows, so its evaluator keeps buffers of a few
 * sizes (those of its last three row counts: a latency call's, a data set's full batches' and its
 * last batch's). One prediction uses a set at a time, a latency call or a data-set call's batches;
 * its shares may ask for their evaluators from several threads at once.
 */
final class RowShareEvaluators implements AutoCloseable {
  private final Model model;
  private final List<Inference> evaluators = new ArrayList<>();
  private boolean closed;

  RowShareEvaluators(Model model) {
    this.model = model;
  }

  /** The evaluator of share {@code share}. */
  synchronized Inference evaluator(int share) {
    if (closed) {
      throw new IllegalStateException("the model is closed");
    }
    while (evaluators.size() <= share) {
      evaluators.add(null);
    }
    Inference evaluator = evaluators.get(share);
    if (evaluator == null) {
      evaluator = new Inference(model);
      evaluators.set(share, evaluator);
    }
    return evaluator;
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Inference evaluator : evaluators) {
      if (evaluator != null) {
        evaluator.close();
      }
    }
    evaluators.clear();
  }
}
