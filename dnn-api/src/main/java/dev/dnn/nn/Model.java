package dev.dnn.nn;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.TargetScaling;
import dev.dnn.loss.Loss;
import dev.dnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A sequential network on a backend: its layers, their parameters, and the forward, backward and
 * inference passes over them. Build one with {@code Model.sequential(...).on(backend)}; close it to
 * free its tensors.
 *
 * <p>A model is a complete predictor: besides its layers it carries its {@linkplain
 * #preprocessing() preprocessing} (input names, text vocabularies, scaling), its {@linkplain
 * #targetScaling() target scaling}, its {@linkplain #classNames() class names} and its {@linkplain
 * #loss() loss}, so every method that takes examples takes raw rows and answers in the model's own
 * terms, and a model file carries all of it.
 *
 * <p>Parameters are named {@code layers.<i>.<name>} ({@code layers.0.weight}, {@code
 * layers.0.bias}); layers nested in a residual block are {@code layers.<i>.body.<j>}.
 *
 * <p><b>Threads.</b> Inference ({@code predict...}, {@link #evaluate}) is safe from any number of
 * threads at once: each call borrows buffers from a bounded pool of the model's, so steady-state
 * calls allocate no device memory. Training is one thread at a time ({@link #lockForTraining()},
 * which {@code Trainer.fit} takes), and training a model while other threads predict with it is
 * refused with an {@link IllegalStateException} on whichever side comes second, never a mixed
 * result. {@link #forward}, {@link #backward} and the parameter setters belong to the training
 * thread.
 */
public final class Model implements AutoCloseable {
  /** Rows per batch in inference passes ({@link #predict}, {@link #evaluate}). */
  public static final int INFERENCE_BATCH = 1024;

  private final ModelSpec spec;
  private final Backend backend;
  private final List<Layer> layers;
  private final List<Layer> allLayers = new ArrayList<>();
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private final Map<String, Tensor> gradients = new LinkedHashMap<>();
  private final Map<String, Layer> owners = new LinkedHashMap<>();
  private final AccessGuard access = new AccessGuard();
  private final InferencePool pool = new InferencePool(this, InferencePool.defaultLimit());
  private volatile Loss loss;
  private volatile Preprocessing preprocessing;
  private volatile TargetScaling targetScaling;
  private volatile List<String> classNames = List.of();
  private volatile boolean closed;

  Model(ModelSpec spec, Backend backend, long seed, Loss loss) {
    this.loss = loss;
    this.spec = Objects.requireNonNull(spec, "spec");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.preprocessing = Preprocessing.none(spec.inputs());
    this.layers =
        List.copyOf(
            Layers.build(backend, "layers", spec.layers(), spec.inputs(), seed, new int[1]));
    for (Layer layer : layers) {
      Layers.flatten(layer, allLayers);
    }
    for (Layer layer : allLayers) {
      parameters.putAll(layer.parameters());
      gradients.putAll(layer.gradients());
      buffers.putAll(layer.buffers());
      layer.parameters().keySet().forEach(n -> owners.put(n, layer));
      layer.buffers().keySet().forEach(n -> owners.put(n, layer));
    }
  }

  /** The architecture of a model whose input width is that of its first dense layer. */
  public static ModelSpec sequential(LayerSpec... layers) {
    if (layers.length == 0) {
      throw new IllegalArgumentException("a model needs at least one layer");
    }
    int inputs = LayerSpec.firstRequiredInputs(Arrays.asList(layers));
    if (inputs == 0) {
      throw new IllegalArgumentException(
          "cannot infer the input width: no layer before the first Dense fixes it; use"
              + " Model.sequential(inputs, layers...)");
    }
    return new ModelSpec(inputs, Arrays.asList(layers));
  }

  /** The architecture of a model with {@code inputs} input features. */
  public static ModelSpec sequential(int inputs, LayerSpec... layers) {
    return new ModelSpec(inputs, Arrays.asList(layers));
  }

  /** A model of the given architecture on {@code backend}, weights initialized from seed 0. */
  public static Model fromSpec(ModelSpec spec, Backend backend) {
    return new Model(spec, backend, 0L, null);
  }

  /**
   * A model of the given architecture on {@code backend}, weights initialized from {@code seed}.
   */
  public static Model fromSpec(ModelSpec spec, Backend backend, long seed) {
    return new Model(spec, backend, seed, null);
  }

  /**
   * A model of the given architecture on {@code backend}, weights initialized from {@code seed},
   * trained for {@code loss} (null if unknown): what {@link #evaluate(DataSet)} and {@link
   * #predict(float[][])} follow until a training pass names another.
   */
  public static Model fromSpec(ModelSpec spec, Backend backend, long seed, Loss loss) {
    return new Model(spec, backend, seed, loss);
  }

  /** The architecture of this model. */
  public ModelSpec spec() {
    return spec;
  }

  /** The backend that holds this model's tensors. */
  public Backend backend() {
    return backend;
  }

  /** Input features per example. */
  public int inputCount() {
    return spec.inputs();
  }

  /** Output features (classes, for a classifier) per example. */
  public int outputCount() {
    return layers.get(layers.size() - 1).outputWidth();
  }

  /** The top-level layers, in order. */
  public List<Layer> layers() {
    return layers;
  }

  /** The top-level layer {@code index}. */
  public Layer layer(int index) {
    return layers.get(index);
  }

  /** Every learned parameter by name, in a stable order (first layer first). */
  public Map<String, Tensor> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** The number of learned numbers in all parameters. */
  public long parameterCount() {
    long count = 0;
    for (Tensor t : parameters.values()) {
      count += t.size();
    }
    return count;
  }

  /**
   * A table of the top-level layers: kind, output width, parameter count and whether training
   * updates them (frozen layers say so), with the totals. For logs and the command line.
   */
  public String summary() {
    return ModelSummary.of(this);
  }

  /** Running statistics and other saved state that gradients do not update. */
  public Map<String, Tensor> buffers() {
    return Collections.unmodifiableMap(buffers);
  }

  /** Parameters and buffers together: everything a model file must store. */
  public Map<String, Tensor> namedTensors() {
    Map<String, Tensor> all = new LinkedHashMap<>(parameters);
    all.putAll(buffers);
    return Collections.unmodifiableMap(all);
  }

  /** The parameters of trainable layers, by name. */
  public Map<String, Tensor> trainableParameters() {
    Map<String, Tensor> trainable = new LinkedHashMap<>();
    parameters.forEach(
        (name, t) -> {
          if (owners.get(name).isTrainable()) {
            trainable.put(name, t);
          }
        });
    return trainable;
  }

  /** The gradients of the trainable parameters from the last backward pass, by name. */
  public Map<String, Tensor> gradients() {
    Map<String, Tensor> trainable = new LinkedHashMap<>();
    gradients.forEach(
        (name, t) -> {
          if (owners.get(name).isTrainable()) {
            trainable.put(name, t);
          }
        });
    return trainable;
  }

  /** A host copy of the named parameter or buffer. */
  public float[] get(String name) {
    return tensor(name).toArray();
  }

  /** Overwrites the named parameter or buffer from the host; {@code values} must match its size. */
  public void set(String name, float[] values) {
    Tensor t = tensor(name);
    if (values.length != t.size()) {
      throw new IllegalArgumentException(
          name + " has shape " + t.shape() + " (" + t.size() + " values), got " + values.length);
    }
    exclusively(() -> backend.copyFromHost(values, 0, t));
  }

  /**
   * Overwrites the named parameter or buffer from the host, checking the shape of the values: a
   * transposed weight matrix has the right element count but not the right shape.
   *
   * @throws IllegalArgumentException naming both shapes if {@code shape} is not the tensor's
   */
  public void set(String name, int[] shape, float[] values) {
    Tensor t = tensor(name);
    if (!Arrays.equals(shape, t.shape().dims())) {
      throw new IllegalArgumentException(
          name + " has shape " + t.shape() + ", got values of shape " + Arrays.toString(shape));
    }
    set(name, values);
  }

  private Tensor tensor(String name) {
    requireOpen();
    Tensor t = parameters.get(name);
    if (t == null) {
      t = buffers.get(name);
    }
    if (t == null) {
      throw new IllegalArgumentException(
          "no parameter or buffer named '" + name + "'; known: " + namedTensors().keySet());
    }
    return t;
  }

  /** Freezes the first {@code count} top-level layers and makes the others trainable. */
  public void freeze(int count) {
    if (count < 0 || count > layers.size()) {
      throw new IllegalArgumentException(
          "cannot freeze " + count + " layers of a model with " + layers.size());
    }
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).setTrainable(i >= count);
    }
  }

  /** Makes every layer trainable again. */
  public void unfreeze() {
    freeze(0);
  }

  /**
   * A new model on the same backend made of this model's first {@code keep} layers (weights copied,
   * trainability kept) followed by {@code head} (freshly initialized from {@code seed}). This model
   * is left unchanged.
   */
  public Model replaceHead(int keep, long seed, LayerSpec... head) {
    if (keep < 0 || keep > layers.size()) {
      throw new IllegalArgumentException(
          "cannot keep " + keep + " layers of a model with " + layers.size());
    }
    List<LayerSpec> specs = new ArrayList<>(spec.layers().subList(0, keep));
    specs.addAll(Arrays.asList(head));
    Model copy = new Model(new ModelSpec(spec.inputs(), specs), backend, seed, null);
    copy.preprocessing = preprocessing; // the inputs are the same; the outputs are the new head's
    for (int i = 0; i < keep; i++) {
      Layer from = layers.get(i);
      Layer to = copy.layers.get(i);
      copyState(from, to);
      to.setTrainable(from.isTrainable());
    }
    return copy;
  }

  /** A new model made of the first {@code count} layers of this one, weights copied. */
  public Model prefix(int count) {
    return replaceHead(count, 0L);
  }

  private void copyState(Layer from, Layer to) {
    List<Layer> a = new ArrayList<>();
    List<Layer> b = new ArrayList<>();
    Layers.flatten(from, a);
    Layers.flatten(to, b);
    for (int i = 0; i < a.size(); i++) {
      copyAll(a.get(i).parameters(), b.get(i).parameters());
      copyAll(a.get(i).buffers(), b.get(i).buffers());
    }
  }

  private void copyAll(Map<String, Tensor> from, Map<String, Tensor> to) {
    for (Map.Entry<String, Tensor> e : from.entrySet()) {
      backend.copy(e.getValue(), to.get(e.getKey()));
    }
  }

  /**
   * The forward pass over {@code input} ({@code [rows, inputCount]}). The returned tensor belongs
   * to the model and stays valid until the next forward pass with the same row count.
   */
  public Tensor forward(Tensor input, Pass pass) {
    checkInput(input);
    if (pass.objective() != null) {
      loss = pass.objective();
    }
    Tensor h = input;
    for (Layer layer : layers) {
      h = layer.forward(h, pass);
    }
    return h;
  }

  /** An inference forward pass. */
  public Tensor forward(Tensor input) {
    return forward(input, Pass.INFERENCE);
  }

  /**
   * The inference pass over {@code input} with activations in {@code buffers}, shared by all
   * layers: the numbers of {@link #forward(Tensor)}, in memory that does not grow with the layer
   * count. The result lives in {@code buffers}, valid until its next pass.
   */
  Tensor infer(Tensor input, InferenceBuffers buffers) {
    checkInput(input);
    Tensor h = input;
    // By index: an iterator per call is garbage where the JIT does not remove it.
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).infer(h, buffers);
    }
    return h;
  }

  private void checkInput(Tensor input) {
    requireOpen();
    if (input.shape().rank() != 2 || input.shape().dim(1) != inputCount()) {
      throw new IllegalArgumentException(
          "layer "
              + layers.get(0).describe()
              + " expects input [rows, "
              + inputCount()
              + "], got "
              + input.shape());
    }
  }

  /**
   * The backward pass after a training forward pass: writes the gradients of trainable layers. Work
   * stops at the lowest trainable layer unless {@code inputGradient} asks for the gradient with
   * respect to the input, which is then returned (else null).
   */
  public Tensor backward(Tensor gradOutput, boolean inputGradient) {
    requireOpen();
    int lowest = inputGradient ? 0 : lowestTrainable();
    if (lowest < 0) {
      return null;
    }
    Tensor g = gradOutput;
    for (int i = layers.size() - 1; i >= lowest; i--) {
      Layer layer = layers.get(i);
      boolean needInput = inputGradient || i > lowest;
      g = layer.backward(g, needInput, layer.isTrainable());
    }
    return g;
  }

  /** The backward pass, stopping at the lowest trainable layer. */
  public void backward(Tensor gradOutput) {
    backward(gradOutput, false);
  }

  private int lowestTrainable() {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).isTrainable() && Layers.hasParameters(layers.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The loss this model is trained for, which {@link #evaluate(DataSet)} and {@link
   * #predict(float[][])} follow: the objective of its last training pass ({@link Pass#objective()},
   * which the trainer names), else the one it was built with ({@link #fromSpec(ModelSpec, Backend,
   * long, Loss)}, as a model file records it), else null.
   */
  public Loss loss() {
    return loss;
  }

  /**
   * How raw rows become this model's inputs: column names, one-hot vocabularies of text columns,
   * the input scale and the fitted scaling. Every method of this class that takes examples ({@code
   * predict...}, {@link #evaluate}) and {@code Trainer.fit} apply it, so they all take raw rows; a
   * model file stores it. By default: unnamed inputs used as they are.
   */
  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /**
   * Makes {@code p} this model's preprocessing: from now on every method that takes examples
   * applies it. Set it before training on raw data (then {@code Trainer.fit} applies it too), or
   * after training on data that was scaled the same way by hand.
   *
   * @throws IllegalArgumentException if {@code p} does not produce {@link #inputCount()} inputs
   * @throws IllegalStateException while other threads predict with this model
   */
  public void setPreprocessing(Preprocessing p) {
    Objects.requireNonNull(p, "preprocessing");
    if (p.width() != inputCount()) {
      throw new IllegalArgumentException(
          "the preprocessing produces "
              + p.width()
              + " inputs but the model takes "
              + inputCount());
    }
    exclusively(() -> preprocessing = p);
  }

  /**
   * How a regression model's targets were scaled for training: its predictions are given back in
   * the target's own units with it. Empty for a model whose outputs are its answers.
   */
  public Optional<TargetScaling> targetScaling() {
    return Optional.ofNullable(targetScaling);
  }

  /**
   * Makes {@code scaling} (null for none) this model's target scaling: {@code Trainer.fit} scales
   * the targets it trains on with it, {@link #evaluate} the targets it measures the loss on, and
   * {@link #predict(float[][])} un-scales its answers.
   *
   * @throws IllegalArgumentException if its width is not {@link #outputCount()}
   * @throws IllegalStateException while other threads predict with this model
   */
  public void setTargetScaling(TargetScaling scaling) {
    if (scaling != null && scaling.width() != outputCount()) {
      throw new IllegalArgumentException(
          "the target scaling has "
              + scaling.width()
              + " targets but the model has "
              + outputCount()
              + " outputs");
    }
    exclusively(() -> targetScaling = scaling);
  }

  /** The name of each output class; empty when not known. */
  public List<String> classNames() {
    return classNames;
  }

  /**
   * Names the output classes (empty for none).
   *
   * @throws IllegalArgumentException unless there is one distinct, non-null name per output
   */
  public void setClassNames(List<String> names) {
    List<String> copy = List.copyOf(names);
    if (!copy.isEmpty()
        && (copy.size() != outputCount() || new java.util.HashSet<>(copy).size() != copy.size())) {
      throw new IllegalArgumentException(
          copy.size() + " class names for a model with " + outputCount() + " outputs: " + copy);
    }
    classNames = copy;
  }

  /**
   * The model's answer for every raw row of {@code inputs}, {@code [rows][outputCount]}, in its own
   * terms: class probabilities (softmax of the outputs) for a model trained with softmax
   * cross-entropy or whose loss is not known, per-output probabilities (sigmoid) under sigmoid
   * binary cross-entropy, and values in the target's units under mean squared error (regression,
   * the {@linkplain #targetScaling() target scaling} undone). Safe from any number of threads.
   *
   * @throws IllegalArgumentException if {@code inputs} is empty, a row has the wrong width or a
   *     value is not finite (naming the row)
   */
  public float[][] predict(float[][] inputs) {
    return serve(i -> i.predict(inputs, loss));
  }

  /** As {@link #predict(float[][])}, for the examples of {@code data}. */
  public float[][] predict(DataSet data) {
    return serve(i -> i.predict(data, loss));
  }

  /**
   * The latency path: the model's answer for one raw row, or for several stored back to back in
   * {@code rows} ({@code rows.length / inputCount()} of them), written into {@code out} row after
   * row ({@code outputCount()} values each), in the same terms and with the same values, bit for
   * bit, as {@link #predict(float[][])} on those rows. No data set, row array or result array is
   * made: a steady stream of calls of one row count allocates nothing on the heap or the device.
   * Safe from any number of threads, as the other {@code predict} methods.
   *
   * @throws IllegalArgumentException if {@code rows} is empty or not a whole number of rows, a
   *     value is not finite (naming the row and feature), or {@code out} is too short
   */
  public void predict(float[] rows, float[] out) {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(out, "out");
    int width = preprocessing.width();
    if (rows.length == 0 || rows.length % width != 0) {
      throw new IllegalArgumentException(
          "the rows have "
              + rows.length
              + " values, not a whole number of rows of the "
              + width
              + " features the model takes (the inputs of its first layer "
              + layers.get(0).name()
              + ")");
    }
    int count = rows.length / width;
    // As serve, with the pool's own latency call: a lambda here would be allocated per call.
    requireOpen();
    access.startInference();
    try {
      if (backend.isThreadSafe()) {
        pool.predict(rows, count, out, loss);
      } else {
        synchronized (backend) {
          pool.predict(rows, count, out, loss);
        }
      }
    } finally {
      access.endInference();
    }
  }

  /** The predicted class of every raw row: the index of its highest output. */
  public int[] predictClasses(float[][] inputs) {
    return serve(i -> i.predictClasses(inputs));
  }

  /** The predicted class of every example of {@code data}: the index of its highest output. */
  public int[] predictClasses(DataSet data) {
    return serve(i -> i.predictClasses(data));
  }

  /**
   * The name of the predicted class of every raw row, as {@link #classNames()} has it (the class
   * number as text when the model has no names).
   */
  public List<String> predictClassNames(float[][] inputs) {
    return namesOf(predictClasses(inputs));
  }

  /** As {@link #predictClassNames(float[][])}, for the examples of {@code data}. */
  public List<String> predictClassNames(DataSet data) {
    return namesOf(predictClasses(data));
  }

  /** The name of each class in {@code classes}, as {@link #classNames()} has it. */
  private List<String> namesOf(int[] classes) {
    List<String> names = classNames;
    List<String> out = new ArrayList<>(classes.length);
    for (int c : classes) {
      out.add(names.isEmpty() ? Integer.toString(c) : names.get(c));
    }
    return out;
  }

  /**
   * Softmax probabilities of every example, row-major {@code [size, outputCount]}; meaningful for a
   * model trained with softmax cross-entropy, whose last layer produces logits.
   */
  public float[] predictProbabilities(DataSet data) {
    return serve(i -> i.predictProbabilities(data));
  }

  /**
   * The outputs of the last layer for every example, row-major {@code [size, outputCount]}: logits
   * for a classifier, and for a regression model the scaled values its network learned (use {@link
   * #predict(DataSet)} for values in the target's units).
   */
  public float[] predictOutputs(DataSet data) {
    return serve(i -> i.predictOutputs(data));
  }

  /**
   * Loss and accuracy (or, for float targets, RMSE, MAE and R² in the target's units) on {@code
   * data}, with {@link #loss()} or the default for the data type.
   */
  public Evaluation evaluate(DataSet data) {
    Loss l = loss;
    if (l == null) {
      l = data.isClassification() ? Loss.SOFTMAX_CROSS_ENTROPY : Loss.MEAN_SQUARED_ERROR;
    }
    return evaluate(data, l);
  }

  /**
   * As {@link #evaluate(DataSet)} under {@code loss}, in inference mode. The loss of a regression
   * model is measured on its scaled targets, as training measured it.
   */
  public Evaluation evaluate(DataSet data, Loss loss) {
    return serve(i -> i.evaluate(data, loss));
  }

  /**
   * Marks the calling thread as the one that trains this model until the returned lease is closed:
   * {@code Trainer.fit} and each training step hold one. Inference calls from other threads are
   * refused meanwhile (the calling thread's own are allowed, for dev evaluations), and the lease is
   * refused while other threads' inference calls run. Leases of one thread nest.
   *
   * @throws IllegalStateException if another thread trains this model or predictions are running
   */
  public TrainingLease lockForTraining() {
    requireOpen();
    access.startTraining();
    return new TrainingLease(access);
  }

  /** The calling thread's hold on a model for training; close it from the same thread. */
  public static final class TrainingLease implements AutoCloseable {
    private final AccessGuard access;
    private boolean released;

    private TrainingLease(AccessGuard access) {
      this.access = access;
    }

    /** Lets other threads predict again (when this was the thread's outermost lease). */
    @Override
    public void close() {
      if (!released) {
        released = true;
        access.endTraining();
      }
    }
  }

  /**
   * Runs {@code work} with an evaluator of the pool: concurrent calls get evaluators of their own;
   * on a backend that is not thread-safe they take turns on its monitor.
   */
  private <T> T serve(Function<Inference, T> work) {
    requireOpen();
    access.startInference();
    try {
      if (backend.isThreadSafe()) {
        return pool.with(work);
      }
      synchronized (backend) {
        return pool.with(work);
      }
    } finally {
      access.endInference();
    }
  }

  /** Runs {@code change} as the training thread: refused while other threads predict. */
  private void exclusively(Runnable change) {
    requireOpen();
    access.startTraining();
    try {
      change.run();
    } finally {
      access.endTraining();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the model is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    exclusively(
        () -> {
          closed = true;
          pool.close();
          layers.forEach(Layer::close);
        });
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Model[" + inputCount() + " inputs");
    for (Layer layer : layers) {
      s.append(", ").append(layer.describe());
    }
    return s.append(']').toString();
  }
}
