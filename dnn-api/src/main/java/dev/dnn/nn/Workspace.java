package dev.dnn.nn;

import dev.dnn.backend.Backend;
import dev.dnn.internal.nn.KeptRowCounts;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-batch-size scratch tensors of one layer. A slot asked for again with the same row count
 * returns the same tensor, so steady-state training allocates nothing; a new batch size (the last
 * partial batch, evaluation) gets its own set, kept until the layer closes.
 */
final class Workspace implements AutoCloseable {
  private static final int SLOTS = 8;
  private final Backend backend;
  private final Map<Integer, Tensor[]> byRows = new HashMap<>();
  private final KeptRowCounts kept = new KeptRowCounts();

  Workspace(Backend backend) {
    this.backend = backend;
  }

  Tensor get(int slot, int rows, int cols) {
    Tensor[] tensors = byRows.computeIfAbsent(rows, r -> new Tensor[SLOTS]);
    Tensor t = tensors[slot];
    if (t == null) {
      t = backend.zeros(Shape.matrix(rows, cols));
      tensors[slot] = t;
    }
    return t;
  }

  /** Frees the tensors of row counts other than {@code a}, {@code b} and {@code c}. */
  void retain(int a, int b, int c) {
    if (!kept.keep(a, b, c, byRows.size())) {
      return;
    }
    byRows
        .entrySet()
        .removeIf(
            e -> {
              if (kept.holds(e.getKey())) {
                return false;
              }
              for (Tensor t : e.getValue()) {
                if (t != null) {
                  t.close();
                }
              }
              return true;
            });
    kept.swept(byRows.size());
  }

  @Override
  public void close() {
    for (Tensor[] tensors : byRows.values()) {
      for (Tensor t : tensors) {
        if (t != null) {
          t.close();
        }
      }
    }
    byRows.clear();
    kept.reset();
  }
}
