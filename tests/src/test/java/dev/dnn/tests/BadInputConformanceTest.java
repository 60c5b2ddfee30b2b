package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.AdamStep;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import dev.dnn.backend.MomentumStep;
import dev.dnn.backend.SgdStep;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is rejected as {@link Backend} documents, the same way on every backend: shape
 * mismatches in every op family, aliasing, scalars out of range, null tensors, host ranges and
 * tensors of another backend are an {@link IllegalArgumentException} naming the operation, the
 * argument and the shapes; a closed tensor or backend is an {@link IllegalStateException}.
 */
class BadInputConformanceTest {

  /**
   * Asserts an IllegalArgumentException whose message names {@code op} (spaces, underscores and
   * case ignored, so "columnSums" matches "column sums"), the argument {@code argument} (as a word)
   * and every shape in {@code shapes}.
   */
  private static void assertRejected(String op, String argument, Executable call, Shape... shapes) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, op);
    String message = String.valueOf(e.getMessage());
    String squashed = message.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]", "");
    assertTrue(
        squashed.contains(op.toLowerCase(Locale.ROOT)),
        op + ": the message does not name the operation: " + message);
    assertTrue(
        Pattern.compile("\\b" + Pattern.quote(argument) + "\\b").matcher(message).find(),
        op + ": the message does not name the argument " + argument + ": " + message);
    for (Shape shape : shapes) {
      assertTrue(
          message.replace(" ", "").contains(shape.toString().replace(" ", "")),
          op + ": the message does not name the shape " + shape + ": " + message);
    }
  }

  /** Asserts an exception of exactly {@code type} whose message contains every fragment. */
  private static <T extends Throwable> void assertThrowsWith(
      Class<T> type, Executable call, String... fragments) {
    T e = assertThrowsExactly(type, call, String.join(" ", fragments));
    String message = String.valueOf(e.getMessage());
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), "'" + fragment + "' is not in: " + message);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void gemmShapes(Backend b) {
    try (TensorScope s = new TensorScope(b)) {
      Tensor a = s.zeros(3, 4);
      Tensor x = s.zeros(5, 6);
      Tensor c = s.zeros(3, 6);
      assertRejected(
          "gemm", "C", () -> b.gemm(false, false, 1f, a, x, 0f, c), Shape.of(3, 4), Shape.of(5, 6));
      Tensor bOk = s.zeros(4, 6);
      Tensor cBad = s.zeros(6, 3);
      assertRejected("gemm", "C", () -> b.gemm(false, false, 1f, a, bOk, 0f, cBad), Shape.of(6, 3));
      // Transposed: op(A) is [4, 3], so B [4, 6] no longer fits.
      assertRejected("gemm", "A", () -> b.gemm(true, false, 1f, a, bOk, 0f, c), Shape.of(3, 4));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void elementwiseSizes(Backend b) {
    try (TensorScope s = new TensorScope(b)) {
      Tensor x = s.zeros(3, 4);
      Tensor y = s.zeros(4, 4);
      Shape sx = Shape.of(3, 4);
      Shape sy = Shape.of(4, 4);
      assertRejected("copy", "dst", () -> b.copy(x, y), sx, sy);
      assertRejected("axpy", "y", () -> b.axpy(1f, x, y), sx, sy);
      assertRejected("add", "b", () -> b.add(x, y, x), sx, sy);
      assertRejected("multiply", "out", () -> b.multiply(x, x, y), sy);
      assertRejected("columnSums", "out", () -> b.columnSums(x, 0f, s.zeros(3)), Shape.of(3));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void activationShapes(Backend b) {
    try (TensorScope s = new TensorScope(b)) {
      Tensor z = s.zeros(3, 4);
      Tensor out = s.zeros(3, 4);
      Tensor wrong = s.zeros(4, 5);
      assertRejected(
          "biasActivationForward",
          "bias",
          () -> b.biasActivationForward(ActivationKind.RELU, 0f, null, z, s.zeros(3), out),
          Shape.of(3));
      assertRejected(
          "biasActivationForward",
          "out",
          () -> b.biasActivationForward(ActivationKind.TANH, 0f, null, z, null, wrong),
          Shape.of(4, 5));
      assertRejected(
          "biasActivationForward",
          "slopes",
          () -> b.biasActivationForward(ActivationKind.PRELU, 0f, s.zeros(3), z, null, out),
          Shape.of(3));
      assertRejected(
          "activationBackward",
          "gradOut",
          () -> b.activationBackward(ActivationKind.SIGMOID, 0f, null, z, out, wrong, out),
          Shape.of(4, 5));
      assertRejected(
          "preluSlopeGradient",
          "gradSlopes",
          () -> b.preluSlopeGradient(z, out, 0f, s.zeros(5)),
          Shape.of(5));
      assertRejected(
          "maxoutForward",
          "z",
          () -> b.maxoutForward(z, 3, s.zeros(3, 2), s.zeros(3, 2)),
          Shape.of(3, 4));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void dropoutLossAndReductionShapes(Backend b) {
    try (TensorScope s = new TensorScope(b)) {
      Tensor x = s.zeros(3, 4);
      Tensor wrong = s.zeros(4, 5);
      Tensor loss = s.zeros(1);
      assertRejected(
          "dropoutForward",
          "mask",
          () -> b.dropoutForward(x, 0.5f, 1, 2, wrong, x),
          Shape.of(4, 5));
      assertRejected(
          "softmaxCrossEntropy",
          "labels",
          () -> b.softmaxCrossEntropy(x, s.zeros(4), s.zeros(3, 4), loss),
          Shape.of(4));
      assertRejected(
          "sigmoidBinaryCrossEntropy",
          "targets",
          () -> b.sigmoidBinaryCrossEntropy(x, wrong, s.zeros(3, 4), loss),
          Shape.of(4, 5));
      assertRejected(
          "meanSquaredError",
          "grad",
          () -> b.meanSquaredError(x, s.zeros(3, 4), wrong, loss),
          Shape.of(4, 5));
      assertRejected("argmaxRows", "out", () -> b.argmaxRows(x, s.zeros(4)), Shape.of(4));
      assertRejected(
          "countCorrect", "labels", () -> b.countCorrect(x, s.zeros(2), s.zeros(1)), Shape.of(2));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void batchNormAndOptimizerShapes(Backend b) {
    try (TensorScope s = new TensorScope(b)) {
      Tensor x = s.zeros(3, 4);
      Tensor c = s.zeros(4);
      assertRejected(
          "batchNormForward",
          "gamma",
          () -> b.batchNormForward(x, s.zeros(3), c, c, c, 0.1f, 1e-5f, true, c, c, s.zeros(3, 4)),
          Shape.of(3));
      assertRejected(
          "batchNormBackward",
          "gradOut",
          () -> b.batchNormBackward(x, s.zeros(4, 5), c, c, c, s.zeros(3, 4), c, c),
          Shape.of(4, 5));
      Tensor p = s.zeros(5);
      Tensor g = s.zeros(6);
      assertRejected(
          "sgdUpdate", "grad", () -> b.sgdUpdate(p, g, new SgdStep(0.1f, 0f, 0f)), Shape.of(6));
      assertRejected(
          "momentumUpdate",
          "velocity",
          () -> b.momentumUpdate(p, s.zeros(5), g, new MomentumStep(0.1f, 0.9f, false, 0f, 0f)),
          Shape.of(6));
      assertRejected(
          "adamUpdate",
          "v",
          () ->
              b.adamUpdate(
                  p, s.zeros(5), s.zeros(5), g, new AdamStep(0.1f, 0.9f, 0.99f, 1e-8f, 1, 0f, 0f)),
          Shape.of(6));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void nullOptimizerHyperparameters(Backend b) {
    try (TensorScope s = new TensorScope(b)) {
      Tensor p = s.zeros(5);
      Tensor g = s.zeros(5);
      Tensor m = s.zeros(5);
      Tensor v = s.zeros(5);
      String isNull = ": step (the hyperparameters) is null";
      assertThrowsWith(
          IllegalArgumentException.class, () -> b.sgdUpdate(p, g, null), "sgdUpdate" + isNull);
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.momentumUpdate(p, g, m, null),
          "momentumUpdate" + isNull);
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.adaGradUpdate(p, g, m, null),
          "adaGradUpdate" + isNull);
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.rmsPropUpdate(p, g, m, null),
          "rmsPropUpdate" + isNull);
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.adamUpdate(p, g, m, v, null),
          "adamUpdate" + isNull);
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.nadamUpdate(p, g, m, v, null),
          "nadamUpdate" + isNull);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aliasingAndScalarsOutOfRange(Backend b) {
    try (TensorScope s = new TensorScope(b)) {
      Tensor a = s.zeros(3, 3);
      Tensor x = s.zeros(3, 4);
      Tensor c = s.zeros(3, 4);
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.gemm(false, false, 1f, a, a, 0f, a),
          "gemm: C must not alias A or B");
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.biasActivationForward(ActivationKind.RELU, 0f, null, x, null, x),
          "biasActivationForward(RELU): out may alias z only for LINEAR");
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.dropoutForward(x, 0f, 1, 2, c, x),
          "dropoutForward: keep probability 0.0 is not in (0, 1]");
      Tensor p = s.zeros(5);
      assertThrowsWith(
          IllegalArgumentException.class,
          () ->
              b.adamUpdate(
                  p, p, s.zeros(5), s.zeros(5), new AdamStep(0.1f, 0.9f, 0.99f, 1e-8f, 0, 0f, 0f)),
          "adamUpdate: step 0 must be at least 1");
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.maxoutForward(x, 0, c, c),
          "maxoutForward: pieces 0 must be at least 1");
      Tensor features = s.zeros(4);
      assertThrowsWith(
          IllegalArgumentException.class,
          () ->
              b.batchNormForward(
                  s.zeros(1, 4),
                  features,
                  features,
                  features,
                  features,
                  0.1f,
                  1e-5f,
                  true,
                  features,
                  features,
                  s.zeros(1, 4)),
          "batchNormForward: training needs more than one row",
          "[1, 4]");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void nullTensorsAndHostArraysAreNamed(Backend b) {
    try (TensorScope s = new TensorScope(b)) {
      Tensor x = s.zeros(2, 3);
      assertThrowsWith(IllegalArgumentException.class, () -> b.add(x, null, x), "add: b is null");
      assertThrowsWith(IllegalArgumentException.class, () -> b.fill(null, 1f), "fill: t is null");
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.fromHost(new float[5], Shape.matrix(2, 3)),
          "fromHost: 5 floats do not fill shape [2, 3]");
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.copyFromHost(new float[8], 3, x),
          "copyFromHost: 6 floats at offset 3 overrun the host array src of 8");
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.copyToHost(x, new float[6], -1),
          "copyToHost: 6 floats at offset -1 overrun the host array dst of 6");
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.copyToHost(x, null, 0),
          "copyToHost: dst is null");
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.fromHost(null, Shape.vector(1)),
          "fromHost: data is null");
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.meanSquaredError(x, x, s.zeros(2, 3), s.zeros(0)),
          "meanSquaredError: lossSum [0] needs at least one element");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void tensorOfAnotherBackendIsAnIllegalArgumentException(Backend b) {
    // A second instance of the same provider owns its own memory: still "another backend".
    try (Backend other = providerOf(b).create();
        Tensor foreign = other.zeros(Shape.matrix(2, 3));
        TensorScope s = new TensorScope(b)) {
      Tensor mine = s.zeros(2, 3);
      String another = "belongs to another " + b.name() + " backend, not to this backend";
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.add(mine, foreign, mine),
          "add: b [2, 3]",
          another);
      assertThrowsWith(
          IllegalArgumentException.class, () -> b.copy(foreign, mine), "copy: src", another);
      assertThrowsWith(
          IllegalArgumentException.class, () -> b.fill(foreign, 1f), "fill: t", another);
      // Another backend's tensor stays foreign after it was closed: the argument is wrong anyway.
      Tensor gone = other.zeros(Shape.matrix(2, 3));
      gone.close();
      assertThrowsWith(IllegalArgumentException.class, () -> b.scale(gone, 2f), another);
    }
    // And a tensor type the backend has never seen.
    try (TensorScope s = new TensorScope(b)) {
      Tensor alien = new AlienTensor(Shape.matrix(2, 3));
      String none = "belongs to no backend, not to this backend";
      assertThrowsWith(IllegalArgumentException.class, () -> b.scale(alien, 2f), "scale: t", none);
      assertThrowsWith(
          IllegalArgumentException.class,
          () -> b.copy(alien, s.zeros(2, 3)),
          "copy: src [2, 3]",
          none);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void closedTensorIsAnIllegalStateException(Backend b) {
    Tensor closed = b.zeros(Shape.matrix(2, 3));
    closed.close();
    closed.close(); // idempotent
    try (TensorScope s = new TensorScope(b)) {
      Tensor open = s.zeros(2, 3);
      String used = "[2, 3] was closed (used after close)";
      assertThrowsWith(IllegalStateException.class, () -> b.fill(closed, 1f), "fill: t " + used);
      assertThrowsWith(
          IllegalStateException.class, () -> b.add(open, closed, open), "add: b " + used);
      assertThrowsWith(IllegalStateException.class, () -> b.sum(closed), "sum: t " + used);
      assertThrowsWith(IllegalStateException.class, closed::toArray, "copyToHost: src " + used);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void closedBackendIsAnIllegalStateException(Backend b) {
    Backend other = providerOf(b).create();
    Tensor t = other.zeros(Shape.matrix(2, 3));
    other.close();
    other.close(); // idempotent
    String closed = "the " + b.name() + " backend is closed";
    assertThrowsWith(IllegalStateException.class, () -> other.zeros(Shape.vector(2)), closed);
    assertThrowsWith(IllegalStateException.class, () -> other.fill(t, 1f), closed);
    assertThrowsWith(IllegalStateException.class, () -> other.sum(t), closed);
    assertThrowsWith(IllegalStateException.class, other::synchronize, closed);
    t.close(); // after its backend: nothing left to return
  }

  private static BackendProvider providerOf(Backend b) {
    return Backends.providers().stream()
        .filter(p -> p.name().equals(b.name()))
        .findFirst()
        .orElseThrow();
  }

  /** A tensor that no backend created. */
  private static final class AlienTensor extends Tensor {
    AlienTensor(Shape shape) {
      super(shape);
    }

    @Override
    public Backend backend() {
      return null;
    }

    @Override
    public boolean isClosed() {
      return false;
    }

    @Override
    public void close() {}
  }
}
