package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Locale;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shape mismatches in every op family are an {@link IllegalArgumentException} that names the
 * operation and the offending shapes; tensors of another backend and closed tensors are rejected.
 */
class BadInputConformanceTest {

  /**
   * Asserts an IllegalArgumentException whose message names {@code op} (spaces, underscores and
   * case ignored, so "columnSums" matches "column sums") and contains every shape in {@code
   * shapes}.
   */
  private static void assertRejected(String op, Executable call, Shape... shapes) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, op);
    String message = String.valueOf(e.getMessage());
    String squashed = message.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]", "");
    assertTrue(
        squashed.contains(op.toLowerCase(Locale.ROOT)),
        op + ": the message does not name the operation: " + message);
    for (Shape shape : shapes) {
      assertTrue(
          message.replace(" ", "").contains(shape.toString().replace(" ", "")),
          op + ": the message does not name the shape " + shape + ": " + message);
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
          "gemm", () -> b.gemm(false, false, 1f, a, x, 0f, c), Shape.of(3, 4), Shape.of(5, 6));
      Tensor bOk = s.zeros(4, 6);
      Tensor cBad = s.zeros(6, 3);
      assertRejected("gemm", () -> b.gemm(false, false, 1f, a, bOk, 0f, cBad), Shape.of(6, 3));
      // Transposed: op(A) is [4, 3], so B [4, 6] no longer fits.
      assertRejected("gemm", () -> b.gemm(true, false, 1f, a, bOk, 0f, c), Shape.of(3, 4));
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
      assertRejected("copy", () -> b.copy(x, y), sx, sy);
      assertRejected("axpy", () -> b.axpy(1f, x, y), sx, sy);
      assertRejected("add", () -> b.add(x, y, x), sx, sy);
      assertRejected("multiply", () -> b.multiply(x, x, y), sy);
      assertRejected("columnSums", () -> b.columnSums(x, 0f, s.zeros(3)), Shape.of(3));
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
          () -> b.biasActivationForward(ActivationKind.RELU, 0f, null, z, s.zeros(3), out),
          Shape.of(3));
      assertRejected(
          "biasActivationForward",
          () -> b.biasActivationForward(ActivationKind.TANH, 0f, null, z, null, wrong),
          Shape.of(4, 5));
      assertRejected(
          "biasActivationForward",
          () -> b.biasActivationForward(ActivationKind.PRELU, 0f, s.zeros(3), z, null, out),
          Shape.of(3));
      assertRejected(
          "activationBackward",
          () -> b.activationBackward(ActivationKind.SIGMOID, 0f, null, z, out, wrong, out),
          Shape.of(4, 5));
      assertRejected(
          "preluSlopeGradient", () -> b.preluSlopeGradient(z, out, 0f, s.zeros(5)), Shape.of(5));
      assertRejected(
          "maxoutForward",
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
          "dropoutForward", () -> b.dropoutForward(x, 0.5f, 1, 2, wrong, x), Shape.of(4, 5));
      assertRejected(
          "softmaxCrossEntropy",
          () -> b.softmaxCrossEntropy(x, s.zeros(4), s.zeros(3, 4), loss),
          Shape.of(4));
      assertRejected(
          "sigmoidBinaryCrossEntropy",
          () -> b.sigmoidBinaryCrossEntropy(x, wrong, s.zeros(3, 4), loss),
          Shape.of(4, 5));
      assertRejected(
          "meanSquaredError",
          () -> b.meanSquaredError(x, s.zeros(3, 4), wrong, loss),
          Shape.of(4, 5));
      assertRejected("argmaxRows", () -> b.argmaxRows(x, s.zeros(4)), Shape.of(4));
      assertRejected("countCorrect", () -> b.countCorrect(x, s.zeros(2), s.zeros(1)), Shape.of(2));
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
          () -> b.batchNormForward(x, s.zeros(3), c, c, c, 0.1f, 1e-5f, true, c, c, s.zeros(3, 4)),
          Shape.of(3));
      assertRejected(
          "batchNormBackward",
          () -> b.batchNormBackward(x, s.zeros(4, 5), c, c, c, s.zeros(3, 4), c, c),
          Shape.of(4, 5));
      Tensor p = s.zeros(5);
      Tensor g = s.zeros(6);
      assertRejected("sgdUpdate", () -> b.sgdUpdate(p, g, 0.1f, 0f, 0f), Shape.of(6));
      assertRejected(
          "momentumUpdate",
          () -> b.momentumUpdate(p, s.zeros(5), g, 0.1f, 0.9f, false, 0f, 0f),
          Shape.of(6));
      assertRejected(
          "adamUpdate",
          () -> b.adamUpdate(p, s.zeros(5), s.zeros(5), g, 0.1f, 0.9f, 0.99f, 1e-8f, 1, 0f, 0f),
          Shape.of(6));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void fromHostChecksTheLength(Backend b) {
    assertThrows(
        IllegalArgumentException.class, () -> b.fromHost(new float[5], Shape.matrix(2, 3)));
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void tensorOfAnotherBackendIsRejected(Backend b) {
    BackendProvider provider =
        Backends.providers().stream()
            .filter(p -> p.name().equals(b.name()))
            .findFirst()
            .orElseThrow();
    // A second instance of the same provider owns its own memory: still "another backend".
    try (Backend other = provider.create();
        Tensor foreign = other.zeros(Shape.matrix(2, 3));
        TensorScope s = new TensorScope(b)) {
      Tensor mine = s.zeros(2, 3);
      assertThrows(IllegalArgumentException.class, () -> b.add(mine, foreign, mine), "add");
      assertThrows(IllegalArgumentException.class, () -> b.copy(foreign, mine), "copy");
      assertThrows(IllegalArgumentException.class, () -> b.fill(foreign, 1f), "fill");
    }
    // And a tensor type the backend has never seen.
    try (TensorScope s = new TensorScope(b)) {
      Tensor alien = new AlienTensor(Shape.matrix(2, 3));
      assertThrows(IllegalArgumentException.class, () -> b.scale(alien, 2f), "scale");
      assertThrows(
          IllegalArgumentException.class, () -> b.copy(alien, s.zeros(2, 3)), "copy from alien");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void closedTensorIsRejected(Backend b) {
    Tensor closed = b.zeros(Shape.matrix(2, 3));
    closed.close();
    closed.close(); // idempotent
    try (TensorScope s = new TensorScope(b)) {
      Tensor open = s.zeros(2, 3);
      for (Executable call :
          new Executable[] {
            () -> b.fill(closed, 1f), () -> b.add(open, closed, open), () -> closed.toArray()
          }) {
        try {
          call.execute();
          fail("an operation on a closed tensor did not throw");
        } catch (IllegalArgumentException | IllegalStateException expected) {
          assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
        } catch (Throwable other) {
          fail("closed tensor: expected IllegalArgumentException or IllegalStateException", other);
        }
      }
    }
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
