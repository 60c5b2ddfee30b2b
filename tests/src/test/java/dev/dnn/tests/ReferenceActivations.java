package dev.dnn.tests;

import dev.dnn.backend.ActivationKind;

/** Float64 definitions of every {@link ActivationKind} and its derivative (PyTorch at kinks). */
final class ReferenceActivations {
  private ReferenceActivations() {}

  /** f(z); {@code slope} is the PReLU/RReLU negative slope of this element. */
  static double value(ActivationKind kind, double z, double alpha, double slope) {
    return switch (kind) {
      case LINEAR -> z;
      case SIGMOID -> sigmoid(z);
      case TANH -> Math.tanh(z);
      case RELU -> z > 0 ? z : 0;
      case LEAKY_RELU -> z > 0 ? z : alpha * z;
      case PRELU, RRELU -> z > 0 ? z : slope * z;
      case ELU -> z > 0 ? z : alpha * Math.expm1(z);
      case SELU ->
          ActivationKind.SELU_LAMBDA * (z > 0 ? z : ActivationKind.SELU_ALPHA * Math.expm1(z));
      case SOFTPLUS -> Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
      case SWISH -> z * sigmoid(z);
      case ABS -> Math.abs(z);
    };
  }

  /** f'(z), with PyTorch's choice at z == 0 for the kinked functions. */
  static double derivative(ActivationKind kind, double z, double alpha, double slope) {
    return switch (kind) {
      case LINEAR -> 1;
      case SIGMOID -> sigmoid(z) * (1 - sigmoid(z));
      case TANH -> 1 - Math.tanh(z) * Math.tanh(z);
      case RELU -> z > 0 ? 1 : 0;
      case LEAKY_RELU -> z > 0 ? 1 : alpha;
      case PRELU, RRELU -> z > 0 ? 1 : slope;
      case ELU -> z > 0 ? 1 : alpha * Math.exp(z);
      case SELU ->
          ActivationKind.SELU_LAMBDA * (z > 0 ? 1 : ActivationKind.SELU_ALPHA * Math.exp(z));
      case SOFTPLUS -> sigmoid(z);
      case SWISH -> sigmoid(z) + z * sigmoid(z) * (1 - sigmoid(z));
      case ABS -> z > 0 ? 1 : z < 0 ? -1 : 0;
    };
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}
