package dev.dnn.cuda;

import static dev.dnn.cuda.DeviceContext.launch;

import dev.dnn.backend.KernelChecks;
import dev.dnn.tensor.Tensor;
import org.bytedeco.javacpp.IntPointer;

/**
 * The losses of {@link CudaBackend}, the launchers of {@code native/src/losses.cu}, and the check
 * of softmaxCrossEntropy's labels: the kernel cannot throw, so it flags the first bad row on the
 * device and the next wait for the stream reads the flag ({@link #checkLabels}).
 */
final class LossLaunches implements AutoCloseable {
  private final DeviceContext device;
  private final long scratch;
  // Device int: 1 + the first row whose label softmaxCrossEntropy rejected, 0 when none.
  private final long badLabelRow;
  private final IntPointer hostBadLabelRow;
  private int pendingLabelClasses; // > 0 while a softmaxCrossEntropy awaits its label check

  /**
   * @param scratch the kernels' zeroed scratch for one total per launch
   * @param badLabelRow a device int for the label flag, zeroed here
   */
  LossLaunches(DeviceContext device, long scratch, long badLabelRow) {
    this.device = device;
    this.scratch = scratch;
    this.badLabelRow = badLabelRow;
    device.runtime.memset(badLabelRow, 0, Integer.BYTES);
    this.hostBadLabelRow = new IntPointer(1L); // last: nothing after it can fail and leak it
  }

  void softmax(Tensor logits, Tensor out) {
    String op = "softmax";
    KernelChecks.softmax(logits, out);
    launch(
        DnnKernels.softmax(
            device.address(logits, op, "logits"),
            device.address(out, op, "out"),
            logits.shape().rows(),
            logits.shape().cols(),
            device.stream),
        op);
  }

  void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor gradLogits, Tensor lossSum) {
    String op = "softmaxCrossEntropy";
    KernelChecks.softmaxCrossEntropy(logits, labels, gradLogits, lossSum);
    launch(
        DnnKernels.softmaxCrossEntropy(
            device.address(logits, op, "logits"),
            device.address(labels, op, "labels"),
            device.address(gradLogits, op, "gradLogits"),
            device.address(lossSum, op, "lossSum"),
            badLabelRow,
            logits.shape().rows(),
            logits.shape().cols(),
            scratch,
            device.stream),
        op);
    pendingLabelClasses = Math.max(pendingLabelClasses, logits.shape().cols());
  }

  void sigmoidBinaryCrossEntropy(Tensor logits, Tensor targets, Tensor gradLogits, Tensor lossSum) {
    String op = "sigmoidBinaryCrossEntropy";
    KernelChecks.sigmoidBinaryCrossEntropy(logits, targets, gradLogits, lossSum);
    launch(
        DnnKernels.sigmoidBinaryCrossEntropy(
            device.address(logits, op, "logits"),
            device.address(targets, op, "targets"),
            device.address(gradLogits, op, "gradLogits"),
            device.address(lossSum, op, "lossSum"),
            logits.size(),
            scratch,
            device.stream),
        op);
  }

  void meanSquaredError(Tensor predictions, Tensor targets, Tensor grad, Tensor lossSum) {
    String op = "meanSquaredError";
    KernelChecks.meanSquaredError(predictions, targets, grad, lossSum);
    launch(
        DnnKernels.meanSquaredError(
            device.address(predictions, op, "predictions"),
            device.address(targets, op, "targets"),
            device.address(grad, op, "grad"),
            device.address(lossSum, op, "lossSum"),
            predictions.size(),
            scratch,
            device.stream),
        op);
  }

  /**
   * Reports a label that an earlier softmaxCrossEntropy found outside the classes; called after the
   * stream was waited for.
   */
  void checkLabels() {
    if (pendingLabelClasses == 0) {
      return;
    }
    int classes = pendingLabelClasses;
    pendingLabelClasses = 0;
    device.runtime.copyToHost(badLabelRow, hostBadLabelRow, Integer.BYTES);
    device.runtime.synchronize();
    int row = hostBadLabelRow.get(0);
    if (row != 0) {
      device.runtime.memset(badLabelRow, 0, Integer.BYTES);
      throw new IllegalArgumentException(
          "softmaxCrossEntropy: the label of row "
              + (row - 1)
              + " is not a class index in [0, "
              + classes
              + ") (the loss of that row is NaN)");
    }
  }

  /** Frees the host buffer of the label flag (the device int belongs to the pool). */
  @Override
  public void close() {
    hostBadLabelRow.close();
  }
}
