package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import picocli.CommandLine.Option;

/** The {@code --backend} option of the commands that run on one backend. */
final class BackendOption {
  @Option(
      names = "--backend",
      paramLabel = "NAME",
      converter = BackendNames.One.class,
      description =
          "auto (the best usable), cpu, cuda, or cuda-emulator (the CUDA kernels on the host"
              + " emulator, for testing; see dnn-cuda/README.md) (default: ${DEFAULT-VALUE}).",
      defaultValue = "auto")
  String name = Backends.AUTO;

  /** Creates the chosen backend; an unusable one is an error carrying the reason. */
  Backend select() {
    return Backends.select(name);
  }
}
