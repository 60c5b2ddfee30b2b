package dev.dnn.nn;

import dev.dnn.init.Init;
import java.util.Objects;

/**
 * A fully connected layer {@code y = x W + b}, with {@code W} stored {@code [inputs, outputs]}.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param inputs input features
 * @param outputs output features
 * @param weightInit how the weights start (default {@link Init#GLOROT_UNIFORM})
 * @param biasInit how the bias starts (default {@link Init#ZEROS})
 */
public record Dense(int inputs, int outputs, Init weightInit, Init biasInit) implements LayerSpec {

  /** Validates the sizes. */
  public Dense {
    if (inputs < 1 || outputs < 1) {
      throw new IllegalArgumentException(
          "Dense needs positive sizes, got " + inputs + " -> " + outputs);
    }
    Objects.requireNonNull(weightInit, "weightInit");
    Objects.requireNonNull(biasInit, "biasInit");
  }

  /** A dense layer with Glorot-uniform weights and zero bias. */
  public static Dense of(int inputs, int outputs) {
    return new Dense(inputs, outputs, Init.GLOROT_UNIFORM, Init.ZEROS);
  }

  /** This layer with another weight initializer. */
  public Dense init(Init weights) {
    return new Dense(inputs, outputs, weights, biasInit);
  }

  /** This layer with another bias initializer. */
  public Dense biasInit(Init bias) {
    return new Dense(inputs, outputs, weightInit, bias);
  }

  @Override
  public int outputWidth(int in) {
    if (in != inputs) {
      throw new IllegalArgumentException(
          "Dense " + inputs + " -> " + outputs + " receives " + in + " features");
    }
    return outputs;
  }

  @Override
  public int requiredInputs() {
    return inputs;
  }

  @Override
  public long storedValues(int in) {
    return Math.addExact(Math.multiplyExact((long) inputs, outputs), outputs);
  }
}
