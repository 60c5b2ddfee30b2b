package dev.dnn.nn;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;

/**
 * Batch normalization with a learned scale ({@code weight}) and shift ({@code bias}) and running
 * statistics ({@code running_mean}, {@code running_var}) as buffers. Training passes always use the
 * batch statistics, also when the layer is frozen (PyTorch's behaviour); frozen only means no
 * updates of scale and shift.
 */
final class BatchNormLayer extends Layer {
  private static final int OUT = 0;
  private static final int GRAD_IN = 1;

  private final BatchNorm spec;
  private final Tensor gamma;
  private final Tensor beta;
  private final Tensor runningMean;
  private final Tensor runningVar;
  private final Tensor savedMean;
  private final Tensor savedInvStd;
  private final Tensor scratchGamma;
  private final Tensor scratchBeta;
  private Tensor input;

  BatchNormLayer(Backend backend, String name, int streamIndex, BatchNorm spec, int width) {
    super(backend, name, streamIndex, width, width);
    this.spec = spec;
    Shape v = Shape.vector(width);
    gamma = addParameter("weight", backend.zeros(v));
    backend.fill(gamma, 1f);
    beta = addParameter("bias", backend.zeros(v));
    runningMean = addBuffer("running_mean", backend.zeros(v));
    runningVar = addBuffer("running_var", backend.zeros(v));
    backend.fill(runningVar, 1f);
    savedMean = backend.zeros(v);
    savedInvStd = backend.zeros(v);
    scratchGamma = backend.zeros(v);
    scratchBeta = backend.zeros(v);
  }

  @Override
  public LayerSpec spec() {
    return spec;
  }

  @Override
  Tensor forward(Tensor x, Pass pass) {
    input = x;
    Tensor out = workspace.get(OUT, x.shape().dim(0), outputWidth);
    backend.batchNormForward(
        x,
        gamma,
        beta,
        runningMean,
        runningVar,
        (float) spec.momentum(),
        (float) spec.epsilon(),
        pass.training(),
        savedMean,
        savedInvStd,
        out);
    return out;
  }

  @Override
  Tensor infer(Tensor x, InferenceBuffers buffers) {
    Tensor y = buffers.output(x, outputWidth);
    backend.batchNormForward(
        x,
        gamma,
        beta,
        runningMean,
        runningVar,
        (float) spec.momentum(),
        (float) spec.epsilon(),
        false,
        savedMean,
        savedInvStd,
        y);
    return y;
  }

  @Override
  Tensor backward(Tensor gradOut, boolean inputGradient, boolean parameterGradients) {
    if (!inputGradient && !parameterGradients) {
      return null;
    }
    Tensor gradIn = workspace.get(GRAD_IN, gradOut.shape().dim(0), inputWidth);
    backend.batchNormBackward(
        input,
        gradOut,
        gamma,
        savedMean,
        savedInvStd,
        gradIn,
        parameterGradients ? gradient("weight") : scratchGamma,
        parameterGradients ? gradient("bias") : scratchBeta);
    return inputGradient ? gradIn : null;
  }

  @Override
  public void close() {
    super.close();
    savedMean.close();
    savedInvStd.close();
    scratchGamma.close();
    scratchBeta.close();
  }
}
