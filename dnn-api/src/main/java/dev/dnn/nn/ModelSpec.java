package dev.dnn.nn;

import dev.dnn.backend.Backend;
import java.util.List;

/**
 * The architecture of a sequential model: the number of input features and the layers in order.
 * Plain records, so Jackson writes and reads it as JSON; together with the named tensors of {@link
 * Model#namedTensors()} it describes a trained model completely.
 *
 * @param inputs input features per example
 * @param layers the layers, first to last
 */
public record ModelSpec(int inputs, List<LayerSpec> layers) {

  /** Validates that every layer accepts what the previous one produces. */
  public ModelSpec {
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one layer");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) == null) {
        throw new IllegalArgumentException("layers." + i + " is null");
      }
    }
    layers = List.copyOf(layers);
    if (inputs < 1) {
      throw new IllegalArgumentException("a model needs at least one input feature, got " + inputs);
    }
    int width = inputs;
    for (int i = 0; i < layers.size(); i++) {
      try {
        width = layers.get(i).outputWidth(width);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("layers." + i + ": " + e.getMessage(), e);
      }
    }
  }

  /** Output features per example. */
  public int outputs() {
    int width = inputs;
    for (LayerSpec layer : layers) {
      width = layer.outputWidth(width);
    }
    return width;
  }

  /** Creates the model on {@code backend}, initializing weights from seed 0. */
  public Model on(Backend backend) {
    return new Model(this, backend, 0L, null);
  }

  /** Creates the model on {@code backend}, initializing weights from {@code seed}. */
  public Model on(Backend backend, long seed) {
    return new Model(this, backend, seed, null);
  }
}
