package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;

/**
 * Element-wise activation functions and their derivatives over array ranges. Derivatives at the
 * kinks follow PyTorch: 0 for ReLU and |z| at 0, the negative slope for the leaky variants, and
 * ELU/SELU use their negative branch at 0. Exponentials are evaluated in double and in forms that
 * cannot overflow.
 */
final class Activations {
  private static final double SELU_ALPHA = ActivationKind.SELU_ALPHA;
  private static final double SELU_LAMBDA = ActivationKind.SELU_LAMBDA;

  private Activations() {}

  /** The logistic function, without overflow for any z. */
  static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }

  /**
   * tanh through one exponential: on JDK 17 {@code Math.exp} is a fast intrinsic and {@code
   * Math.tanh} is not (about 40 ns a call). Relative error stays near 1e-13, far below float32's:
   * the cancellation in {@code 1 - e} costs at most 1e-16 / (2|z|) for |z| >= 2^-10, and below that
   * the series' first dropped term is 2 z^4 / 15 relative.
   */
  static double tanh(double z) {
    double a = Math.abs(z);
    if (a < 0x1p-10) {
      return z - z * z * z / 3.0;
    }
    if (a > 20.0) {
      return Math.copySign(1.0, z); // 1 - tanh(20) < 1e-17
    }
    double e = Math.exp(-2.0 * a);
    return Math.copySign((1.0 - e) / (1.0 + e), z);
  }

  /** ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|), without overflow for any z. */
  static double softplus(double z) {
    return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
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
          out[i] = (float) sigmoid(z[i]);
        }
      }
      case TANH -> {
        for (int i = from; i < to; i++) {
          out[i] = (float) tanh(z[i]);
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
          out[i] = z[i] > 0f ? z[i] : (float) (alpha * Math.expm1(z[i]));
        }
      }
      case SELU -> {
        for (int i = from; i < to; i++) {
          double v = z[i] > 0f ? z[i] : SELU_ALPHA * Math.expm1(z[i]);
          out[i] = (float) (SELU_LAMBDA * v);
        }
      }
      case SOFTPLUS -> {
        for (int i = from; i < to; i++) {
          out[i] = (float) softplus(z[i]);
        }
      }
      case SWISH -> {
        for (int i = from; i < to; i++) {
          out[i] = (float) (z[i] * sigmoid(z[i]));
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
      case ELU -> {
        for (int i = from; i < to; i++) {
          gradIn[i] = z[i] > 0f ? gradOut[i] : (float) (gradOut[i] * alpha * Math.exp(z[i]));
        }
      }
      case SELU -> {
        for (int i = from; i < to; i++) {
          double d = z[i] > 0f ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(z[i]);
          gradIn[i] = (float) (gradOut[i] * d);
        }
      }
      case SOFTPLUS -> {
        for (int i = from; i < to; i++) {
          gradIn[i] = (float) (gradOut[i] * sigmoid(z[i]));
        }
      }
      case SWISH -> {
        for (int i = from; i < to; i++) {
          double s = sigmoid(z[i]);
          gradIn[i] = (float) (gradOut[i] * (s * (1.0 + z[i] * (1.0 - s))));
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
