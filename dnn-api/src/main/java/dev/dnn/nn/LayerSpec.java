package dev.dnn.nn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The description of one layer: what it computes and its hyperparameters, but no numbers. Layer
 * specs are immutable records that Jackson writes as JSON objects with a {@code "type"} field;
 * {@link ModelSpec#on} turns them into live {@link Layer}s on a backend.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Dense.class, name = "dense"),
  @JsonSubTypes.Type(value = Activation.class, name = "activation"),
  @JsonSubTypes.Type(value = Dropout.class, name = "dropout"),
  @JsonSubTypes.Type(value = BatchNorm.class, name = "batchnorm"),
  @JsonSubTypes.Type(value = Maxout.class, name = "maxout"),
  @JsonSubTypes.Type(value = Residual.class, name = "residual")
})
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
}
