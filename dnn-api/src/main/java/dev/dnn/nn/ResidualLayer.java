package dev.dnn.nn;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import java.util.List;

/** {@code y = x + body(x)}; the body's layers are named {@code <name>.body.<i>}. */
final class ResidualLayer extends Layer {
  private static final int OUT = 0;
  private static final int GRAD_IN = 1;

  private final Residual spec;
  private final List<Layer> body;

  ResidualLayer(Backend backend, String name, int streamIndex, Residual spec, List<Layer> body) {
    super(backend, name, streamIndex, body.get(0).inputWidth(), body.get(0).inputWidth());
    this.spec = spec;
    this.body = List.copyOf(body);
  }

  @Override
  public LayerSpec spec() {
    return spec;
  }

  @Override
  List<Layer> children() {
    return body;
  }

  @Override
  public void setTrainable(boolean trainable) {
    super.setTrainable(trainable);
    body.forEach(layer -> layer.setTrainable(trainable));
  }

  @Override
  Tensor forward(Tensor x, Pass pass) {
    Tensor h = x;
    for (Layer layer : body) {
      h = layer.forward(h, pass);
    }
    Tensor out = workspace.get(OUT, x.shape().dim(0), outputWidth);
    backend.add(x, h, out);
    return out;
  }

  @Override
  Tensor infer(Tensor x, InferenceBuffers buffers) {
    InferenceBuffers inner = buffers.nested();
    Tensor h = x;
    for (int i = 0; i < body.size(); i++) { // by index, as Model.infer
      h = body.get(i).infer(h, inner);
    }
    Tensor y = buffers.output(x, outputWidth);
    backend.add(x, h, y);
    return y;
  }

  @Override
  Tensor backward(Tensor gradOut, boolean inputGradient, boolean parameterGradients) {
    Tensor g = gradOut;
    for (int i = body.size() - 1; i >= 0; i--) {
      Layer layer = body.get(i);
      boolean params = parameterGradients && layer.isTrainable();
      g = layer.backward(g, inputGradient || lowerTrainable(i, parameterGradients), params);
    }
    if (!inputGradient) {
      return null;
    }
    Tensor gradIn = workspace.get(GRAD_IN, gradOut.shape().dim(0), inputWidth);
    backend.add(gradOut, g, gradIn);
    return gradIn;
  }

  private boolean lowerTrainable(int index, boolean parameterGradients) {
    if (!parameterGradients) {
      return false;
    }
    for (int i = 0; i < index; i++) {
      if (body.get(i).isTrainable() && Layers.hasParameters(body.get(i))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    body.forEach(Layer::close);
    super.close();
  }
}
