package dev.dnn.cuda;

import static dev.dnn.cuda.DeviceContext.launch;

import dev.dnn.backend.KernelChecks;
import dev.dnn.tensor.Tensor;

/** Batch normalization on {@link CudaBackend}: the launchers of {@code native/src/batchnorm.cu}. */
final class BatchNormLaunches {
  private final DeviceContext device;

  BatchNormLaunches(DeviceContext device) {
    this.device = device;
  }

  void forward(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float epsilon,
      boolean training,
      Tensor savedMean,
      Tensor savedInvStd,
      Tensor out) {
    String op = "batchNormForward";
    KernelChecks.batchNormForward(
        x, gamma, beta, runningMean, runningVar, training, savedMean, savedInvStd, out);
    int n = x.shape().rows();
    int c = x.shape().cols();
    if (training) {
      launch(
          DnnKernels.batchNormForwardTraining(
              device.address(x, op, "x"),
              n,
              c,
              device.address(gamma, op, "gamma"),
              device.address(beta, op, "beta"),
              device.address(runningMean, op, "runningMean"),
              device.address(runningVar, op, "runningVar"),
              momentum,
              epsilon,
              device.address(savedMean, op, "savedMean"),
              device.address(savedInvStd, op, "savedInvStd"),
              device.address(out, op, "out"),
              device.stream),
          op);
    } else {
      launch(
          DnnKernels.batchNormForwardInference(
              device.address(x, op, "x"),
              n,
              c,
              device.address(gamma, op, "gamma"),
              device.address(beta, op, "beta"),
              device.address(runningMean, op, "runningMean"),
              device.address(runningVar, op, "runningVar"),
              epsilon,
              device.address(out, op, "out"),
              device.stream),
          op);
    }
  }

  void backward(
      Tensor x,
      Tensor gradOut,
      Tensor gamma,
      Tensor savedMean,
      Tensor savedInvStd,
      Tensor gradIn,
      Tensor gradGamma,
      Tensor gradBeta) {
    String op = "batchNormBackward";
    KernelChecks.batchNormBackward(
        x, gradOut, gamma, savedMean, savedInvStd, gradIn, gradGamma, gradBeta);
    launch(
        DnnKernels.batchNormBackward(
            device.address(x, op, "x"),
            device.address(gradOut, op, "gradOut"),
            x.shape().rows(),
            x.shape().cols(),
            device.address(gamma, op, "gamma"),
            device.address(savedMean, op, "savedMean"),
            device.address(savedInvStd, op, "savedInvStd"),
            device.address(gradIn, op, "gradIn"),
            device.address(gradGamma, op, "gradGamma"),
            device.address(gradBeta, op, "gradBeta"),
            device.stream),
        op);
  }
}
