package dev.dnn.io;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.data.InputColumn;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.ScalerParams;
import dev.dnn.data.TargetScaling;
import dev.dnn.internal.io.Json;
import dev.dnn.loss.Loss;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Optimizer;
import dev.dnn.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Saves and loads trained models as safetensors files in PyTorch's layout: every parameter and
 * buffer as a tensor named and shaped as the equivalent {@code torch.nn} module stores it (a module
 * whose {@code nn.Sequential} is called {@code layers}: {@code nn.Linear} weights {@code [out,
 * in]}, batch norm with {@code num_batches_tracked}, PReLU's slopes as {@code weight}), so that
 * {@code load_state_dict(..., strict=True)} accepts the file as it is. The {@code __metadata__} map
 * holds all that is needed to rebuild the model: the architecture ({@value #KEY_SPEC}, {@link
 * ModelSpec} as JSON), the input scaling ({@value #KEY_INPUT_SCALE}) and preprocessing ({@value
 * #KEY_PREPROCESSING}, {@link ScalerParams} as JSON), the class names ({@value #KEY_CLASSES}) and
 * the loss ({@value #KEY_LOSS}). Files of the first format ({@value #FORMAT_V1}, weights {@code
 * [in, out]}) still load. Also saves and restores training checkpoints (model, optimizer state,
 * position, seed), which keep the model's own layout. Saves are atomic: a crash during a save
 * leaves the previous file intact.
 *
 * <p>Readers check what a file declares against what it holds and against the memory this JVM may
 * use before they allocate, and refuse non-finite weights, naming the tensor.
 *
 * <pre>{@code
 * ModelFile.save(model, scaler.params(), Path.of("fashion.safetensors"));
 * try (ModelFile.Loaded loaded = ModelFile.load(Path.of("fashion.safetensors"), backend)) {
 *   int[] classes = loaded.model().predict(loaded.preprocess(test));
 * }
 * }</pre>
 *
 * <p>Has no mutable state: its methods may be called from any thread, and two saves to one file at
 * once fail with {@link ConcurrentSaveException}. A save reads the model's tensors without the
 * model's locks, so it must not overlap training of that model, nor, on a backend that is not
 * thread-safe, other threads' use of it.
 */
public final class ModelFile {
  /**
   * The value of {@value #KEY_FORMAT} in files written by this version: the second format plus the
   * raw columns ({@value #KEY_COLUMNS}) and the target scaling ({@value #KEY_TARGET_SCALING}),
   * which a reader of the second format would ignore and so answer in scaled units.
   */
  public static final String FORMAT = "dnn-model/3";

  /** The second format: PyTorch's layout, without columns or target scaling; still read. */
  public static final String FORMAT_V2 = "dnn-model/2";

  /** The first format: the model's own layout (dense weights {@code [in, out]}); still read. */
  public static final String FORMAT_V1 = "dnn-model/1";

  /** Metadata key of the format marker. */
  public static final String KEY_FORMAT = "dnn.format";

  /** Metadata key of the architecture JSON. */
  public static final String KEY_SPEC = "dnn.spec";

  /** Metadata key of the preprocessing JSON (absent when inputs are used as they are). */
  public static final String KEY_PREPROCESSING = "dnn.preprocessing";

  /**
   * Metadata key of the factor that raw inputs (such as pixel values 0-255) are multiplied by
   * before the preprocessing of {@value #KEY_PREPROCESSING}; absent means 1.
   */
  public static final String KEY_INPUT_SCALE = "dnn.input_scale";

  /** Metadata key of the class names, a JSON array of strings (absent when not known). */
  public static final String KEY_CLASSES = "dnn.classes";

  /** Metadata key of the loss the model was trained with ({@link Loss} constant name). */
  public static final String KEY_LOSS = "dnn.loss";

  /**
   * Metadata key of the raw input columns, a JSON array of {@code {"name":..., "categories":[...]}}
   * ({@link InputColumn}; empty categories for a numeric column); absent when the inputs are not
   * named.
   */
  public static final String KEY_COLUMNS = "dnn.columns";

  /**
   * Metadata key of a regression model's target scaling, {@code {"offset":[...], "scale":[...]}}
   * ({@link TargetScaling}: answers are {@code output / scale + offset}); absent when the outputs
   * are the answers.
   */
  public static final String KEY_TARGET_SCALING = "dnn.target_scaling";

  /**
   * Metadata key of where the model's training data came from (free JSON that the command line
   * writes: file, size, seed and split), so that later commands can tell the training file when
   * they see it again; absent when not recorded.
   */
  public static final String KEY_TRAINING_DATA = "dnn.training_data";

  private ModelFile() {}

  /**
   * What a model file records besides the model: how raw inputs become the model's inputs, and what
   * its outputs mean.
   *
   * @param inputScale the factor raw inputs are multiplied by first (1/255 for pixels), positive
   * @param preprocessing then applied to the scaled inputs; null if none
   * @param classes the name of each output class; empty if not known
   */
  public record Description(double inputScale, ScalerParams preprocessing, List<String> classes) {
    /** Validates the scale and copies the class names. */
    public Description {
      if (!(inputScale > 0) || Double.isInfinite(inputScale)) {
        throw new IllegalArgumentException("input scale must be positive, got " + inputScale);
      }
      classes = List.copyOf(classes);
    }

    /** What {@code model} itself carries: its input scale, scaling and class names. */
    public static Description from(Model model) {
      Preprocessing p = model.preprocessing();
      return new Description(p.inputScale(), p.scaling().orElse(null), model.classNames());
    }

    /** Inputs used as they are, then {@code preprocessing} (may be null); no class names. */
    public static Description of(ScalerParams preprocessing) {
      return new Description(1, preprocessing, List.of());
    }

    /** This description with raw inputs multiplied by {@code scale} first. */
    public Description withInputScale(double scale) {
      return new Description(scale, preprocessing, classes);
    }

    /** This description with these class names. */
    public Description withClasses(List<String> names) {
      return new Description(inputScale, preprocessing, names);
    }
  }

  /**
   * A model read from a file, with the preprocessing its inputs need. Closing closes the model.
   *
   * @param model the model, with the loss it was trained with if the file records it
   * @param preprocessing applied by {@link #preprocess} to inputs already multiplied by {@code
   *     inputScale}
   * @param classes the class names, empty if the file records none
   * @param inputScale the factor raw inputs are multiplied by before {@code preprocessing}
   * @param trainingData the record of the data the model was trained on ({@value
   *     #KEY_TRAINING_DATA}), if the file has one
   */
  public record Loaded(
      Model model,
      Optional<ScalerParams> preprocessing,
      List<String> classes,
      double inputScale,
      Optional<String> trainingData)
      implements AutoCloseable {
    /** A loaded model without class names whose inputs need no scaling. */
    public Loaded(Model model, Optional<ScalerParams> preprocessing) {
      this(model, preprocessing, List.of(), 1, Optional.empty());
    }

    /** A loaded model without a record of its training data. */
    public Loaded(
        Model model,
        Optional<ScalerParams> preprocessing,
        List<String> classes,
        double inputScale) {
      this(model, preprocessing, classes, inputScale, Optional.empty());
    }

    /** Copies the class names. */
    public Loaded {
      classes = List.copyOf(classes);
    }

    /**
     * Returns {@code data} unchanged: the loaded model applies its preprocessing itself ({@link
     * Model#preprocessing()}) in every method that takes examples, so raw examples go to it as they
     * are.
     *
     * @deprecated pass raw examples to the model; kept so that code written for the second format,
     *     which preprocessed by hand, still gives the right answers
     */
    @Deprecated
    public DataSet preprocess(DataSet data) {
      return data;
    }

    /** What the file records besides the model, to save a derived model with. */
    public Description description() {
      return new Description(inputScale, preprocessing.orElse(null), classes);
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /** A checkpoint restored onto a backend: the model, and the run's position. */
  public record Restored(Model model, Checkpoint checkpoint, Optional<ScalerParams> preprocessing)
      implements AutoCloseable {
    @Override
    public void close() {
      model.close();
    }
  }

  /**
   * Writes {@code model} to {@code path}, atomically: its architecture, its tensors in PyTorch's
   * layout, its loss, and all that makes it a predictor (raw columns, input scale, scaling, target
   * scaling, class names), so that the model loaded from the file answers raw rows as this one
   * does.
   */
  public static void save(Model model, Path path) throws IOException {
    saveWith(model, Description.from(model), path);
  }

  /**
   * Writes {@code model} with {@code preprocessing} (may be null) as the scaling of its inputs, for
   * a model trained on data scaled by hand and whose own preprocessing has no scaling.
   */
  public static void save(Model model, ScalerParams preprocessing, Path path) throws IOException {
    saveWith(model, Description.of(preprocessing), path);
  }

  /**
   * As {@link #save(Model, ScalerParams, Path)}, with the name of each output class ({@code
   * classes}, one per output, or empty for the model's own).
   */
  public static void save(Model model, ScalerParams preprocessing, List<String> classes, Path path)
      throws IOException {
    saveWith(model, Description.of(preprocessing).withClasses(classes), path);
  }

  /**
   * Writes {@code model} as {@link #save(Model, Path)} does, with {@code description} added: its
   * input scale and scaling where the model has none of its own (a model trained on data scaled by
   * hand), its class names where given.
   *
   * @throws IllegalArgumentException if class names are given but not one per output, or the
   *     description and the model both scale the inputs
   */
  public static void saveWith(Model model, Description description, Path path) throws IOException {
    saveWith(model, description, null, path);
  }

  /**
   * As {@link #saveWith(Model, Description, Path)}, recording {@code trainingData} (JSON, may be
   * null) under {@value #KEY_TRAINING_DATA}.
   */
  public static void saveWith(Model model, Description description, String trainingData, Path path)
      throws IOException {
    Preprocessing p = merged(model, description);
    List<String> classes =
        description.classes().isEmpty() ? model.classNames() : description.classes();
    if (!classes.isEmpty() && classes.size() != model.outputCount()) {
      throw new IllegalArgumentException(
          classes.size() + " class names for a model with " + model.outputCount() + " outputs");
    }
    Map<String, String> metadata = describe(model, p.scaling().orElse(null));
    metadata.put(KEY_FORMAT, FORMAT);
    if (p.inputScale() != 1) {
      metadata.put(KEY_INPUT_SCALE, Double.toString(p.inputScale()));
    }
    if (!p.columns().isEmpty()) {
      List<Map<String, Object>> columns = new java.util.ArrayList<>();
      for (InputColumn c : p.columns()) {
        columns.add(Map.of("name", c.name(), "categories", c.categories()));
      }
      metadata.put(KEY_COLUMNS, Json.write(columns));
    }
    model
        .targetScaling()
        .ifPresent(
            t ->
                metadata.put(
                    KEY_TARGET_SCALING,
                    Json.write(Map.of("offset", t.offset(), "scale", t.scale()))));
    if (!classes.isEmpty()) {
      metadata.put(KEY_CLASSES, Json.write(classes));
    }
    if (model.loss() != null) {
      metadata.put(KEY_LOSS, model.loss().name());
    }
    if (trainingData != null) {
      metadata.put(KEY_TRAINING_DATA, trainingData);
    }
    TorchLayout layout = TorchLayout.of(model.spec());
    SafeTensors.write(
        path, layout.toTorch(hostCopies(model.namedTensors())), metadata, layout.int64Names());
  }

  /** The model's preprocessing with the description's scale and scaling added where it has none. */
  private static Preprocessing merged(Model model, Description d) {
    Preprocessing p = model.preprocessing();
    if (d.inputScale() != 1) {
      if (p.inputScale() != 1 && p.inputScale() != d.inputScale()) {
        throw new IllegalArgumentException(
            "the model scales its inputs by "
                + p.inputScale()
                + " and the description by "
                + d.inputScale()
                + "; give one");
      }
      p = p.withInputScale(d.inputScale());
    }
    if (d.preprocessing() != null) {
      if (p.scaling().isPresent() && !p.scaling().get().equals(d.preprocessing())) {
        throw new IllegalArgumentException(
            "the model has a "
                + p.scaling().get().kind()
                + " scaling of its own and the description another; give one");
      }
      p = p.withScaling(d.preprocessing());
    }
    return p;
  }

  /**
   * Reads a model file and builds the model on {@code backend}.
   *
   * @throws MalformedFileException if the file is not a model file, its architecture cannot be
   *     read, its tensors do not match the architecture (names and shapes), a weight is not finite,
   *     or the model it declares would not fit in memory
   */
  public static Loaded load(Path path, Backend backend) throws IOException {
    SafeTensorsFile file = SafeTensors.read(path);
    String name = path.toString();
    String format = checkFormat(file.metadata().get(KEY_FORMAT), name);
    return build(
        FileMetadata.spec(file.metadata(), name), file, !format.equals(FORMAT_V1), backend, name);
  }

  /**
   * Reads the weights of a model of architecture {@code spec} from a safetensors file in PyTorch's
   * layout, such as {@code safetensors.torch.save_file(module.state_dict(), path)} writes for the
   * module {@code python/dnn_torch.py} builds from {@code spec}. The file needs no dnn metadata;
   * preprocessing, class names and loss are taken from it where it has them.
   *
   * @throws MalformedFileException if the tensors do not match {@code spec} (names and shapes), a
   *     weight is not finite, or the model would not fit in memory
   */
  public static Loaded load(Path path, ModelSpec spec, Backend backend) throws IOException {
    SafeTensorsFile file = SafeTensors.read(path);
    String format = file.metadata().get(KEY_FORMAT);
    return build(spec, file, !FORMAT_V1.equals(format), backend, path.toString());
  }

  /** Reads an architecture written as JSON ({@link ModelSpec}, as in {@value #KEY_SPEC}). */
  public static ModelSpec readSpec(Path path) throws IOException {
    return FileMetadata.spec(
        Map.of(KEY_SPEC, java.nio.file.Files.readString(path)), path.toString());
  }

  private static Loaded build(
      ModelSpec spec, SafeTensorsFile file, boolean torchLayout, Backend backend, String name)
      throws IOException {
    Map<String, String> metadata = file.metadata();
    Optional<ScalerParams> preprocessing = FileMetadata.preprocessing(metadata, name);
    List<String> classes = FileMetadata.classes(metadata, name, spec.outputs());
    double inputScale = FileMetadata.inputScale(metadata, name);
    Optional<Loss> loss = FileMetadata.loss(metadata, name);
    requireStoredSize(spec, file.tensors(), name);
    Map<String, HostArray> tensors =
        torchLayout ? TorchLayout.of(spec).fromTorch(file.tensors(), name) : file.tensors();
    ModelBudget.check(spec, tensors, backend, name);
    FileMetadata.requireFinite(tensors, name);
    List<InputColumn> columns = FileMetadata.columns(metadata, name, spec.inputs());
    Optional<TargetScaling> targetScaling =
        FileMetadata.targetScaling(metadata, name, spec.outputs());
    Model model = Model.fromSpec(spec, backend, 0L, loss.orElse(null));
    try {
      fill(model, tensors, name);
      Preprocessing p = Preprocessing.none(spec.inputs()).withInputScale(inputScale);
      if (!columns.isEmpty()) {
        p = p.withColumns(columns);
      }
      try {
        p = p.withScaling(preprocessing.orElse(null));
      } catch (IllegalArgumentException e) {
        throw new MalformedFileException(name, "metadata " + KEY_PREPROCESSING, e.getMessage());
      }
      model.setPreprocessing(p);
      model.setTargetScaling(targetScaling.orElse(null));
      model.setClassNames(classes);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
    return new Loaded(
        model,
        preprocessing,
        classes,
        inputScale,
        Optional.ofNullable(metadata.get(KEY_TRAINING_DATA)));
  }

  /**
   * Writes a training checkpoint: the model (as {@link #save} does), the optimizer's state tensors
   * and step count, the epoch and the seed, atomically.
   */
  public static void saveCheckpoint(
      Path path, Model model, Optimizer optimizer, int epoch, long seed, ScalerParams preprocessing)
      throws IOException {
    Checkpoint checkpoint =
        new Checkpoint(
            hostCopies(model.namedTensors()),
            hostCopies(optimizer.state()),
            optimizer.stepCount(),
            epoch,
            seed,
            describe(model, preprocessing));
    checkpoint.save(path);
  }

  /**
   * Restores a checkpoint: builds the model on {@code backend} with the saved weights, and puts the
   * saved state tensors and step count into {@code optimizer} (which must be of the same kind as
   * the one saved).
   *
   * @throws MalformedFileException if the file is not a checkpoint of a model, or its tensors do
   *     not match the architecture or the optimizer
   */
  public static Restored loadCheckpoint(Path path, Backend backend, Optimizer optimizer)
      throws IOException {
    Checkpoint checkpoint = Checkpoint.load(path);
    String name = path.toString();
    if (!FORMAT_V1.equals(checkFormat(checkpoint.extra().get(KEY_FORMAT), name))) {
      throw new MalformedFileException(
          name, "metadata " + KEY_FORMAT, "a model file, not a training checkpoint");
    }
    ModelSpec spec = FileMetadata.spec(checkpoint.extra(), name);
    Optional<ScalerParams> preprocessing = FileMetadata.preprocessing(checkpoint.extra(), name);
    requireStoredSize(spec, checkpoint.parameters(), name);
    ModelBudget.check(spec, checkpoint.parameters(), backend, name);
    FileMetadata.requireFinite(checkpoint.parameters(), name);
    Model model = Model.fromSpec(spec, backend);
    try {
      fill(model, checkpoint.parameters(), name);
      restoreOptimizer(model, optimizer, checkpoint, name);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
    return new Restored(model, checkpoint, preprocessing);
  }

  private static Map<String, String> describe(Model model, ScalerParams preprocessing) {
    Map<String, String> metadata = new LinkedHashMap<>();
    // Checkpoints keep the model's own layout (the first format); save() marks the second.
    metadata.put(KEY_FORMAT, FORMAT_V1);
    metadata.put(KEY_SPEC, model.spec().toJson());
    if (preprocessing != null) {
      metadata.put(KEY_PREPROCESSING, Json.write(preprocessing));
    }
    return metadata;
  }

  private static Map<String, HostArray> hostCopies(Map<String, Tensor> tensors) {
    Map<String, HostArray> host = new LinkedHashMap<>();
    tensors.forEach((k, t) -> host.put(k, new HostArray(t.shape().dims(), t.toArray())));
    return host;
  }

  /** Returns {@code format} if this version reads it. */
  private static String checkFormat(String format, String file) throws MalformedFileException {
    if (!FORMAT.equals(format) && !FORMAT_V2.equals(format) && !FORMAT_V1.equals(format)) {
      throw new MalformedFileException(
          file,
          "metadata " + KEY_FORMAT,
          format == null
              ? "not a dnn model file (no "
                  + KEY_FORMAT
                  + " entry); a file of weights alone loads with its architecture"
                  + " (ModelFile.load(path, spec, backend), evaluate --spec)"
              : "format '"
                  + format
                  + "' is not supported (expected "
                  + FORMAT
                  + ", "
                  + FORMAT_V2
                  + " or "
                  + FORMAT_V1
                  + ")");
    }
    return format;
  }

  /**
   * Checks, before anything is allocated, that the architecture needs no more values than the file
   * stores: a damaged or hostile spec ({@code Dense.of(100000, 100000)}) must not exhaust memory.
   * Names and exact shapes are checked once the model is built.
   */
  private static void requireStoredSize(ModelSpec spec, Map<String, HostArray> stored, String file)
      throws MalformedFileException {
    long available = 0;
    for (HostArray a : stored.values()) {
      available += a.size();
    }
    long[] needed = {0};
    try {
      walk(spec.layers(), spec.inputs(), needed);
    } catch (ArithmeticException e) {
      needed[0] = Long.MAX_VALUE;
    }
    if (needed[0] > available) {
      throw new MalformedFileException(
          file,
          "metadata " + KEY_SPEC,
          "the architecture needs at least "
              + (needed[0] == Long.MAX_VALUE ? "2^63" : needed[0])
              + " stored values but the file holds "
              + available);
    }
  }

  /** Adds to {@code needed[0]} the values the layers keep; returns the width they produce. */
  private static int walk(List<LayerSpec> layers, int width, long[] needed) {
    for (LayerSpec layer : layers) {
      needed[0] = Math.addExact(needed[0], layer.storedValues(width));
      width = layer.outputWidth(width);
    }
    return width;
  }

  /** Copies the stored tensors into the model, requiring exactly its names and shapes. */
  private static void fill(Model model, Map<String, HostArray> stored, String file)
      throws MalformedFileException {
    Map<String, Tensor> expected = model.namedTensors();
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      HostArray array = stored.get(e.getKey());
      if (array == null) {
        throw new MalformedFileException(
            file, "tensors", "missing tensor '" + e.getKey() + "' of the architecture");
      }
      requireShape(e.getKey(), e.getValue(), array, file);
      model.set(e.getKey(), array.shape(), array.data());
    }
    for (String k : stored.keySet()) {
      if (!expected.containsKey(k)) {
        throw new MalformedFileException(
            file, "tensors", "tensor '" + k + "' is not part of the architecture");
      }
    }
  }

  private static void restoreOptimizer(
      Model model, Optimizer optimizer, Checkpoint checkpoint, String file)
      throws MalformedFileException {
    optimizer.reset();
    Map<String, HostArray> saved = checkpoint.optimizerState();
    // Only parameters that had state when saved get it back (frozen layers have none).
    Map<String, Tensor> withState = new LinkedHashMap<>();
    model
        .parameters()
        .forEach(
            (p, t) -> {
              for (String k : saved.keySet()) {
                if (k.startsWith(p + ".")) {
                  withState.put(p, t);
                  break;
                }
              }
            });
    Map<String, Tensor> state = optimizer.state(withState);
    Set<String> restored = new HashSet<>();
    for (Map.Entry<String, HostArray> e : saved.entrySet()) {
      Tensor target = state.get(e.getKey());
      if (target == null) {
        throw new MalformedFileException(
            file,
            "tensors",
            "optimizer state '"
                + e.getKey()
                + "' does not fit "
                + optimizer
                + " (its state: "
                + state.keySet()
                + ")");
      }
      requireShape(e.getKey(), target, e.getValue(), file);
      target.backend().copyFromHost(e.getValue().data(), 0, target);
      restored.add(e.getKey());
    }
    if (!restored.containsAll(state.keySet())) {
      Set<String> missing = new HashSet<>(state.keySet());
      missing.removeAll(restored);
      throw new MalformedFileException(
          file, "tensors", "optimizer state " + missing + " is missing from the checkpoint");
    }
    optimizer.setStepCount(checkpoint.step());
  }

  private static void requireShape(String name, Tensor target, HostArray array, String file)
      throws MalformedFileException {
    if (!Arrays.equals(target.shape().dims(), array.shape())) {
      throw new MalformedFileException(
          file,
          "tensors",
          "tensor '"
              + name
              + "' has shape "
              + Arrays.toString(array.shape())
              + " but the architecture needs "
              + target.shape());
    }
  }
}
