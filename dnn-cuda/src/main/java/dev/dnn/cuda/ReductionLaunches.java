package dev.dnn.cuda;

import static dev.dnn.cuda.DeviceContext.launch;

import dev.dnn.backend.KernelChecks;
import dev.dnn.tensor.Tensor;

/** The reductions of {@link CudaBackend}: the launchers of {@code native/src/reductions.cu}. */
final class ReductionLaunches {
  private final DeviceContext device;
  private final long scratch;

  /** {@code scratch}: the kernels' zeroed scratch for one total per launch. */
  ReductionLaunches(DeviceContext device, long scratch) {
    this.device = device;
    this.scratch = scratch;
  }

  void columnSums(Tensor x, float beta, Tensor out) {
    String op = "columnSums";
    KernelChecks.columnSums(x, out);
    launch(
        DnnKernels.columnSums(
            device.address(x, op, "x"),
            x.shape().rows(),
            x.shape().cols(),
            beta,
            device.address(out, op, "out"),
            device.stream),
        op);
  }

  /** Queues the sum of {@code t} into the device float at {@code result}. */
  void sum(Tensor t, long result) {
    launch(
        DnnKernels.sum(device.address(t, "sum", "t"), t.size(), result, scratch, device.stream),
        "sum");
  }

  /** Queues the sum of squares of {@code t} into the device float at {@code result}. */
  void squaredNorm(Tensor t, long result) {
    launch(
        DnnKernels.squaredNorm(
            device.address(t, "squaredNorm", "t"), t.size(), result, scratch, device.stream),
        "squaredNorm");
  }

  void argmaxRows(Tensor x, Tensor out) {
    String op = "argmaxRows";
    KernelChecks.argmaxRows(x, out);
    launch(
        DnnKernels.argmaxRows(
            device.address(x, op, "x"),
            x.shape().rows(),
            x.shape().cols(),
            device.address(out, op, "out"),
            device.stream),
        op);
  }

  void countCorrect(Tensor scores, Tensor labels, Tensor count) {
    String op = "countCorrect";
    KernelChecks.countCorrect(scores, labels, count);
    launch(
        DnnKernels.countCorrect(
            device.address(scores, op, "scores"),
            device.address(labels, op, "labels"),
            scores.shape().rows(),
            scores.shape().cols(),
            device.address(count, op, "count"),
            device.stream),
        op);
  }
}
