package dev.dnn.nn;

import dev.dnn.backend.Backend;
import dev.dnn.internal.nn.KeptRowCounts;
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
 * tensors. Its user names the row counts whose tensors stay ({@link #retain}: full batches and the
 * last one); those of other counts are freed.
 */
final class InferenceBuffers implements AutoCloseable {
  private static final int SCRATCH = 2;

  private final Backend backend;
  private final int level;
  private final Map<Key, Tensor> tensors;
  private final Map<Tensor, Key> keys;
  private InferenceBuffers nested;
  private final KeptRowCounts kept = new KeptRowCounts();

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
   * Frees the tensors of row counts other than {@code a}, {@code b} and {@code c}, so evaluating
   * data sets of many sizes does not pile up tensors.
   */
  void retain(int a, int b, int c) {
    if (!kept.keep(a, b, c, tensors.size())) {
      return;
    }
    tensors
        .entrySet()
        .removeIf(
            e -> {
              if (kept.holds(e.getKey().rows)) {
                return false;
              }
              keys.remove(e.getValue());
              e.getValue().close();
              return true;
            });
    kept.swept(tensors.size());
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
    kept.reset();
    keys.clear();
  }
}
