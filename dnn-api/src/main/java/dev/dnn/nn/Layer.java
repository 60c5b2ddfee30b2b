package dev.dnn.nn;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A live layer of a {@link Model}: its parameters on a backend, the buffers its passes reuse, and
 * whether it is trained. Created from a {@link LayerSpec} by the model; closed with it.
 *
 * <p>Parameters are named {@code <layer name>.<local name>}, for example {@code layers.0.weight}.
 *
 * <p>Shared between threads as its model is: any number of threads may run inference through it at
 * once, each call with buffers of its own, while {@link #setTrainable} and its parameters belong to
 * the thread that trains the model.
 */
public abstract class Layer implements AutoCloseable {
  final Backend backend;
  final String name;
  final int streamIndex;
  final int inputWidth;
  final int outputWidth;
  final Workspace workspace;
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Tensor> gradients = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private boolean trainable = true;

  Layer(Backend backend, String name, int streamIndex, int inputWidth, int outputWidth) {
    this.backend = backend;
    this.name = name;
    this.streamIndex = streamIndex;
    this.inputWidth = inputWidth;
    this.outputWidth = outputWidth;
    this.workspace = new Workspace(backend);
  }

  /** The name of this layer in its model, such as {@code layers.2}. */
  public String name() {
    return name;
  }

  /** The description this layer was built from. */
  public abstract LayerSpec spec();

  /** Features this layer receives. */
  public int inputWidth() {
    return inputWidth;
  }

  /** Features this layer produces. */
  public int outputWidth() {
    return outputWidth;
  }

  /** Whether the optimizer updates this layer's parameters. */
  public boolean isTrainable() {
    return trainable;
  }

  /**
   * Freezes ({@code false}) or unfreezes this layer. A frozen layer keeps its parameters; no
   * gradient work is done for it, and none below it if no lower layer is trainable.
   */
  public void setTrainable(boolean trainable) {
    this.trainable = trainable;
  }

  /** Whether this layer has parameters that training would change. */
  public boolean hasParameters() {
    return !parameters.isEmpty();
  }

  /** The learned parameters by full name, in a stable order (read-only view). */
  public Map<String, Tensor> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /**
   * The gradients of the last backward pass, by the same names as {@link #parameters()}. Valid only
   * after a backward pass that reached this layer while it was trainable.
   */
  public Map<String, Tensor> gradients() {
    return Collections.unmodifiableMap(gradients);
  }

  /** State that is saved with the model but not learned by gradients (running statistics). */
  public Map<String, Tensor> buffers() {
    return Collections.unmodifiableMap(buffers);
  }

  /** Registers a parameter and allocates its gradient. */
  final Tensor addParameter(String local, Tensor value) {
    parameters.put(name + "." + local, value);
    gradients.put(name + "." + local, backend.zeros(value.shape()));
    return value;
  }

  final Tensor gradient(String local) {
    return gradients.get(name + "." + local);
  }

  final Tensor addBuffer(String local, Tensor value) {
    buffers.put(name + "." + local, value);
    return value;
  }

  /**
   * Computes the output for {@code input} ({@code [rows, inputWidth]}). The result is owned by this
   * layer and stays valid until the next forward pass with the same row count. The layer keeps a
   * reference to {@code input} for the backward pass.
   */
  abstract Tensor forward(Tensor input, Pass pass);

  /**
   * Computes the inference output for {@code input} into {@code buffers}, which all layers of the
   * model share (or returns {@code input} itself for a layer that passes values through). Keeps no
   * reference for a backward pass; the numbers are those of {@code forward(input, Pass.INFERENCE)},
   * bit for bit.
   */
  abstract Tensor infer(Tensor input, InferenceBuffers buffers);

  /**
   * Back-propagates {@code gradOutput}, the gradient of the loss with respect to the output of the
   * last forward pass: writes parameter gradients if {@code parameterGradients}, and returns the
   * gradient with respect to the input if {@code inputGradient} (else null).
   */
  abstract Tensor backward(Tensor gradOutput, boolean inputGradient, boolean parameterGradients);

  /** Layers nested in this one (a residual body); empty for plain layers. */
  List<Layer> children() {
    return List.of();
  }

  String describe() {
    return name + " (" + spec() + ", " + inputWidth + " -> " + outputWidth + ")";
  }

  @Override
  public void close() {
    workspace.close();
    parameters.values().forEach(Tensor::close);
    gradients.values().forEach(Tensor::close);
    buffers.values().forEach(Tensor::close);
  }
}
