package dev.dnn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of training to resume from: the parameters, the optimizer's state tensors (moments,
 * velocities), the position (step, epoch) and the run's seed, plus free-form string entries (the
 * model architecture, the preprocessing). Stored as one safetensors file, written atomically, so
 * that a crash during a save leaves the previous checkpoint intact.
 *
 * <p>Layout: parameters are stored as {@code param/<name>}, optimizer state as {@code
 * optim/<name>}; the metadata holds {@code dnn.checkpoint}, {@code dnn.step}, {@code dnn.epoch},
 * {@code dnn.seed} and the extra entries under their own keys.
 *
 * <p>Its maps are unmodifiable copies, but the arrays of its {@link HostArray}s are not copied:
 * safe to share between threads as long as no one writes them.
 *
 * @param parameters the model's parameters by name (in model order)
 * @param optimizerState the optimizer's state tensors by name
 * @param step optimizer steps taken so far
 * @param epoch completed epochs
 * @param seed the run's seed (all randomness derives from it and the position)
 * @param extra further string entries, e.g. {@code "dnn.spec"}; keys must not start with a reserved
 *     key
 */
public record Checkpoint(
    Map<String, HostArray> parameters,
    Map<String, HostArray> optimizerState,
    long step,
    int epoch,
    long seed,
    Map<String, String> extra) {
  /** The format version written in {@code dnn.checkpoint}. */
  public static final String FORMAT_VERSION = "1";

  private static final String PARAM = "param/";
  private static final String OPTIM = "optim/";
  private static final String KEY_FORMAT = "dnn.checkpoint";
  private static final String KEY_STEP = "dnn.step";
  private static final String KEY_EPOCH = "dnn.epoch";
  private static final String KEY_SEED = "dnn.seed";

  /** Copies the maps (keeping their order) and checks the position. */
  public Checkpoint {
    parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    optimizerState = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
    extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    if (step < 0 || epoch < 0) {
      throw new IllegalArgumentException("step " + step + " and epoch " + epoch + " must be >= 0");
    }
    for (String key : extra.keySet()) {
      if (key.equals(KEY_FORMAT)
          || key.equals(KEY_STEP)
          || key.equals(KEY_EPOCH)
          || key.equals(KEY_SEED)) {
        throw new IllegalArgumentException("extra key '" + key + "' is reserved");
      }
    }
  }

  /** Writes this checkpoint to {@code path}, atomically. */
  public void save(Path path) throws IOException {
    Map<String, HostArray> tensors = new LinkedHashMap<>();
    parameters.forEach((k, v) -> tensors.put(PARAM + k, v));
    optimizerState.forEach((k, v) -> tensors.put(OPTIM + k, v));
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(KEY_FORMAT, FORMAT_VERSION);
    metadata.put(KEY_STEP, Long.toString(step));
    metadata.put(KEY_EPOCH, Integer.toString(epoch));
    metadata.put(KEY_SEED, Long.toString(seed));
    metadata.putAll(extra);
    SafeTensors.write(path, tensors, metadata);
  }

  /**
   * Reads a checkpoint written by {@link #save}.
   *
   * @throws MalformedFileException if the file is not a valid safetensors file or lacks the
   *     checkpoint entries
   */
  public static Checkpoint load(Path path) throws IOException {
    SafeTensorsFile file = SafeTensors.read(path);
    String name = path.toString();
    Map<String, String> meta = new LinkedHashMap<>(file.metadata());
    String format = meta.remove(KEY_FORMAT);
    if (!FORMAT_VERSION.equals(format)) {
      throw new MalformedFileException(
          name,
          "metadata",
          format == null
              ? "not a checkpoint (no " + KEY_FORMAT + " entry)"
              : "checkpoint format "
                  + format
                  + " is not supported (expected "
                  + FORMAT_VERSION
                  + ")");
    }
    long step = number(meta.remove(KEY_STEP), KEY_STEP, name);
    long epoch = number(meta.remove(KEY_EPOCH), KEY_EPOCH, name);
    long seed = number(meta.remove(KEY_SEED), KEY_SEED, name);
    if (step < 0 || epoch < 0 || epoch > Integer.MAX_VALUE) {
      throw new MalformedFileException(
          name, "metadata", "step " + step + " or epoch " + epoch + " out of range");
    }
    Map<String, HostArray> parameters = new LinkedHashMap<>();
    Map<String, HostArray> optimizer = new LinkedHashMap<>();
    for (Map.Entry<String, HostArray> e : file.tensors().entrySet()) {
      if (e.getKey().startsWith(PARAM)) {
        parameters.put(e.getKey().substring(PARAM.length()), e.getValue());
      } else if (e.getKey().startsWith(OPTIM)) {
        optimizer.put(e.getKey().substring(OPTIM.length()), e.getValue());
      } else {
        throw new MalformedFileException(
            name, "header", "tensor '" + e.getKey() + "' is neither param/ nor optim/");
      }
    }
    return new Checkpoint(parameters, optimizer, step, (int) epoch, seed, meta);
  }

  private static long number(String value, String key, String file) throws MalformedFileException {
    Objects.requireNonNull(key);
    if (value == null) {
      throw new MalformedFileException(file, "metadata", "missing " + key);
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new MalformedFileException(
          file, "metadata", key + " '" + value + "' is not an integer");
    }
  }
}
