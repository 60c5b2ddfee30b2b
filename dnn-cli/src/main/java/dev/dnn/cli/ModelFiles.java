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
   * What a model trained on Fashion-MNIST needs with it: raw pixels (0-255) are divided by 255, and
   * its outputs are the ten named classes.
   */
  static final ModelFile.Description FASHION_MNIST =
      ModelFile.Description.of(null)
          .withInputScale(1.0 / 255)
          .withClasses(dev.dnn.data.FashionMnist.CLASS_NAMES);

  /**
   * Saves a model trained on Fashion-MNIST, creating its directory.
   *
   * @throws UncheckedIOException naming the file if it cannot be written
   */
  static void save(Model model, Path path) {
    save(model, FASHION_MNIST, path);
  }

  /**
   * Saves {@code model} with {@code description}, creating its directory.
   *
   * @throws UncheckedIOException naming the file if it cannot be written
   */
  static void save(Model model, ModelFile.Description description, Path path) {
    save(model, description, null, path);
  }

  /**
   * Saves {@code model} with {@code description} and the record of its training file ({@code
   * trainingData}, JSON, may be null), creating its directory.
   *
   * @throws UncheckedIOException naming the file if it cannot be written
   */
  static void save(Model model, ModelFile.Description description, String trainingData, Path path) {
    try {
      OutputFiles.createParent(path);
      ModelFile.saveWith(model, description, trainingData, path);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot save the model to " + path + ": " + ErrorHandler.describe(e), e);
    }
  }

  /**
   * Drops the input scale of a loaded model that is fed pixels the library's IDX reader has already
   * divided by 255: the model file records the scale for raw pixels 0-255 (as the ONNX export and
   * the PyTorch module take them), and the two must not be applied both.
   */
  static Model pixelsAlreadyScaled(Model model) {
    if (model.preprocessing().inputScale() != 1) {
      model.setPreprocessing(model.preprocessing().withInputScale(1));
    }
    return model;
  }
}
