package dev.dnn.backend;

import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;

/**
 * The argument checks of the kernel contract, made once for every {@link Backend}: one method per
 * op of {@code Backend} (same name) that checks shapes, sizes, counts, aliasing and scalar ranges,
 * and {@link #owned} and {@link #open}, which check that a tensor belongs to the backend and that
 * neither it nor the backend was closed. A backend calls them before it touches memory and keeps
 * only its arithmetic, so that every backend rejects the same input with the same exception and the
 * same message: the op, the argument and the shapes.
 *
 * <p>The exception types follow the rule documented on {@link Backend}: a wrong argument (null, of
 * another backend, of the wrong shape or size, a scalar out of range) is an {@link
 * IllegalArgumentException}; a tensor or backend used after it was closed is an {@link
 * IllegalStateException}.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class KernelChecks {
  private KernelChecks() {}

  // ---------------------------------------------------------------- ownership and life cycle

  /**
   * Checks that {@code backend}, about to run an op, was not closed.
   *
   * @throws IllegalStateException if it was
   */
  public static void open(Backend backend, boolean closed) {
    if (closed) {
      throw new IllegalStateException("the " + backend.name() + " backend is closed");
    }
  }

  /**
   * The argument {@code operand} of {@code op}, checked to be a tensor of {@code type} that {@code
   * owner} created and that is still open.
   *
   * @throws IllegalArgumentException if it is null or belongs to another backend (another instance
   *     of the same backend included: memory is never shared between instances)
   * @throws IllegalStateException if it was closed
   */
  public static <T extends Tensor> T owned(
      String op, String operand, Tensor t, Backend owner, Class<T> type) {
    if (t == null) {
      throw new IllegalArgumentException(op + ": " + operand + " is null");
    }
    Backend creator = t.backend();
    if (creator != owner || !type.isInstance(t)) {
      String whose =
          creator == null
              ? "no backend"
              : creator.name().equals(owner.name())
                  ? "another " + creator.name() + " backend"
                  : "the " + creator.name() + " backend";
      throw new IllegalArgumentException(
          op
              + ": "
              + operand
              + " "
              + t.shape()
              + " belongs to "
              + whose
              + ", not to this backend ("
              + owner.name()
              + "); copy it through the host first");
    }
    if (t.isClosed()) {
      throw new IllegalStateException(
          op + ": " + operand + " " + t.shape() + " was closed (used after close)");
    }
    return type.cast(t);
  }

  // ---------------------------------------------------------------- memory

  /** Checks that {@code data} fills {@code shape} exactly. */
  public static void fromHost(float[] data, Shape shape) {
    if (data == null) {
      throw new IllegalArgumentException("fromHost: data is null");
    }
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(
          "fromHost: " + data.length + " floats do not fill shape " + shape);
    }
  }

  /**
   * Checks that {@code count} floats from {@code offset} lie inside the host array {@code host},
   * the argument {@code operand} of {@code op} ({@code copyFromHost}, {@code copyToHost}).
   */
  public static void hostRange(String op, String operand, float[] host, int offset, int count) {
    if (host == null) {
      throw new IllegalArgumentException(op + ": " + operand + " is null");
    }
    if (offset < 0 || (long) offset + count > host.length) {
      throw new IllegalArgumentException(
          op
              + ": "
              + count
              + " floats at offset "
              + offset
              + " overrun the host array "
              + operand
              + " of "
              + host.length);
    }
  }

  // ---------------------------------------------------------------- dense algebra

  /**
   * Checks {@link Backend#gemm}: op(A) op(B) fits C, and C aliases neither. Returns the depth
   * {@code k} of the product (op(A) is m x k, op(B) k x n; m and n are C's rows and columns): a
   * number, not a size object, which a caller that the JIT does not inline it into would allocate
   * on every product.
   */
  public static int gemm(boolean transposeA, boolean transposeB, Tensor a, Tensor b, Tensor c) {
    notNull("gemm", "A", a);
    notNull("gemm", "B", b);
    notNull("gemm", "C", c);
    int m = transposeA ? a.shape().cols() : a.shape().rows();
    int k = transposeA ? a.shape().rows() : a.shape().cols();
    int kb = transposeB ? b.shape().cols() : b.shape().rows();
    int n = transposeB ? b.shape().rows() : b.shape().cols();
    if (k != kb || c.shape().rows() != m || c.shape().cols() != n) {
      throw new IllegalArgumentException(
          "gemm: "
              + (transposeA ? "A^T" : "A")
              + " of "
              + a.shape()
              + " times "
              + (transposeB ? "B^T" : "B")
              + " of "
              + b.shape()
              + " does not give C of "
              + c.shape());
    }
    if (c == a || c == b) {
      // A and B are read while C is written: an aliased C gives silently wrong results.
      throw new IllegalArgumentException("gemm: C must not alias A or B");
    }
    return k;
  }

  // ---------------------------------------------------------------- element-wise

  /** Checks {@link Backend#copy}. */
  public static void copy(Tensor src, Tensor dst) {
    sameSize("copy", "dst", dst, "src", src);
  }

  /** Checks {@link Backend#axpy}. */
  public static void axpy(Tensor x, Tensor y) {
    sameSize("axpy", "y", y, "x", x);
  }

  /** Checks {@link Backend#add}. */
  public static void add(Tensor a, Tensor b, Tensor out) {
    sameSize("add", "b", b, "a", a);
    sameSize("add", "out", out, "a", a);
  }

  /** Checks {@link Backend#multiply}. */
  public static void multiply(Tensor a, Tensor b, Tensor out) {
    sameSize("multiply", "b", b, "a", a);
    sameSize("multiply", "out", out, "a", a);
  }

  /** Checks {@link Backend#columnSums}. */
  public static void columnSums(Tensor x, Tensor out) {
    notNull("columnSums", "x", x);
    expectSize("columnSums", "out", out, x.shape().cols(), x);
  }

  // ---------------------------------------------------------------- activations

  private static final String[] BIAS_ACTIVATION_FORWARD_OPS = opNames("biasActivationForward");
  private static final String[] ACTIVATION_BACKWARD_OPS = opNames("activationBackward");

  private static String[] opNames(String kernel) {
    ActivationKind[] kinds = ActivationKind.values();
    String[] names = new String[kinds.length];
    for (ActivationKind kind : kinds) {
      names[kind.ordinal()] = kernel + "(" + kind + ")";
    }
    return names;
  }

  /**
   * The op name {@link #biasActivationForward} takes, {@code "biasActivationForward(RELU)"}: made
   * once per kind, so that a forward pass builds no string.
   */
  public static String biasActivationForwardOp(ActivationKind kind) {
    return kind == null
        ? "biasActivationForward(null)"
        : BIAS_ACTIVATION_FORWARD_OPS[kind.ordinal()];
  }

  /** The op name {@link #activationBackward} takes, as {@link #biasActivationForwardOp}. */
  public static String activationBackwardOp(ActivationKind kind) {
    return kind == null ? "activationBackward(null)" : ACTIVATION_BACKWARD_OPS[kind.ordinal()];
  }

  /** Checks {@link Backend#biasActivationForward}; the op's name includes the kind. */
  public static void biasActivationForward(
      String op, ActivationKind kind, Tensor slopes, Tensor z, Tensor bias, Tensor out) {
    sameSize(op, "out", out, "z", z);
    if (out == z && kind != ActivationKind.LINEAR) {
      throw new IllegalArgumentException(
          op + ": out may alias z only for LINEAR, since z keeps the pre-activation");
    }
    if (bias != null) {
      expectSize(op, "bias", bias, z.shape().cols(), z);
    }
    slopes(op, kind, slopes, z);
  }

  /** Checks {@link Backend#activationBackward}; the op's name includes the kind. */
  public static void activationBackward(
      String op,
      ActivationKind kind,
      Tensor slopes,
      Tensor z,
      Tensor out,
      Tensor gradOut,
      Tensor gradIn) {
    sameSize(op, "out", out, "z", z);
    sameSize(op, "gradOut", gradOut, "z", z);
    sameSize(op, "gradIn", gradIn, "z", z);
    slopes(op, kind, slopes, z);
  }

  /** Checks {@link Backend#preluSlopeGradient}. */
  public static void preluSlopeGradient(Tensor z, Tensor gradOut, Tensor gradSlopes) {
    String op = "preluSlopeGradient";
    sameSize(op, "gradOut", gradOut, "z", z);
    expectSize(op, "gradSlopes", gradSlopes, z.shape().cols(), z);
  }

  /**
   * Checks {@link Backend#maxoutForward}.
   *
   * @return the number of rows
   */
  public static int maxoutForward(Tensor z, int pieces, Tensor out, Tensor argmax) {
    String op = "maxoutForward";
    notNull(op, "z", z);
    sameSize(op, "argmax", argmax, "out", out);
    return maxout(op, "z", z, pieces, "out", out);
  }

  /**
   * Checks {@link Backend#maxoutBackward}.
   *
   * @return the number of rows
   */
  public static int maxoutBackward(Tensor gradOut, Tensor argmax, int pieces, Tensor gradIn) {
    String op = "maxoutBackward";
    notNull(op, "gradIn", gradIn);
    sameSize(op, "argmax", argmax, "gradOut", gradOut);
    return maxout(op, "gradIn", gradIn, pieces, "gradOut", gradOut);
  }

  // ---------------------------------------------------------------- dropout

  /** Checks {@link Backend#dropoutForward}. */
  public static void dropoutForward(Tensor x, float keepProbability, Tensor mask, Tensor out) {
    String op = "dropoutForward";
    if (!(keepProbability > 0f && keepProbability <= 1f)) {
      throw new IllegalArgumentException(
          op + ": keep probability " + keepProbability + " is not in (0, 1]");
    }
    sameSize(op, "mask", mask, "x", x);
    sameSize(op, "out", out, "x", x);
  }

  /** Checks {@link Backend#dropoutBackward}. */
  public static void dropoutBackward(Tensor gradOut, Tensor mask, Tensor gradIn) {
    String op = "dropoutBackward";
    sameSize(op, "mask", mask, "gradOut", gradOut);
    sameSize(op, "gradIn", gradIn, "gradOut", gradOut);
  }

  // ---------------------------------------------------------------- losses

  /** Checks {@link Backend#softmax}. */
  public static void softmax(Tensor logits, Tensor out) {
    sameSize("softmax", "out", out, "logits", logits);
  }

  /** Checks {@link Backend#softmaxCrossEntropy}. */
  public static void softmaxCrossEntropy(
      Tensor logits, Tensor labels, Tensor gradLogits, Tensor lossSum) {
    String op = "softmaxCrossEntropy";
    sameSize(op, "gradLogits", gradLogits, "logits", logits);
    expectSize(op, "labels", labels, logits.shape().rows(), logits);
    expectScalar(op, "lossSum", lossSum);
  }

  /** Checks {@link Backend#sigmoidBinaryCrossEntropy}. */
  public static void sigmoidBinaryCrossEntropy(
      Tensor logits, Tensor targets, Tensor gradLogits, Tensor lossSum) {
    String op = "sigmoidBinaryCrossEntropy";
    sameSize(op, "targets", targets, "logits", logits);
    sameSize(op, "gradLogits", gradLogits, "logits", logits);
    expectScalar(op, "lossSum", lossSum);
  }

  /** Checks {@link Backend#meanSquaredError}. */
  public static void meanSquaredError(
      Tensor predictions, Tensor targets, Tensor grad, Tensor lossSum) {
    String op = "meanSquaredError";
    sameSize(op, "targets", targets, "predictions", predictions);
    sameSize(op, "grad", grad, "predictions", predictions);
    expectScalar(op, "lossSum", lossSum);
  }

  // ---------------------------------------------------------------- reductions

  /** Checks {@link Backend#argmaxRows}. */
  public static void argmaxRows(Tensor x, Tensor out) {
    notNull("argmaxRows", "x", x);
    expectSize("argmaxRows", "out", out, x.shape().rows(), x);
  }

  /** Checks {@link Backend#countCorrect}. */
  public static void countCorrect(Tensor scores, Tensor labels, Tensor count) {
    notNull("countCorrect", "scores", scores);
    expectSize("countCorrect", "labels", labels, scores.shape().rows(), scores);
    expectScalar("countCorrect", "count", count);
  }

  // ---------------------------------------------------------------- batch normalization

  /**
   * Checks {@link Backend#batchNormForward}: the per-feature tensors hold one element per column of
   * {@code x}; in training, the saved statistics too, and {@code x} has more than one row (the
   * running variance of one row has no unbiased estimate). Inference ignores the saved tensors.
   */
  public static void batchNormForward(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      Tensor savedMean,
      Tensor savedInvStd,
      Tensor out) {
    String op = "batchNormForward";
    sameSize(op, "out", out, "x", x);
    int cols = x.shape().cols();
    expectSize(op, "gamma", gamma, cols, x);
    expectSize(op, "beta", beta, cols, x);
    expectSize(op, "runningMean", runningMean, cols, x);
    expectSize(op, "runningVar", runningVar, cols, x);
    if (training) {
      expectSize(op, "savedMean", savedMean, cols, x);
      expectSize(op, "savedInvStd", savedInvStd, cols, x);
      if (x.shape().rows() < 2) {
        throw new IllegalArgumentException(
            op
                + ": training needs more than one row per feature to estimate a variance, got x "
                + x.shape());
      }
    }
  }

  /** Checks {@link Backend#batchNormBackward}. */
  public static void batchNormBackward(
      Tensor x,
      Tensor gradOut,
      Tensor gamma,
      Tensor savedMean,
      Tensor savedInvStd,
      Tensor gradIn,
      Tensor gradGamma,
      Tensor gradBeta) {
    String op = "batchNormBackward";
    sameSize(op, "gradOut", gradOut, "x", x);
    sameSize(op, "gradIn", gradIn, "x", x);
    int cols = x.shape().cols();
    expectSize(op, "gamma", gamma, cols, x);
    expectSize(op, "savedMean", savedMean, cols, x);
    expectSize(op, "savedInvStd", savedInvStd, cols, x);
    expectSize(op, "gradGamma", gradGamma, cols, x);
    expectSize(op, "gradBeta", gradBeta, cols, x);
  }

  // ---------------------------------------------------------------- optimizer updates

  /** Checks {@link Backend#sgdUpdate}. */
  public static void sgdUpdate(Tensor param, Tensor grad, SgdStep step) {
    hyperparameters("sgdUpdate", step);
    sameSize("sgdUpdate", "grad", grad, "param", param);
  }

  /** Checks {@link Backend#momentumUpdate}. */
  public static void momentumUpdate(Tensor param, Tensor grad, Tensor velocity, MomentumStep step) {
    hyperparameters("momentumUpdate", step);
    sameSize("momentumUpdate", "grad", grad, "param", param);
    sameSize("momentumUpdate", "velocity", velocity, "param", param);
  }

  /** Checks {@link Backend#adaGradUpdate}. */
  public static void adaGradUpdate(Tensor param, Tensor grad, Tensor sumSquares, AdaGradStep step) {
    hyperparameters("adaGradUpdate", step);
    sameSize("adaGradUpdate", "grad", grad, "param", param);
    sameSize("adaGradUpdate", "sumSquares", sumSquares, "param", param);
  }

  /** Checks {@link Backend#rmsPropUpdate}. */
  public static void rmsPropUpdate(
      Tensor param, Tensor grad, Tensor meanSquares, RmsPropStep step) {
    hyperparameters("rmsPropUpdate", step);
    sameSize("rmsPropUpdate", "grad", grad, "param", param);
    sameSize("rmsPropUpdate", "meanSquares", meanSquares, "param", param);
  }

  /** Checks {@link Backend#adamUpdate}, the step count of {@code step} included. */
  public static void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
    String op = "adamUpdate";
    hyperparameters(op, step);
    if (step.step() < 1) {
      throw new IllegalArgumentException(op + ": step " + step.step() + " must be at least 1");
    }
    moments(op, param, grad, m, v);
  }

  /** Checks {@link Backend#nadamUpdate}. */
  public static void nadamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, NadamStep step) {
    hyperparameters("nadamUpdate", step);
    moments("nadamUpdate", param, grad, m, v);
  }

  // ---------------------------------------------------------------- building blocks

  /**
   * Checks that {@code t}, the argument {@code operand} of {@code op}, holds as many elements as
   * {@code reference}, the argument {@code referenceName}.
   *
   * @throws IllegalArgumentException naming the op, both arguments and both shapes, or if either is
   *     null
   */
  public static void sameSize(
      String op, String operand, Tensor t, String referenceName, Tensor reference) {
    notNull(op, referenceName, reference);
    notNull(op, operand, t);
    if (t.size() != reference.size()) {
      throw new IllegalArgumentException(
          op
              + ": "
              + operand
              + " "
              + t.shape()
              + " does not hold the "
              + reference.size()
              + " elements of "
              + referenceName
              + " "
              + reference.shape());
    }
  }

  /**
   * Checks that {@code t}, the argument {@code operand} of {@code op}, holds {@code size} elements,
   * the count that the shape of {@code of} asks for.
   *
   * @throws IllegalArgumentException naming the op, the argument and both shapes
   */
  public static void expectSize(String op, String operand, Tensor t, int size, Tensor of) {
    notNull(op, operand, t);
    if (t.size() != size) {
      throw new IllegalArgumentException(
          op
              + ": "
              + operand
              + " has shape "
              + t.shape()
              + ", expected "
              + size
              + " elements for "
              + of.shape());
    }
  }

  /**
   * Checks that {@code t}, an output total of {@code op}, has at least one element.
   *
   * @throws IllegalArgumentException naming the op and the argument
   */
  public static void expectScalar(String op, String operand, Tensor t) {
    notNull(op, operand, t);
    if (t.size() < 1) {
      throw new IllegalArgumentException(
          op + ": " + operand + " " + t.shape() + " needs at least one element");
    }
  }

  private static void notNull(String op, String operand, Tensor t) {
    if (t == null) {
      throw new IllegalArgumentException(op + ": " + operand + " is null");
    }
  }

  /** The record of an optimizer update's hyperparameters, which a null would leave undefined. */
  private static void hyperparameters(String op, Record step) {
    if (step == null) {
      throw new IllegalArgumentException(op + ": step (the hyperparameters) is null");
    }
  }

  /** The slopes of a PReLU (one per column) or RReLU (one per element); others take none. */
  private static void slopes(String op, ActivationKind kind, Tensor slopes, Tensor z) {
    if (kind == ActivationKind.PRELU) {
      expectSize(op, "slopes", slopes, z.shape().cols(), z);
    } else if (kind == ActivationKind.RRELU) {
      expectSize(op, "slopes", slopes, z.size(), z);
    }
  }

  /** Checks that {@code wide} is {@code narrow} with {@code pieces} columns per column. */
  private static int maxout(
      String op, String wideName, Tensor wide, int pieces, String narrowName, Tensor narrow) {
    if (pieces < 1) {
      throw new IllegalArgumentException(op + ": pieces " + pieces + " must be at least 1");
    }
    int rows = narrow.shape().rows();
    if (wide.shape().rows() != rows
        || wide.shape().cols() != (long) narrow.shape().cols() * pieces) {
      throw new IllegalArgumentException(
          op
              + ": "
              + wideName
              + " "
              + wide.shape()
              + " is not "
              + narrowName
              + " "
              + narrow.shape()
              + " with "
              + pieces
              + " pieces per unit");
    }
    return rows;
  }

  private static void moments(String op, Tensor param, Tensor grad, Tensor m, Tensor v) {
    sameSize(op, "grad", grad, "param", param);
    sameSize(op, "m", m, "param", param);
    sameSize(op, "v", v, "param", param);
  }
}
