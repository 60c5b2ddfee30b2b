package dev.dnn.cuda;

import dev.dnn.backend.BackendException;
import java.nio.file.Path;

/**
 * Binds the JNI bridge {@link DnnKernels} to one kernels library for the life of the JVM: the CUDA
 * build packaged in this jar, or the host emulator's build of the same sources. Both export the
 * same symbols, so after one is bound the other can never be: a CUDA backend calling emulated
 * kernels, or the reverse, would hand device addresses to host code.
 */
final class KernelLibrary {
  private enum Binding {
    CUDA,
    HOST_EMULATOR
  }

  private static Binding bound;
  private static Path emulator;

  private KernelLibrary() {}

  /** Loads the CUDA kernels packaged in this jar, unless already loaded. */
  static synchronized void bindCuda() {
    if (bound == Binding.HOST_EMULATOR) {
      throw new BackendException(
          "the kernels of this JVM are the host emulator's ("
              + emulator
              + "); the CUDA backend needs the CUDA kernels and cannot run in the same JVM");
    }
    DnnKernels.load();
    bound = Binding.CUDA;
  }

  /**
   * Loads the host emulator's kernels library, unless already loaded. It is loaded before the JNI
   * bridge, whose dependency on {@code libdnnkernels.so} the dynamic linker then resolves to it by
   * its soname instead of to the CUDA build next to the bridge.
   */
  static synchronized void bindHostEmulator(Path library) {
    if (bound == Binding.CUDA) {
      throw new BackendException(
          "the CUDA kernels are already loaded in this JVM; the host emulator needs a JVM of its"
              + " own");
    }
    if (bound == Binding.HOST_EMULATOR) {
      if (!emulator.equals(library)) {
        throw new BackendException(
            "the host emulator " + emulator + " is already loaded; cannot load " + library);
      }
      return;
    }
    System.load(library.toString());
    DnnKernels.load();
    bound = Binding.HOST_EMULATOR;
    emulator = library;
  }
}
