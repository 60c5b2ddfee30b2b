package dev.dnn.cuda;

import dev.dnn.backend.KernelChecks;
import dev.dnn.tensor.Tensor;

/**
 * What every kernel launch of one {@link CudaBackend} needs: the runtime and its one stream, the
 * device addresses of the operands, each checked to be an open tensor of that backend ({@link
 * KernelChecks#owned}), and the status check of the launch.
 */
final class DeviceContext {
  final DeviceRuntime runtime;
  final long stream;
  private final CudaBackend owner;
  private boolean closed;

  DeviceContext(CudaBackend owner, DeviceRuntime runtime) {
    this.owner = owner;
    this.runtime = runtime;
    this.stream = runtime.stream();
  }

  /** Throws an {@link IllegalStateException} once the backend was closed. */
  void ensureOpen() {
    KernelChecks.open(owner, closed);
  }

  boolean closed() {
    return closed;
  }

  void markClosed() {
    closed = true;
  }

  /** The device address of {@code t}, the argument {@code operand} of {@code op}, checked. */
  long address(Tensor t, String op, String operand) {
    ensureOpen();
    return KernelChecks.owned(op, operand, t, owner, CudaTensor.class).address();
  }

  /** Throws a {@link CudaException} naming {@code op} unless a launcher returned cudaSuccess. */
  static void launch(int status, String op) {
    CudaException.checkCuda(status, op + " kernel launch");
  }
}
