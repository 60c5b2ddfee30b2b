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
   * Saves {@code model}, creating its directory (no input preprocessing: the harness feeds pixels
   * scaled to [0, 1]).
   *
   * @throws UncheckedIOException naming the file if it cannot be written
   */
  static void save(Model model, Path path) {
    try {
      OutputFiles.createParent(path);
      ModelFile.save(model, null, path);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot save the model to " + path + ": " + ErrorHandler.describe(e), e);
    }
  }
}
