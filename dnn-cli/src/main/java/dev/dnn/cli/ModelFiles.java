package dev.dnn.cli;

import dev.dnn.cli.report.OutputFiles;
import dev.dnn.io.ModelFile;
import dev.dnn.nn.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Model-file saving for callbacks that cannot throw checked exceptions. */
final class ModelFiles {
  private ModelFiles() {}

  /**
   * Saves {@code model}, creating its directory; the file records the harness's division of pixels
   * by 255 as its input scale.
   *
   * @throws UncheckedIOException naming the file if it cannot be written
   */
  static void save(Model model, Path path) {
    try {
      OutputFiles.createParent(path);
      // The harness divides pixels by 255 before the model sees them: record it for readers
      // that start from raw pixels (PyTorch, ONNX).
      ModelFile.saveWith(model, ModelFile.Description.of(null).withInputScale(1 / 255.0), path);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot save the model to " + path + ": " + ErrorHandler.describe(e), e);
    }
  }
}
