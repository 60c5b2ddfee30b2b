package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;

/**
 * Element-wise activation functions and their derivatives over array ranges. Derivatives at the
 * kinks follow PyTorch: 0 for ReLU and |z| at 0, the negative slope for the leaky variants, and
 * ELU/SELU use their negative branch at 0. Exponentials come from {@link ScalarMath}, in forms that
 * cannot overflow and with the operations of the Vector API kernels, so both paths give the same
 * bits.
 */
final class Activations {
  private static final float SELU_ALPHA = (float) ActivationKind.SELU_ALPHA;
  private static final float SELU_LAMBDA = (float) ActivationKind.SELU_LAMBDA;

  private Activations() {}

  /** ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|), without overflow for any z. */
  static float softplus(float z) {
    return Math.max(z, 0f) + ScalarMath.log1pUnit(ScalarMath.exp(-ScalarMath.abs(z)));
  }

  /** ELU's (outer 1) and SELU's forward: {@code outer (z > 0 ? z : scale (e^z - 1))}. */
  private static float exponentialUnit(float z, float scale, float outer) {
    return (z > 0f ? z : ScalarMath.expm1NonPositive(Math.min(z, 0f)) * scale) * outer;
  }

  /**
   * {@code out[i] = f(z[i])} for i in [from, to) of a matrix with {@code cols} columns; slopes are
   * per column (PReLU) or per element (RReLU).
   */
  static void forward(
      ActivationKind kind,
      float alpha,
      float[] slopes,
      float[] z,
      float[] out,
      int cols,
      int from,
      int to) {
    switch (kind) {
      case LINEAR -> {
        if (out != z) {
          System.arraycopy(z, from, out, from, to - from);
        }
      }
      case SIGMOID -> {
        for (int i = from; i < to; i++) {
          out[i] = ScalarMath.sigmoid(z[i]);
        }
      }
      case TANH -> {
        for (int i = from; i < to; i++) {
          out[i] = ScalarMath.tanh(z[i]);
        }
      }
      case RELU -> {
        for (int i = from; i < to; i++) {
          out[i] = Math.max(z[i], 0f); // branch-free (vectorizes); NaN stays NaN
        }
      }
      case LEAKY_RELU -> {
        for (int i = from; i < to; i++) {
          out[i] = z[i] > 0f ? z[i] : alpha * z[i];
        }
      }
      case PRELU -> {
        for (int i = from; i < to; i++) {
          out[i] = z[i] > 0f ? z[i] : slopes[i % cols] * z[i];
        }
      }
      case RRELU -> {
        for (int i = from; i < to; i++) {
          out[i] = z[i] > 0f ? z[i] : slopes[i] * z[i];
        }
      }
      case ELU -> {
        for (int i = from; i < to; i++) {
          out[i] = exponentialUnit(z[i], alpha, 1f);
        }
      }
      case SELU -> {
        for (int i = from; i < to; i++) {
          out[i] = exponentialUnit(z[i], SELU_ALPHA, SELU_LAMBDA);
        }
      }
      case SOFTPLUS -> {
        for (int i = from; i < to; i++) {
          out[i] = softplus(z[i]);
        }
      }
      case SWISH -> {
        for (int i = from; i < to; i++) {
          out[i] = z[i] * ScalarMath.sigmoid(z[i]);
        }
      }
      case ABS -> {
        for (int i = from; i < to; i++) {
          out[i] = Math.abs(z[i]);
        }
      }
    }
  }

  /**
   * All ones where {@code z > 0} (+infinity included), else zero (negative, zero, NaN): the ReLU
   * derivative as a bit mask. Branch-free because the sign of a pre-activation is a coin toss that
   * defeats branch prediction; measured ten times faster than {@code z > 0 ? g : 0}. Positive
   * non-NaN floats are exactly the bit patterns 1 to 0x7f800000.
   */
  private static int positiveMask(float z) {
    int bits = Float.floatToRawIntBits(z);
    return (-bits & (bits - 0x7f800001)) >> 31;
  }

  /** {@code gradIn[i] = gradOut[i] * f'(z[i])} for i in [from, to); out is f(z). */
  static void backward(
      ActivationKind kind,
      float alpha,
      float[] slopes,
      float[] z,
      float[] out,
      float[] gradOut,
      float[] gradIn,
      int cols,
      int from,
      int to) {
    switch (kind) {
      case LINEAR -> {
        if (gradIn != gradOut) {
          System.arraycopy(gradOut, from, gradIn, from, to - from);
        }
      }
      case SIGMOID -> {
        for (int i = from; i < to; i++) {
          gradIn[i] = gradOut[i] * (out[i] * (1f - out[i]));
        }
      }
      case TANH -> {
        for (int i = from; i < to; i++) {
          gradIn[i] = gradOut[i] * (1f - out[i] * out[i]);
        }
      }
      case RELU -> {
        for (int i = from; i < to; i++) {
          gradIn[i] =
              Float.intBitsToFloat(Float.floatToRawIntBits(gradOut[i]) & positiveMask(z[i]));
        }
      }
      case LEAKY_RELU -> {
        for (int i = from; i < to; i++) {
          gradIn[i] = z[i] > 0f ? gradOut[i] : gradOut[i] * alpha;
        }
      }
      case PRELU -> {
        for (int i = from; i < to; i++) {
          gradIn[i] = z[i] > 0f ? gradOut[i] : gradOut[i] * slopes[i % cols];
        }
      }
      case RRELU -> {
        for (int i = from; i < to; i++) {
          gradIn[i] = z[i] > 0f ? gradOut[i] : gradOut[i] * slopes[i];
        }
      }
      case ELU, SELU -> {
        float negative = kind == ActivationKind.ELU ? alpha : SELU_LAMBDA * SELU_ALPHA;
        float positive = kind == ActivationKind.ELU ? 1f : SELU_LAMBDA;
        for (int i = from; i < to; i++) {
          gradIn[i] = gradOut[i] * (z[i] > 0f ? positive : ScalarMath.exp(z[i]) * negative);
        }
      }
      case SOFTPLUS -> {
        for (int i = from; i < to; i++) {
          gradIn[i] = gradOut[i] * ScalarMath.sigmoid(z[i]);
        }
      }
      case SWISH -> {
        for (int i = from; i < to; i++) {
          // d/dz z s(z) = s (1 + z (1 - s))
          float s = ScalarMath.sigmoid(z[i]);
          gradIn[i] = gradOut[i] * (s * (z[i] * (-s + 1f) + 1f));
        }
      }
      case ABS -> {
        for (int i = from; i < to; i++) {
          gradIn[i] = gradOut[i] * Math.signum(z[i]);
        }
      }
    }
  }

  /** The cost of one element in simple operations, to decide whether threads pay off. */
  static long cost(ActivationKind kind) {
    return switch (kind) {
      case LINEAR, RELU, LEAKY_RELU, PRELU, RRELU, ABS -> 1;
      default -> 20;
    };
  }
}
