package dev.dnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The saved model a command reads: {@code --model FILE}, checked before any work starts. */
final class ModelOption {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "A model file written by train --save or fine-tune --save.")
  Path file;

  /** The file, once it is known to be a readable regular file. */
  Path require() {
    FileOptions.requireFile("--model", file);
    return file;
  }

  @Override
  public String toString() {
    return String.valueOf(file);
  }
}
