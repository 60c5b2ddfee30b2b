package dev.dnn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * The ownership rule of {@link KernelChecks#owned} for backends of different names, which the
 * conformance suite (one backend per run) cannot pair; the other checks are exercised there on
 * every backend.
 */
class KernelChecksTest {
  private final Backend cpu = named("cpu");
  private final Backend cuda = named("cuda");

  @Test
  void activationOpNamesCarryTheirKind() {
    for (ActivationKind kind : ActivationKind.values()) {
      assertEquals(
          "biasActivationForward(" + kind + ")", KernelChecks.biasActivationForwardOp(kind));
      assertEquals("activationBackward(" + kind + ")", KernelChecks.activationBackwardOp(kind));
    }
    assertEquals("biasActivationForward(null)", KernelChecks.biasActivationForwardOp(null));
    assertEquals("activationBackward(null)", KernelChecks.activationBackwardOp(null));
  }

  @Test
  void aTensorOfItsOwnBackendIsReturned() {
    FakeTensor t = new FakeTensor(cpu, Shape.matrix(2, 3));
    assertSame(t, KernelChecks.owned("add", "a", t, cpu, FakeTensor.class));
  }

  @Test
  void aTensorOfABackendOfAnotherNameIsNamedByIt() {
    FakeTensor t = new FakeTensor(cuda, Shape.matrix(2, 3));
    IllegalArgumentException e =
        assertThrowsExactly(
            IllegalArgumentException.class,
            () -> KernelChecks.owned("add", "b", t, cpu, FakeTensor.class));
    assertEquals(
        "add: b [2, 3] belongs to the cuda backend, not to this backend (cpu);"
            + " copy it through the host first",
        e.getMessage());
  }

  @Test
  void aTensorOfAnotherTypeClaimingTheBackendIsStillForeign() {
    Tensor impostor =
        new Tensor(Shape.vector(4)) {
          @Override
          public Backend backend() {
            return cpu;
          }

          @Override
          public boolean isClosed() {
            return false;
          }

          @Override
          public void close() {}
        };
    IllegalArgumentException e =
        assertThrowsExactly(
            IllegalArgumentException.class,
            () -> KernelChecks.owned("fill", "t", impostor, cpu, FakeTensor.class));
    assertEquals(
        "fill: t [4] belongs to another cpu backend, not to this backend (cpu);"
            + " copy it through the host first",
        e.getMessage());
  }

  @Test
  void aClosedTensorOfItsOwnBackendIsAnIllegalStateException() {
    FakeTensor t = new FakeTensor(cpu, Shape.vector(4));
    t.close();
    IllegalStateException e =
        assertThrowsExactly(
            IllegalStateException.class,
            () -> KernelChecks.owned("scale", "t", t, cpu, FakeTensor.class));
    assertEquals("scale: t [4] was closed (used after close)", e.getMessage());
  }

  @Test
  void aClosedBackendIsAnIllegalStateException() {
    KernelChecks.open(cpu, false);
    IllegalStateException e =
        assertThrowsExactly(IllegalStateException.class, () -> KernelChecks.open(cpu, true));
    assertEquals("the cpu backend is closed", e.getMessage());
  }

  /** A backend that answers only {@code name()}. */
  private static Backend named(String name) {
    return (Backend)
        Proxy.newProxyInstance(
            Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "name":
                  return name;
                case "hashCode":
                  return System.identityHashCode(proxy);
                case "equals":
                  return proxy == args[0];
                default:
                  throw new UnsupportedOperationException(method.getName());
              }
            });
  }

  private static final class FakeTensor extends Tensor {
    private final Backend backend;
    private boolean closed;

    FakeTensor(Backend backend, Shape shape) {
      super(shape);
      this.backend = backend;
    }

    @Override
    public Backend backend() {
      return backend;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
