package dev.dnn.cuda;

import static dev.dnn.cuda.DeviceContext.launch;

import dev.dnn.backend.AdaGradStep;
import dev.dnn.backend.AdamStep;
import dev.dnn.backend.KernelChecks;
import dev.dnn.backend.MomentumStep;
import dev.dnn.backend.NadamStep;
import dev.dnn.backend.RmsPropStep;
import dev.dnn.backend.SgdStep;
import dev.dnn.tensor.Tensor;

/**
 * The optimizer updates of {@link CudaBackend}: the launchers of {@code native/src/optimizers.cu}.
 */
final class OptimizerLaunches {
  private final DeviceContext device;

  OptimizerLaunches(DeviceContext device) {
    this.device = device;
  }

  void sgd(Tensor param, Tensor grad, SgdStep step) {
    String op = "sgdUpdate";
    KernelChecks.sgdUpdate(param, grad, step);
    launch(
        DnnKernels.sgdUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            param.size(),
            step.learningRate(),
            step.l2(),
            step.weightDecay(),
            device.stream),
        op);
  }

  void momentum(Tensor param, Tensor grad, Tensor velocity, MomentumStep step) {
    String op = "momentumUpdate";
    KernelChecks.momentumUpdate(param, grad, velocity, step);
    launch(
        DnnKernels.momentumUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            device.address(velocity, op, "velocity"),
            param.size(),
            step.learningRate(),
            step.momentum(),
            step.nesterov() ? 1 : 0,
            step.l2(),
            step.weightDecay(),
            device.stream),
        op);
  }

  void adaGrad(Tensor param, Tensor grad, Tensor sumSquares, AdaGradStep step) {
    String op = "adaGradUpdate";
    KernelChecks.adaGradUpdate(param, grad, sumSquares, step);
    launch(
        DnnKernels.adaGradUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            device.address(sumSquares, op, "sumSquares"),
            param.size(),
            step.learningRate(),
            step.epsilon(),
            step.l2(),
            step.weightDecay(),
            device.stream),
        op);
  }

  void rmsProp(Tensor param, Tensor grad, Tensor meanSquares, RmsPropStep step) {
    String op = "rmsPropUpdate";
    KernelChecks.rmsPropUpdate(param, grad, meanSquares, step);
    launch(
        DnnKernels.rmsPropUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            device.address(meanSquares, op, "meanSquares"),
            param.size(),
            step.learningRate(),
            step.rho(),
            step.epsilon(),
            step.l2(),
            step.weightDecay(),
            device.stream),
        op);
  }

  void adam(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
    String op = "adamUpdate";
    KernelChecks.adamUpdate(param, grad, m, v, step);
    float biasCorrection1 = (float) (1.0 - Math.pow(step.beta1(), step.step()));
    float biasCorrection2 = (float) (1.0 - Math.pow(step.beta2(), step.step()));
    launch(
        DnnKernels.adamUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            device.address(m, op, "m"),
            device.address(v, op, "v"),
            param.size(),
            step.learningRate(),
            step.beta1(),
            step.beta2(),
            step.epsilon(),
            biasCorrection1,
            biasCorrection2,
            step.l2(),
            step.weightDecay(),
            device.stream),
        op);
  }

  void nadam(Tensor param, Tensor grad, Tensor m, Tensor v, NadamStep step) {
    String op = "nadamUpdate";
    KernelChecks.nadamUpdate(param, grad, m, v, step);
    launch(
        DnnKernels.nadamUpdate(
            device.address(param, op, "param"),
            device.address(grad, op, "grad"),
            device.address(m, op, "m"),
            device.address(v, op, "v"),
            param.size(),
            step.learningRate(),
            step.beta1AsFloat(),
            step.oneMinusBeta1(),
            step.beta2AsFloat(),
            step.oneMinusBeta2(),
            step.epsilon(),
            step.gradStep(),
            step.momentumStep(),
            step.biasCorrection2(),
            step.l2(),
            step.weightDecay(),
            device.stream),
        op);
  }
}
