package dev.dnn.cuda;

import static dev.dnn.cuda.DeviceContext.launch;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.KernelChecks;
import dev.dnn.tensor.Tensor;

/**
 * The activation ops of {@link CudaBackend}: the launchers of {@code native/src/activations.cu}.
 */
final class ActivationLaunches {
  private final DeviceContext device;

  ActivationLaunches(DeviceContext device) {
    this.device = device;
  }

  void biasActivationForward(
      ActivationKind kind, float alpha, Tensor slopes, Tensor z, Tensor bias, Tensor out) {
    String op = KernelChecks.biasActivationForwardOp(kind);
    KernelChecks.biasActivationForward(op, kind, slopes, z, bias, out);
    launch(
        DnnKernels.biasActivationForward(
            kind.code(),
            alpha,
            slopes(op, kind, slopes),
            device.address(z, op, "z"),
            bias == null ? 0L : device.address(bias, op, "bias"),
            device.address(out, op, "out"),
            z.shape().rows(),
            z.shape().cols(),
            device.stream),
        op);
  }

  void activationBackward(
      ActivationKind kind,
      float alpha,
      Tensor slopes,
      Tensor z,
      Tensor out,
      Tensor gradOut,
      Tensor gradIn) {
    String op = KernelChecks.activationBackwardOp(kind);
    KernelChecks.activationBackward(op, kind, slopes, z, out, gradOut, gradIn);
    launch(
        DnnKernels.activationBackward(
            kind.code(),
            alpha,
            slopes(op, kind, slopes),
            device.address(z, op, "z"),
            device.address(out, op, "out"),
            device.address(gradOut, op, "gradOut"),
            device.address(gradIn, op, "gradIn"),
            z.shape().rows(),
            z.shape().cols(),
            device.stream),
        op);
  }

  void preluSlopeGradient(Tensor z, Tensor gradOut, float beta, Tensor gradSlopes) {
    String op = "preluSlopeGradient";
    KernelChecks.preluSlopeGradient(z, gradOut, gradSlopes);
    launch(
        DnnKernels.preluSlopeGradient(
            device.address(z, op, "z"),
            device.address(gradOut, op, "gradOut"),
            z.shape().rows(),
            z.shape().cols(),
            beta,
            device.address(gradSlopes, op, "gradSlopes"),
            device.stream),
        op);
  }

  void maxoutForward(Tensor z, int pieces, Tensor out, Tensor argmax) {
    String op = "maxoutForward";
    int rows = KernelChecks.maxoutForward(z, pieces, out, argmax);
    launch(
        DnnKernels.maxoutForward(
            device.address(z, op, "z"),
            rows,
            out.shape().cols(),
            pieces,
            device.address(out, op, "out"),
            device.address(argmax, op, "argmax"),
            device.stream),
        op);
  }

  void maxoutBackward(Tensor gradOut, Tensor argmax, int pieces, Tensor gradIn) {
    String op = "maxoutBackward";
    int rows = KernelChecks.maxoutBackward(gradOut, argmax, pieces, gradIn);
    launch(
        DnnKernels.maxoutBackward(
            device.address(gradOut, op, "gradOut"),
            device.address(argmax, op, "argmax"),
            rows,
            gradOut.shape().cols(),
            pieces,
            device.address(gradIn, op, "gradIn"),
            device.stream),
        op);
  }

  /** The address of a PReLU's or RReLU's slopes (sizes checked by KernelChecks); 0 for others. */
  private long slopes(String op, ActivationKind kind, Tensor slopes) {
    return kind.usesSlopes() ? device.address(slopes, op, "slopes") : 0L;
  }
}
