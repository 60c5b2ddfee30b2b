package dev.dnn.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.data.FeatureScaler;
import dev.dnn.data.ScalerParams;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Residual;
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
 * Saves and loads trained models as safetensors files that PyTorch can also open: every parameter
 * and buffer as a float32 tensor under its model name, the architecture ({@link ModelSpec} as JSON)
 * and the input preprocessing ({@link ScalerParams} as JSON) in the {@code __metadata__} map. Also
 * saves and restores training checkpoints (model, optimizer state, position, seed). Saves are
 * atomic: a crash during a save leaves the previous file intact.
 *
 * <pre>{@code
 * ModelFile.save(model, scaler.params(), Path.of("fashion.safetensors"));
 * try (ModelFile.Loaded loaded = ModelFile.load(Path.of("fashion.safetensors"), backend)) {
 *   int[] classes = loaded.model().predict(loaded.preprocess(test));
 * }
 * }</pre>
 */
public final class ModelFile {
  /** The value of {@value #KEY_FORMAT} in files written by this version. */
  public static final String FORMAT = "dnn-model/1";

  /** Metadata key of the format marker. */
  public static final String KEY_FORMAT = "dnn.format";

  /** Metadata key of the architecture JSON. */
  public static final String KEY_SPEC = "dnn.spec";

  /** Metadata key of the preprocessing JSON (absent when inputs are used as they are). */
  public static final String KEY_PREPROCESSING = "dnn.preprocessing";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFile() {}

  /** A model read from a file, with the preprocessing its inputs need. Closing closes the model. */
  public record Loaded(Model model, Optional<ScalerParams> preprocessing) implements AutoCloseable {
    /** Applies the stored preprocessing to {@code data} (returns it unchanged if there is none). */
    public DataSet preprocess(DataSet data) {
      return preprocessing.map(p -> FeatureScaler.of(p).apply(data)).orElse(data);
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
   * Writes {@code model}'s architecture, parameters and buffers, and {@code preprocessing} (may be
   * null) to {@code path}, atomically.
   */
  public static void save(Model model, ScalerParams preprocessing, Path path) throws IOException {
    Map<String, String> metadata = describe(model, preprocessing);
    SafeTensors.write(path, hostCopies(model.namedTensors()), metadata);
  }

  /**
   * Reads a model file and builds the model on {@code backend}.
   *
   * @throws MalformedFileException if the file is not a model file, its architecture cannot be
   *     read, or its tensors do not match the architecture (names and shapes)
   */
  public static Loaded load(Path path, Backend backend) throws IOException {
    SafeTensorsFile file = SafeTensors.read(path);
    String name = path.toString();
    checkFormat(file.metadata().get(KEY_FORMAT), name);
    ModelSpec spec = spec(file.metadata(), name);
    Optional<ScalerParams> preprocessing = preprocessing(file.metadata(), name);
    requireStoredSize(spec, file.tensors(), name);
    Model model = Model.fromSpec(spec, backend);
    try {
      fill(model, file.tensors(), name);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
    return new Loaded(model, preprocessing);
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
    checkFormat(checkpoint.extra().get(KEY_FORMAT), name);
    ModelSpec spec = spec(checkpoint.extra(), name);
    Optional<ScalerParams> preprocessing = preprocessing(checkpoint.extra(), name);
    requireStoredSize(spec, checkpoint.parameters(), name);
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

  private static Map<String, String> describe(Model model, ScalerParams preprocessing)
      throws JsonProcessingException {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(KEY_FORMAT, FORMAT);
    metadata.put(KEY_SPEC, JSON.writeValueAsString(model.spec()));
    if (preprocessing != null) {
      metadata.put(KEY_PREPROCESSING, JSON.writeValueAsString(preprocessing));
    }
    return metadata;
  }

  private static Map<String, HostArray> hostCopies(Map<String, Tensor> tensors) {
    Map<String, HostArray> host = new LinkedHashMap<>();
    tensors.forEach((k, t) -> host.put(k, new HostArray(t.shape().dims(), t.toArray())));
    return host;
  }

  private static void checkFormat(String format, String file) throws MalformedFileException {
    if (!FORMAT.equals(format)) {
      throw new MalformedFileException(
          file,
          "metadata " + KEY_FORMAT,
          format == null
              ? "not a dnn model file (no " + KEY_FORMAT + " entry)"
              : "format '" + format + "' is not supported (expected " + FORMAT + ")");
    }
  }

  private static ModelSpec spec(Map<String, String> metadata, String file)
      throws MalformedFileException {
    String json = metadata.get(KEY_SPEC);
    if (json == null) {
      throw new MalformedFileException(file, "metadata", "missing " + KEY_SPEC);
    }
    try {
      return JSON.readValue(json, ModelSpec.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new MalformedFileException(
          file, "metadata " + KEY_SPEC, "invalid architecture: " + e.getMessage(), e);
    }
  }

  private static Optional<ScalerParams> preprocessing(Map<String, String> metadata, String file)
      throws MalformedFileException {
    String json = metadata.get(KEY_PREPROCESSING);
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(json, ScalerParams.class));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new MalformedFileException(
          file, "metadata " + KEY_PREPROCESSING, "invalid preprocessing: " + e.getMessage(), e);
    }
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

  /** Adds to {@code needed[0]} the values of the width-dependent tensors; returns the width. */
  private static int walk(List<LayerSpec> layers, int width, long[] needed) {
    for (LayerSpec layer : layers) {
      if (layer instanceof Dense d) {
        needed[0] =
            Math.addExact(needed[0], Math.addExact((long) d.inputs() * d.outputs(), d.outputs()));
      } else if (layer instanceof BatchNorm) {
        // Scale and shift, running mean and variance.
        needed[0] = Math.addExact(needed[0], 4L * width);
      } else if (layer instanceof Residual r) {
        walk(r.body(), width, needed);
      }
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
      model.set(e.getKey(), array.data());
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
