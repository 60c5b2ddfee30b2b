package dev.dnn.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dnn.data.InputColumn;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.ScalerParams;
import dev.dnn.data.TargetScaling;
import dev.dnn.internal.io.Json;
import dev.dnn.loss.Loss;
import dev.dnn.nn.ModelSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and checks the metadata entries and tensor values of a model file. */
final class FileMetadata {

  private FileMetadata() {}

  static ModelSpec spec(Map<String, String> metadata, String file) throws MalformedFileException {
    String json = metadata.get(ModelFile.KEY_SPEC);
    if (json == null) {
      throw new MalformedFileException(file, "metadata", "missing " + ModelFile.KEY_SPEC);
    }
    try {
      return Json.read(json, ModelSpec.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new MalformedFileException(
          file, "metadata " + ModelFile.KEY_SPEC, "invalid architecture: " + e.getMessage(), e);
    }
  }

  static Optional<ScalerParams> preprocessing(Map<String, String> metadata, String file)
      throws MalformedFileException {
    String json = metadata.get(ModelFile.KEY_PREPROCESSING);
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.read(json, ScalerParams.class));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new MalformedFileException(
          file,
          "metadata " + ModelFile.KEY_PREPROCESSING,
          "invalid preprocessing: " + e.getMessage(),
          e);
    }
  }

  static List<String> classes(Map<String, String> metadata, String file, int outputs)
      throws MalformedFileException {
    String json = metadata.get(ModelFile.KEY_CLASSES);
    if (json == null) {
      return List.of();
    }
    List<String> names;
    try {
      names = Arrays.asList(Json.read(json, String[].class));
    } catch (JsonProcessingException e) {
      throw new MalformedFileException(
          file,
          "metadata " + ModelFile.KEY_CLASSES,
          "not a JSON array of strings: " + e.getMessage(),
          e);
    }
    if (names.size() != outputs || names.contains(null)) {
      throw new MalformedFileException(
          file,
          "metadata " + ModelFile.KEY_CLASSES,
          names.size()
              + " class names (null not allowed) for a model with "
              + outputs
              + " outputs");
    }
    return names;
  }

  /** The raw columns, checked to feed exactly {@code inputs} model inputs; empty if absent. */
  static List<InputColumn> columns(Map<String, String> metadata, String file, int inputs)
      throws MalformedFileException {
    String json = metadata.get(ModelFile.KEY_COLUMNS);
    if (json == null) {
      return List.of();
    }
    String where = "metadata " + ModelFile.KEY_COLUMNS;
    List<InputColumn> columns;
    try {
      columns = List.of(Json.read(json, InputColumn[].class));
      Preprocessing p = Preprocessing.of(columns);
      if (p.width() != inputs) {
        throw new MalformedFileException(
            file,
            where,
            "the columns feed " + p.width() + " inputs but the architecture takes " + inputs);
      }
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw new MalformedFileException(file, where, "invalid columns: " + e.getMessage(), e);
    }
    return columns;
  }

  /** The target scaling, checked to have one entry per output; empty if absent. */
  static Optional<TargetScaling> targetScaling(
      Map<String, String> metadata, String file, int outputs) throws MalformedFileException {
    String json = metadata.get(ModelFile.KEY_TARGET_SCALING);
    if (json == null) {
      return Optional.empty();
    }
    String where = "metadata " + ModelFile.KEY_TARGET_SCALING;
    TargetScaling scaling;
    try {
      scaling = Json.read(json, TargetScaling.class);
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw new MalformedFileException(file, where, "invalid target scaling: " + e.getMessage(), e);
    }
    if (scaling.width() != outputs) {
      throw new MalformedFileException(
          file,
          where,
          scaling.width() + " targets for an architecture with " + outputs + " outputs");
    }
    return Optional.of(scaling);
  }

  static double inputScale(Map<String, String> metadata, String file)
      throws MalformedFileException {
    String text = metadata.get(ModelFile.KEY_INPUT_SCALE);
    if (text == null) {
      return 1;
    }
    try {
      double scale = Double.parseDouble(text);
      if (scale > 0 && !Double.isInfinite(scale)) {
        return scale;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MalformedFileException(
        file, "metadata " + ModelFile.KEY_INPUT_SCALE, "'" + text + "' is not a positive number");
  }

  static Optional<Loss> loss(Map<String, String> metadata, String file)
      throws MalformedFileException {
    String text = metadata.get(ModelFile.KEY_LOSS);
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Loss.named(text));
    } catch (IllegalArgumentException e) {
      throw new MalformedFileException(file, "metadata " + ModelFile.KEY_LOSS, e.getMessage());
    }
  }

  /** Refuses NaN and infinite values, naming the tensor and the first bad element. */
  static void requireFinite(Map<String, HostArray> tensors, String file)
      throws MalformedFileException {
    for (Map.Entry<String, HostArray> e : tensors.entrySet()) {
      float[] data = e.getValue().data();
      for (int i = 0; i < data.length; i++) {
        if (!Float.isFinite(data[i])) {
          int bad = 0;
          for (float v : data) {
            bad += Float.isFinite(v) ? 0 : 1;
          }
          throw new MalformedFileException(
              file,
              "tensors",
              "tensor '"
                  + e.getKey()
                  + "' holds "
                  + bad
                  + " non-finite values of "
                  + data.length
                  + " (the first, "
                  + data[i]
                  + ", at element "
                  + i
                  + "): the model cannot compute anything meaningful");
        }
      }
    }
  }
}
