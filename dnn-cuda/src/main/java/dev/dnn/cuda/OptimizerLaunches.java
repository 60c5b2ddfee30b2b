package dev.dnn.cuda;

import static dev.dnn.cuda.DeviceContext.launch;

import dev.dnn.backend.KernelChecks;
import dev.dnn.tensor.Tensor;

/**
 * The optimizer updates of {@link CudaBackend}: the launchers of {@code native/src/optimizers.cu}.
 */
final class OptimizerLaunches {
  private final DeviceContext device;

  OptimizerLaunches(DeviceContext device) {
    this.device = device;
  }

  void sgd(Tensor param, Tensor grad, float learningRate, float l2, float weightDecay) {
    String op = "sgdUpdate";
    KernelChecks.sgdUpdate(param, grad);
    launch(
        DnnKernels.sgdUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            param.size(),
            learningRate,
            l2,
            weightDecay,
            device.stream),
        op);
  }

  void momentum(
      Tensor param,
      Tensor grad,
      Tensor velocity,
      float learningRate,
      float momentum,
      boolean nesterov,
      float l2,
      float weightDecay) {
    String op = "momentumUpdate";
    KernelChecks.momentumUpdate(param, grad, velocity);
    launch(
        DnnKernels.momentumUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            device.address(velocity, op, "velocity"),
            param.size(),
            learningRate,
            momentum,
            nesterov ? 1 : 0,
            l2,
            weightDecay,
            device.stream),
        op);
  }

  void adaGrad(
      Tensor param,
      Tensor grad,
      Tensor sumSquares,
      float learningRate,
      float epsilon,
      float l2,
      float weightDecay) {
    String op = "adaGradUpdate";
    KernelChecks.adaGradUpdate(param, grad, sumSquares);
    launch(
        DnnKernels.adaGradUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            device.address(sumSquares, op, "sumSquares"),
            param.size(),
            learningRate,
            epsilon,
            l2,
            weightDecay,
            device.stream),
        op);
  }

  void rmsProp(
      Tensor param,
      Tensor grad,
      Tensor meanSquares,
      float learningRate,
      float rho,
      float epsilon,
      float l2,
      float weightDecay) {
    String op = "rmsPropUpdate";
    KernelChecks.rmsPropUpdate(param, grad, meanSquares);
    launch(
        DnnKernels.rmsPropUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            device.address(meanSquares, op, "meanSquares"),
            param.size(),
            learningRate,
            rho,
            epsilon,
            l2,
            weightDecay,
            device.stream),
        op);
  }

  void adam(
      Tensor param,
      Tensor grad,
      Tensor m,
      Tensor v,
      float learningRate,
      float beta1,
      float beta2,
      float epsilon,
      int step,
      float l2,
      float weightDecay) {
    String op = "adamUpdate";
    KernelChecks.adamUpdate(param, grad, m, v, step);
    float biasCorrection1 = (float) (1.0 - Math.pow(beta1, step));
    float biasCorrection2 = (float) (1.0 - Math.pow(beta2, step));
    launch(
        DnnKernels.adamUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            device.address(m, op, "m"),
            device.address(v, op, "v"),
            param.size(),
            learningRate,
            beta1,
            beta2,
            epsilon,
            biasCorrection1,
            biasCorrection2,
            l2,
            weightDecay,
            device.stream),
        op);
  }

  void nadam(
      Tensor param,
      Tensor grad,
      Tensor m,
      Tensor v,
      float learningRate,
      float beta1,
      float beta2,
      float epsilon,
      float gradStep,
      float momentumStep,
      float biasCorrection2,
      float l2,
      float weightDecay) {
    String op = "nadamUpdate";
    KernelChecks.nadamUpdate(param, grad, m, v);
    launch(
        DnnKernels.nadamUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            device.address(m, op, "m"),
            device.address(v, op, "v"),
            param.size(),
            learningRate,
            beta1,
            beta2,
            epsilon,
            gradStep,
            momentumStep,
            biasCorrection2,
            l2,
            weightDecay,
            device.stream),
        op);
  }
}
