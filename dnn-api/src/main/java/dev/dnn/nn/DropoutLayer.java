package dev.dnn.nn;

import dev.dnn.backend.Backend;
import dev.dnn.internal.random.RandomStreams;
import dev.dnn.tensor.Tensor;

/** Inverted dropout; masks come from Philox, one stream per layer and training step. */
final class DropoutLayer extends Layer {
  private static final int MASK = 0;
  private static final int OUT = 1;
  private static final int GRAD_IN = 2;

  private final Dropout spec;
  private Tensor mask;
  private boolean dropped;

  DropoutLayer(Backend backend, String name, int streamIndex, Dropout spec, int width) {
    super(backend, name, streamIndex, width, width);
    this.spec = spec;
  }

  @Override
  public LayerSpec spec() {
    return spec;
  }

  @Override
  Tensor forward(Tensor x, Pass pass) {
    dropped = pass.training() && spec.keepProbability() < 1.0;
    if (!dropped) {
      return x;
    }
    int rows = x.shape().dim(0);
    mask = workspace.get(MASK, rows, outputWidth);
    Tensor out = workspace.get(OUT, rows, outputWidth);
    backend.dropoutForward(
        x,
        (float) spec.keepProbability(),
        pass.seed(),
        RandomStreams.stream(RandomStreams.DROPOUT, streamIndex, pass.step()),
        mask,
        out);
    return out;
  }

  @Override
  Tensor infer(Tensor x, InferenceBuffers buffers) {
    return x; // inverted dropout scales while training, so inference is the identity
  }

  @Override
  Tensor backward(Tensor gradOut, boolean inputGradient, boolean parameterGradients) {
    if (!inputGradient) {
      return null;
    }
    if (!dropped) {
      return gradOut;
    }
    Tensor gradIn = workspace.get(GRAD_IN, gradOut.shape().dim(0), inputWidth);
    backend.dropoutBackward(gradOut, mask, gradIn);
    return gradIn;
  }
}
