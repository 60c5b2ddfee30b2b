package dev.dnn.nn;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dnn.backend.Backend;
import dev.dnn.internal.io.Json;
import java.util.List;

/**
 * The architecture of a sequential model: the number of input features and the layers in order.
 * Plain records, written and read as JSON by {@link #toJson} and {@link #fromJson} (the form model
 * files store); together with the named tensors of {@link Model#namedTensors()} it describes a
 * trained model completely.
 *
 * <p>Immutable (the layer list is copied) and safe to share between threads.
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

  /**
   * This architecture as compact JSON: an object with {@code inputs} and {@code layers}, each layer
   * an object whose {@code type} names its kind ({@code dense}, {@code activation}, {@code
   * dropout}, {@code batchnorm}, {@code maxout}, {@code residual}) beside its hyperparameters.
   */
  public String toJson() {
    return Json.write(this);
  }

  /**
   * Reads an architecture that {@link #toJson} wrote (or a hand-written one of the same form);
   * activations and initializers may be given by any name their {@code named} methods accept.
   *
   * @throws IllegalArgumentException if {@code json} is not such an architecture, with the reason
   *     and the place
   */
  public static ModelSpec fromJson(String json) {
    try {
      return Json.read(json, ModelSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid model spec JSON: " + e.getMessage(), e);
    }
  }
}
