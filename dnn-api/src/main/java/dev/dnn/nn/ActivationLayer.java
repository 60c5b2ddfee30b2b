package dev.dnn.nn;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.internal.random.RandomStreams;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;

/**
 * An element-wise activation. PReLU learns one slope per feature ({@code slope}); randomized leaky
 * ReLU draws a slope per element from Philox while training and uses the mean slope at inference.
 * When the model folds this activation into the preceding dense layer, this layer passes values
 * through untouched.
 */
final class ActivationLayer extends Layer {
  private static final int OUT = 0;
  private static final int GRAD_IN = 1;
  private static final int SLOPES = 2;

  private final Activation spec;
  private final Tensor preluSlopes;
  private boolean absorbed;
  private Tensor input;
  private Tensor out;
  private Tensor slopes;
  private ActivationKind kindUsed;

  ActivationLayer(Backend backend, String name, int streamIndex, Activation spec, int width) {
    super(backend, name, streamIndex, width, width);
    this.spec = spec;
    if (spec.kind() == ActivationKind.PRELU) {
      Tensor s = backend.zeros(Shape.vector(width));
      backend.fill(s, (float) spec.alpha());
      preluSlopes = addParameter("slope", s);
    } else {
      preluSlopes = null;
    }
  }

  /** Marks this activation as computed by the dense layer before it. */
  void absorb() {
    absorbed = true;
  }

  @Override
  public LayerSpec spec() {
    return spec;
  }

  @Override
  Tensor forward(Tensor x, Pass pass) {
    if (absorbed || spec.kind() == ActivationKind.LINEAR) {
      return x;
    }
    int rows = x.shape().dim(0);
    input = x;
    out = workspace.get(OUT, rows, outputWidth);
    kindUsed = spec.kind();
    slopes = preluSlopes;
    if (spec.kind() == ActivationKind.RRELU) {
      if (pass.training()) {
        slopes = workspace.get(SLOPES, rows, outputWidth);
        backend.fillUniform(
            slopes,
            (float) spec.lower(),
            (float) spec.upper(),
            pass.seed(),
            RandomStreams.stream(RandomStreams.RRELU, streamIndex, pass.step()));
      } else {
        kindUsed = ActivationKind.LEAKY_RELU;
        slopes = null;
      }
    }
    backend.biasActivationForward(kindUsed, spec.kernelAlpha(), slopes, x, null, out);
    return out;
  }

  @Override
  Tensor infer(Tensor x, InferenceBuffers buffers) {
    if (absorbed || spec.kind() == ActivationKind.LINEAR) {
      return x;
    }
    ActivationKind kind = spec.kind();
    if (kind == ActivationKind.RRELU) {
      kind = ActivationKind.LEAKY_RELU; // the mean slope, as in forward
    }
    Tensor y = buffers.output(x, outputWidth);
    backend.biasActivationForward(kind, spec.kernelAlpha(), preluSlopes, x, null, y);
    return y;
  }

  @Override
  Tensor backward(Tensor gradOut, boolean inputGradient, boolean parameterGradients) {
    if (absorbed || spec.kind() == ActivationKind.LINEAR) {
      return gradOut;
    }
    if (parameterGradients && preluSlopes != null) {
      backend.preluSlopeGradient(input, gradOut, 0f, gradient("slope"));
    }
    if (!inputGradient) {
      return null;
    }
    Tensor gradIn = workspace.get(GRAD_IN, gradOut.shape().dim(0), inputWidth);
    backend.activationBackward(kindUsed, spec.kernelAlpha(), slopes, input, out, gradOut, gradIn);
    return gradIn;
  }
}
