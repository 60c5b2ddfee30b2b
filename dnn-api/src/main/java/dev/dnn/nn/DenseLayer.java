package dev.dnn.nn;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.internal.random.RandomStreams;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;

/**
 * {@code y = f(x W + b)}: a GEMM and then one fused bias + activation kernel. {@code f} is linear
 * unless the model folded the following activation layer into this one.
 */
final class DenseLayer extends Layer {
  private static final int Z = 0;
  private static final int OUT = 1;
  private static final int GRAD_Z = 2;
  private static final int GRAD_IN = 3;

  private final Dense spec;
  private final Tensor weight;
  private final Tensor bias;
  private ActivationKind fused = ActivationKind.LINEAR;
  private float fusedAlpha;
  private Tensor input;
  private Tensor z;
  private Tensor out;

  DenseLayer(Backend backend, String name, int streamIndex, Dense spec, long seed) {
    super(backend, name, streamIndex, spec.inputs(), spec.outputs());
    this.spec = spec;
    int in = spec.inputs();
    int outs = spec.outputs();
    float[] w =
        spec.weightInit()
            .generate(
                in,
                outs,
                in * outs,
                seed,
                RandomStreams.stream(RandomStreams.INIT, streamIndex, 0));
    float[] b =
        spec.biasInit()
            .generate(
                in, outs, outs, seed, RandomStreams.stream(RandomStreams.INIT, streamIndex, 1));
    this.weight = addParameter("weight", backend.fromHost(w, Shape.matrix(in, outs)));
    this.bias = addParameter("bias", backend.fromHost(b, Shape.vector(outs)));
  }

  /** Applies {@code kind} in this layer's fused kernel; the activation layer becomes a no-op. */
  void fuse(ActivationKind kind, float alpha) {
    this.fused = kind;
    this.fusedAlpha = alpha;
  }

  @Override
  public LayerSpec spec() {
    return spec;
  }

  @Override
  Tensor forward(Tensor x, Pass pass) {
    int rows = x.shape().dim(0);
    input = x;
    z = workspace.get(Z, rows, outputWidth);
    backend.gemm(false, false, 1f, x, weight, 0f, z);
    if (fused == ActivationKind.LINEAR) {
      backend.biasActivationForward(ActivationKind.LINEAR, 0f, null, z, bias, z);
      out = z;
    } else {
      out = workspace.get(OUT, rows, outputWidth);
      backend.biasActivationForward(fused, fusedAlpha, null, z, bias, out);
    }
    return out;
  }

  @Override
  Tensor infer(Tensor x, InferenceBuffers buffers) {
    Tensor y = buffers.output(x, outputWidth);
    if (fused == ActivationKind.LINEAR) {
      backend.gemm(false, false, 1f, x, weight, 0f, y);
      backend.biasActivationForward(ActivationKind.LINEAR, 0f, null, y, bias, y);
    } else {
      Tensor pre = buffers.scratch(x.shape().dim(0), outputWidth);
      backend.gemm(false, false, 1f, x, weight, 0f, pre);
      backend.biasActivationForward(fused, fusedAlpha, null, pre, bias, y);
    }
    return y;
  }

  @Override
  Tensor backward(Tensor gradOut, boolean inputGradient, boolean parameterGradients) {
    int rows = gradOut.shape().dim(0);
    Tensor gradZ = gradOut;
    if (fused != ActivationKind.LINEAR) {
      gradZ = workspace.get(GRAD_Z, rows, outputWidth);
      backend.activationBackward(fused, fusedAlpha, null, z, out, gradOut, gradZ);
    }
    if (parameterGradients) {
      backend.gemm(true, false, 1f, input, gradZ, 0f, gradient("weight"));
      backend.columnSums(gradZ, 0f, gradient("bias"));
    }
    if (!inputGradient) {
      return null;
    }
    Tensor gradIn = workspace.get(GRAD_IN, rows, inputWidth);
    backend.gemm(false, true, 1f, gradZ, weight, 0f, gradIn);
    return gradIn;
  }
}
