package dev.dnn.nn;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;

/** Maxout over groups of {@code pieces} consecutive features. */
final class MaxoutLayer extends Layer {
  private static final int OUT = 0;
  private static final int ARGMAX = 1;
  private static final int GRAD_IN = 2;

  private final Maxout spec;
  private Tensor argmax;

  MaxoutLayer(Backend backend, String name, int streamIndex, Maxout spec, int width) {
    super(backend, name, streamIndex, width, spec.outputWidth(width));
    this.spec = spec;
  }

  @Override
  public LayerSpec spec() {
    return spec;
  }

  @Override
  Tensor forward(Tensor x, Pass pass) {
    int rows = x.shape().dim(0);
    Tensor out = workspace.get(OUT, rows, outputWidth);
    argmax = workspace.get(ARGMAX, rows, outputWidth);
    backend.maxoutForward(x, spec.pieces(), out, argmax);
    return out;
  }

  @Override
  Tensor infer(Tensor x, InferenceBuffers buffers) {
    Tensor y = buffers.output(x, outputWidth);
    backend.maxoutForward(x, spec.pieces(), y, buffers.scratch(x.shape().dim(0), outputWidth));
    return y;
  }

  @Override
  Tensor backward(Tensor gradOut, boolean inputGradient, boolean parameterGradients) {
    if (!inputGradient) {
      return null;
    }
    Tensor gradIn = workspace.get(GRAD_IN, gradOut.shape().dim(0), inputWidth);
    backend.maxoutBackward(gradOut, argmax, spec.pieces(), gradIn);
    return gradIn;
  }
}
