package dev.dnn.spark;

import dev.dnn.init.Init;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Activations;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/** The architecture an estimator trains, from its {@code spec} or {@code hidden} params. */
final class Architectures {
  private Architectures() {}

  /**
   * The architecture: {@code specJson} if not empty, else for each hidden width a dense layer
   * (initialized to suit the activation), the activation and, with dropout, a dropout layer; then a
   * dense output layer.
   *
   * @throws IllegalArgumentException if the JSON cannot be read, or the architecture's input or
   *     output width does not match the data's
   */
  static ModelSpec of(
      String specJson,
      int[] hidden,
      String activation,
      double dropout,
      int inputs,
      int outputs,
      String featuresColumn) {
    if (specJson != null && !specJson.isBlank()) {
      ModelSpec spec;
      try {
        spec = ModelSpec.fromJson(specJson);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "param spec is not a dnn.spec JSON: " + e.getMessage(), e);
      }
      if (spec.inputs() != inputs) {
        throw new IllegalArgumentException(
            "param spec takes "
                + spec.inputs()
                + " inputs but features column '"
                + featuresColumn
                + "' holds "
                + inputs
                + " values per row");
      }
      if (spec.outputs() != outputs) {
        throw new IllegalArgumentException(
            "param spec has " + spec.outputs() + " outputs but the data needs " + outputs);
      }
      return spec;
    }
    Activation act = Activations.named(activation);
    List<LayerSpec> layers = new ArrayList<>();
    int width = inputs;
    for (int h : hidden) {
      layers.add(Dense.of(width, h).init(Activation.suitedInit(act.kind())));
      layers.add(act);
      if (dropout > 0) {
        layers.add(Dropout.keep(1 - dropout));
      }
      width = h;
    }
    // The output layer feeds softmax or the regression target, not the hidden activation.
    layers.add(Dense.of(width, outputs).init(Init.GLOROT_UNIFORM));
    return Model.sequential(inputs, layers.toArray(LayerSpec[]::new));
  }
}
