package dev.dnn.nn;

import dev.dnn.backend.ActivationKind;
import dev.dnn.init.Init;
import java.util.Objects;

/**
 * An element-wise activation function as a layer.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param kind the function
 * @param alpha the leaky slope ({@link ActivationKind#LEAKY_RELU}), the saturation ({@link
 *     ActivationKind#ELU}) or the initial learned slope ({@link ActivationKind#PRELU}); 0 otherwise
 * @param lower the smallest random slope of {@link ActivationKind#RRELU}; 0 otherwise
 * @param upper the largest random slope of {@link ActivationKind#RRELU}; 0 otherwise
 */
public record Activation(ActivationKind kind, double alpha, double lower, double upper)
    implements LayerSpec {

  /** Identity. */
  public static final Activation LINEAR = of(ActivationKind.LINEAR);

  /** Logistic sigmoid. */
  public static final Activation SIGMOID = of(ActivationKind.SIGMOID);

  /** Hyperbolic tangent. */
  public static final Activation TANH = of(ActivationKind.TANH);

  /** Rectified linear unit. */
  public static final Activation RELU = of(ActivationKind.RELU);

  /** Leaky ReLU with slope 0.01. */
  public static final Activation LEAKY_RELU = of(ActivationKind.LEAKY_RELU);

  /** ELU with alpha 1. */
  public static final Activation ELU = of(ActivationKind.ELU);

  /** Self-normalizing SELU. */
  public static final Activation SELU = of(ActivationKind.SELU);

  /** Softplus {@code ln(1 + e^z)}. */
  public static final Activation SOFTPLUS = of(ActivationKind.SOFTPLUS);

  /** Swish (SiLU) {@code z sigmoid(z)}. */
  public static final Activation SWISH = of(ActivationKind.SWISH);

  /** Absolute-value rectification. */
  public static final Activation ABS = of(ActivationKind.ABS);

  /** PReLU: one learned negative slope per feature, starting at 0.25. */
  public static final Activation PRELU = of(ActivationKind.PRELU);

  /** Randomized leaky ReLU with slopes drawn from {@code U(1/8, 1/3)} while training. */
  public static final Activation RRELU = of(ActivationKind.RRELU);

  /** Validates the parameters. */
  public Activation {
    Objects.requireNonNull(kind, "kind");
    if (!Double.isFinite(alpha) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
      throw new IllegalArgumentException("activation parameters must be finite");
    }
    if (kind == ActivationKind.RRELU && !(0 <= lower && lower <= upper)) {
      throw new IllegalArgumentException(
          "randomized leaky ReLU needs 0 <= lower <= upper, got " + lower + ", " + upper);
    }
    if (kind == ActivationKind.ELU && alpha <= 0) {
      throw new IllegalArgumentException("ELU alpha must be positive, got " + alpha);
    }
  }

  /**
   * The function with its default parameters: leaky ReLU with slope 0.01, ELU with alpha 1, PReLU
   * starting at 0.25, RReLU with slopes from {@code U(1/8, 1/3)}.
   */
  public static Activation of(ActivationKind kind) {
    return switch (kind) {
      case LEAKY_RELU -> leakyRelu(0.01);
      case ELU -> elu(1.0);
      case PRELU -> prelu(0.25);
      case RRELU -> randomizedLeakyRelu(1.0 / 8, 1.0 / 3);
      case LINEAR, SIGMOID, TANH, RELU, SELU, SOFTPLUS, SWISH, ABS -> new Activation(kind, 0, 0, 0);
    };
  }

  /**
   * The weight initialization that keeps the variance of activations steady through layers of
   * {@code kind}: He for the rectifier family, LeCun for SELU (as self-normalization requires),
   * Glorot for the saturating and linear functions.
   */
  public static Init suitedInit(ActivationKind kind) {
    return switch (kind) {
      case RELU, LEAKY_RELU, PRELU, RRELU, ELU, SOFTPLUS, SWISH, ABS -> Init.HE_NORMAL;
      case SELU -> Init.LECUN_NORMAL;
      case LINEAR, SIGMOID, TANH -> Init.GLOROT_UNIFORM;
    };
  }

  /** Leaky ReLU with the given negative slope. */
  public static Activation leakyRelu(double slope) {
    return new Activation(ActivationKind.LEAKY_RELU, slope, 0, 0);
  }

  /** ELU with the given alpha. */
  public static Activation elu(double alpha) {
    return new Activation(ActivationKind.ELU, alpha, 0, 0);
  }

  /** PReLU with learned per-feature slopes starting at {@code initialSlope}. */
  public static Activation prelu(double initialSlope) {
    return new Activation(ActivationKind.PRELU, initialSlope, 0, 0);
  }

  /**
   * Randomized leaky ReLU: slopes drawn per element from {@code U(lower, upper)} while training,
   * their mean {@code (lower + upper) / 2} at inference.
   */
  public static Activation randomizedLeakyRelu(double lower, double upper) {
    return new Activation(ActivationKind.RRELU, 0, lower, upper);
  }

  /** The scalar the kernels receive. */
  float kernelAlpha() {
    return kind == ActivationKind.RRELU ? (float) ((lower + upper) / 2) : (float) alpha;
  }

  @Override
  public int outputWidth(int inputs) {
    return inputs;
  }

  /** PReLU learns one slope per feature; the other activations keep nothing. */
  @Override
  public long storedValues(int inputs) {
    return kind == ActivationKind.PRELU ? inputs : 0;
  }
}
