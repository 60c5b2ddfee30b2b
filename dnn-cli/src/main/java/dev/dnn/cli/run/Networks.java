package dev.dnn.cli.run;

import dev.dnn.init.Init;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Maxout;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Optimizer;
import dev.dnn.optim.Optimizers;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link RunConfig} into the library's model description and optimizer.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class Networks {
  private Networks() {}

  /**
   * The classifier of {@code config}: for each hidden width a dense layer, the activation and, with
   * dropout, a dropout layer; then a dense output layer producing {@code classes} logits.
   */
  public static ModelSpec classifier(RunConfig config, int inputs, int classes) {
    List<LayerSpec> layers = new ArrayList<>();
    int width = inputs;
    for (int hidden : config.hidden()) {
      layers.add(Dense.of(width, hidden).init(config.init()));
      layers.add(Activation.of(config.activation()));
      if (config.dropout() > 0) {
        layers.add(Dropout.keep(1 - config.dropout()));
      }
      width = hidden;
    }
    // The output layer feeds softmax, not the hidden activation: Glorot suits it.
    layers.add(Dense.of(width, classes).init(Init.GLOROT_UNIFORM));
    return Model.sequential(inputs, layers.toArray(LayerSpec[]::new));
  }

  /**
   * The widths from input to output through the dense layers of {@code spec}, such as {@code
   * 784-500-250-10} (other layers keep the width; a residual block counts as its input width).
   */
  public static String architecture(ModelSpec spec) {
    StringBuilder s = new StringBuilder().append(spec.inputs());
    for (LayerSpec layer : spec.layers()) {
      if (layer instanceof Dense dense) {
        s.append('-').append(dense.outputs());
      } else if (layer instanceof Maxout maxout) {
        s.append("-(maxout ").append(maxout.pieces()).append(')');
      }
    }
    return s.toString();
  }

  /**
   * A fresh optimizer of a name in {@link Optimizers} (optimizers keep state: one per run).
   *
   * @throws IllegalArgumentException naming the unknown name and listing the valid ones
   */
  public static Optimizer optimizer(String name, double learningRate) {
    return Optimizers.named(name, learningRate);
  }

  /**
   * Hidden widths for a table of {@code inputs} inputs: the power of two at or above twice the
   * inputs, kept between 16 and 256, then half of it. A 6-column table gets 16, 8; the image
   * network's 500 units would only memorise a few thousand rows.
   */
  public static List<Integer> tableWidths(int inputs) {
    int first = Integer.highestOneBit(Math.max(1, 2 * inputs - 1)) << 1;
    first = Math.max(16, Math.min(256, first));
    return List.of(first, first / 2);
  }
}
