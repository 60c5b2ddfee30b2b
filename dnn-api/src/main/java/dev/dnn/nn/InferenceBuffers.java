package dev.dnn.nn;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The activations of an inference pass, shared by all layers of a model: two sides that layers
 * write in turn (each reads one side and writes the other) and one scratch slot for what a layer
 * needs only while it runs (a dense layer's pre-activation, maxout's argmax). A residual block runs
 * its body on a {@link #nested()} pair, since its input must survive the body.
 *
 * <p>Memory therefore follows the activation shapes a model has (one tensor per side and shape) and
 * the batch size, not the number of layers: 20,000 parameter-free layers of one width share three
 * tensors. Tensors are kept for {@link Model#INFERENCE_BATCH} rows and for the row count of the
 * current batch; those of an earlier partial batch are freed when another row count starts.
 */
final class InferenceBuffers implements AutoCloseable {
  private static final int SCRATCH = 2;

  private final Backend backend;
  private final int level;
  private final Map<Key, Tensor> tensors;
  private final Map<Tensor, Key> keys;
  private InferenceBuffers nested;
  private int lastRows = -1;

  /** The key looked up by {@link #get}, reused: a new key per layer and call would be garbage. */
  private final Key probe = new Key();

  /** The top-level buffers of an inference pass on {@code backend}. */
  InferenceBuffers(Backend backend) {
    this(backend, 0, new HashMap<>(), new IdentityHashMap<>());
  }

  private InferenceBuffers(
      Backend backend, int level, Map<Key, Tensor> tensors, Map<Tensor, Key> keys) {
    this.backend = backend;
    this.level = level;
    this.tensors = tensors;
    this.keys = keys;
  }

  /**
   * Where one tensor lives: nesting level, slot (side 0, side 1, scratch) and shape. Mutable only
   * for the lookup probe; a key in the maps is never changed.
   */
  private static final class Key {
    int level;
    int slot;
    int rows;
    int cols;

    Key set(int level, int slot, int rows, int cols) {
      this.level = level;
      this.slot = slot;
      this.rows = rows;
      this.cols = cols;
      return this;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.level == level
          && k.slot == slot
          && k.rows == rows
          && k.cols == cols;
    }

    @Override
    public int hashCode() {
      return ((level * 31 + slot) * 31 + rows) * 31 + cols;
    }
  }

  /**
   * Starts a batch of {@code rows} rows: frees the tensors of partial batches of another size, so
   * evaluating data sets of many sizes does not pile up tensors.
   */
  void startBatch(int rows) {
    // Since the last batch's sweep only tensors of its row count were added: a batch of the same
    // count has nothing to free (and a serving loop allocates no iterator to find that out).
    if (rows == lastRows) {
      return;
    }
    lastRows = rows;
    tensors
        .entrySet()
        .removeIf(
            e -> {
              int r = e.getKey().rows;
              if (r == rows || r == Model.INFERENCE_BATCH) {
                return false;
              }
              keys.remove(e.getValue());
              e.getValue().close();
              return true;
            });
  }

  /**
   * A {@code [rows of input, cols]} tensor on the side of this level that does not hold {@code
   * input}, for a layer's output.
   */
  Tensor output(Tensor input, int cols) {
    Key held = keys.get(input);
    int side = held != null && held.level == level && held.slot == 0 ? 1 : 0;
    return get(side, input.shape().dim(0), cols);
  }

  /** A {@code [rows, cols]} tensor that is valid only until the calling layer returns. */
  Tensor scratch(int rows, int cols) {
    return get(SCRATCH, rows, cols);
  }

  /** The buffers of a residual body, one level down: writing them leaves this level's alone. */
  InferenceBuffers nested() {
    if (nested == null) {
      nested = new InferenceBuffers(backend, level + 1, tensors, keys);
    }
    return nested;
  }

  private Tensor get(int slot, int rows, int cols) {
    Tensor t = tensors.get(probe.set(level, slot, rows, cols));
    if (t == null) {
      t = backend.zeros(Shape.matrix(rows, cols));
      Key key = new Key().set(level, slot, rows, cols);
      tensors.put(key, t);
      keys.put(t, key);
    }
    return t;
  }

  @Override
  public void close() {
    tensors.values().forEach(Tensor::close);
    tensors.clear();
    lastRows = -1;
    keys.clear();
  }
}
