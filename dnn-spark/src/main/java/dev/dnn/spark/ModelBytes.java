package dev.dnn.spark;

import dev.dnn.backend.Backend;
import dev.dnn.io.ModelFile;
import dev.dnn.nn.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * dnn model files as bytes: what the Spark models hold, broadcast and persist. The bytes are the
 * file {@link ModelFile#saveWith} writes, so the saved directory's {@code model.safetensors} is
 * read by {@code dnn evaluate}, PyTorch and the ONNX export as it is.
 */
final class ModelBytes {
  private ModelBytes() {}

  /**
   * The model file of {@code model}, with its class names (if it has them), without preprocessing.
   */
  static byte[] of(Model model) {
    try {
      return TempFiles.with(
          "model.safetensors",
          file -> {
            ModelFile.saveWith(model, ModelFile.Description.of(null), file);
            return Files.readAllBytes(file);
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model file", e);
    }
  }

  /**
   * The model of a model file's bytes, on {@code backend}; the caller closes it.
   *
   * @throws IllegalArgumentException if the bytes are not a valid dnn model file
   */
  static ModelFile.Loaded load(byte[] bytes, Backend backend) {
    try {
      return TempFiles.with(
          "model.safetensors",
          file -> {
            Files.write(file, bytes);
            return ModelFile.load(file, backend);
          });
    } catch (IOException e) {
      throw new IllegalArgumentException("not a readable dnn model file: " + e.getMessage(), e);
    }
  }
}
