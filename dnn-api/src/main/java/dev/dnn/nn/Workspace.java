package dev.dnn.nn;

import dev.dnn.backend.Backend;
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
  private int retainedA = -1;
  private int retainedB = -1;
  private int sizeAfterRetain = -1;

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

  /** Frees the tensors of row counts other than {@code a} and {@code b}. */
  void retain(int a, int b) {
    // Entries are only added between sweeps: with none added since the last sweep of these row
    // counts there is nothing to free (and a serving loop allocates no iterator to find that out).
    if (a == retainedA && b == retainedB && byRows.size() == sizeAfterRetain) {
      return;
    }
    byRows
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey() == a || e.getKey() == b) {
                return false;
              }
              for (Tensor t : e.getValue()) {
                if (t != null) {
                  t.close();
                }
              }
              return true;
            });
    retainedA = a;
    retainedB = b;
    sizeAfterRetain = byRows.size();
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
    sizeAfterRetain = -1;
  }
}
