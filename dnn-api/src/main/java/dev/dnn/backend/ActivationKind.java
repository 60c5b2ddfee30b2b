package dev.dnn.backend;

import dev.dnn.names.NameRegistry;
import java.util.List;
import java.util.Map;

/**
 * The element-wise activation functions every backend implements in its fused bias + activation
 * kernels. The {@link #code()} of each is part of the native kernel contract ({@code
 * native/include/dnn_kernels.h}) and must never change.
 *
 * <p>Parameterized functions read their scalar from the {@code alpha} argument of {@link
 * Backend#biasActivationForward}: the negative slope of {@link #LEAKY_RELU}, the saturation of
 * {@link #ELU}. {@link #PRELU} reads one learned slope per column, {@link #RRELU} one slope per
 * element, from the {@code slopes} tensor.
 *
 * <p>Derivatives at the kinks follow PyTorch: ReLU and absolute value have derivative 0 at 0, leaky
 * ReLU, PReLU and RReLU the negative slope.
 *
 * <p>Each function is named by its constant in lower case with {@code -} for {@code _} ({@code
 * leaky-relu}); {@link #named} reads any such spelling, for the command line, model files and
 * architecture JSON alike.
 *
 * <p>Immutable and safe to share between threads.
 */
public enum ActivationKind {
  /** f(z) = z. */
  LINEAR(0),
  /** f(z) = 1 / (1 + e^-z). */
  SIGMOID(1),
  /** f(z) = tanh(z). */
  TANH(2),
  /** f(z) = max(0, z). */
  RELU(3),
  /** f(z) = z for z &gt; 0, alpha z otherwise. */
  LEAKY_RELU(4),
  /** f(z) = z for z &gt; 0, slope[col] z otherwise; the slopes are learned. */
  PRELU(5),
  /** f(z) = z for z &gt; 0, slope[row, col] z otherwise; slopes drawn at random while training. */
  RRELU(6),
  /** f(z) = z for z &gt; 0, alpha (e^z - 1) otherwise. */
  ELU(7),
  /** f(z) = lambda z for z &gt; 0, lambda alpha (e^z - 1) otherwise, with the SELU constants. */
  SELU(8),
  /** f(z) = ln(1 + e^z), computed without overflow. */
  SOFTPLUS(9),
  /** f(z) = z sigmoid(z) (also called SiLU). */
  SWISH(10),
  /** f(z) = |z| (absolute-value rectification). */
  ABS(11);

  /** SELU's alpha (Klambauer et al. 2017). */
  public static final double SELU_ALPHA = 1.6732632423543772848170429916717;

  /** SELU's lambda (Klambauer et al. 2017). */
  public static final double SELU_LAMBDA = 1.0507009873554804934193349852946;

  private static final NameRegistry<ActivationKind> NAMES =
      NameRegistry.ofEnum("activation", ActivationKind.class, Map.of());

  private final int code;

  ActivationKind(int code) {
    this.code = code;
  }

  /**
   * The function of a name such as {@code relu}, {@code leaky-relu} or {@code LEAKY_RELU}.
   *
   * @throws IllegalArgumentException naming the unknown name and listing the valid ones
   */
  public static ActivationKind named(String name) {
    return NAMES.named(name);
  }

  /** The canonical names of every function, in declaration order. */
  public static List<String> names() {
    return NAMES.names();
  }

  /** The canonical name of this function, such as {@code leaky-relu}. */
  public String registeredName() {
    return NAMES.nameOf(this);
  }

  /**
   * The stable integer identifier of this function in native kernels ({@code DNN_ACT_*} in {@code
   * native/include/dnn_kernels.h}): part of the backend SPI, for a backend that passes the function
   * to compiled code; Java backends switch over the constant itself.
   */
  public int code() {
    return code;
  }

  /** Whether this function reads the per-column or per-element {@code slopes} tensor. */
  public boolean usesSlopes() {
    return this == PRELU || this == RRELU;
  }
}
