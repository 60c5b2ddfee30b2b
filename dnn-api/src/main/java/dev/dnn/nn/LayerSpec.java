package dev.dnn.nn;

import java.util.List;

/**
 * The description of one layer: what it computes and its hyperparameters, but no numbers. Layer
 * specs are immutable records, written in a model's JSON ({@link ModelSpec#toJson}) as objects with
 * a {@code "type"} field; {@link ModelSpec#on} turns them into live {@link Layer}s on a backend.
 *
 * <p>Every implementation is an immutable record, safe to share between threads.
 */
public sealed interface LayerSpec permits Dense, Activation, Dropout, BatchNorm, Maxout, Residual {

  /**
   * The number of features this layer produces from {@code inputs} features.
   *
   * @throws IllegalArgumentException if this layer cannot take {@code inputs} features
   */
  int outputWidth(int inputs);

  /** The input width this layer requires, or 0 if it adapts to whatever it receives. */
  default int requiredInputs() {
    return 0;
  }

  /**
   * How many float values this layer keeps (learned parameters and saved buffers) when it receives
   * {@code inputs} features: what a model file stores for it, and what it costs in memory.
   */
  default long storedValues(int inputs) {
    return 0;
  }

  /**
   * The fewest examples a training batch may hold for this layer: 2 for batch normalization, which
   * needs a variance; 1 for the others.
   */
  default int minimumTrainingRows() {
    return 1;
  }

  /**
   * The input width the first of {@code layers} that requires one requires, looking inside residual
   * blocks; 0 if the first width-changing layer adapts (as maxout does) or none requires one.
   */
  static int firstRequiredInputs(List<LayerSpec> layers) {
    for (LayerSpec layer : layers) {
      if (layer == null) {
        return 0; // ModelSpec names the missing layer
      }
      if (layer.requiredInputs() > 0) {
        return layer.requiredInputs();
      }
      if (layer instanceof Maxout) {
        return 0;
      }
    }
    return 0;
  }
}
