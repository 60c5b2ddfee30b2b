package dev.dnn.cuda;

import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendException;
import dev.dnn.backend.BackendProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Registers {@code cuda-emulator}: the CUDA backend with its kernels compiled for the host by the
 * native build ({@code native/target/emu/libdnnkernels.so}) and run there with CUDA's thread,
 * block, barrier and warp semantics. It exercises the kernels and this module's code on machines
 * without a GPU; it is far slower than the CPU backend and never chosen by {@code auto}.
 *
 * <p>Usable only when the system property {@value #LIBRARY_PROPERTY} names the emulator's library.
 * A JVM that sets it runs the emulator instead of the CUDA kernels: the {@code cuda} backend then
 * reports itself unusable.
 *
 * <p>Holds no state: safe to use from any thread.
 */
public final class HostEmulatorProvider implements BackendProvider {
  /** The backend's name. */
  public static final String NAME = "cuda-emulator";

  /** System property naming the emulator's build of {@code libdnnkernels.so}. */
  public static final String LIBRARY_PROPERTY = "dnn.cuda.emulator";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return -100;
  }

  /** The emulator's library named by {@value #LIBRARY_PROPERTY}, or null when it is not set. */
  static Path configuredLibrary() {
    String library = System.getProperty(LIBRARY_PROPERTY, "");
    return library.isBlank() ? null : Path.of(library).toAbsolutePath().normalize();
  }

  @Override
  public Availability availability() {
    Path library = configuredLibrary();
    if (library == null) {
      return Availability.unusable(
          "a test tool, enabled by -D"
              + LIBRARY_PROPERTY
              + "=native/target/emu/libdnnkernels.so (built by the native module with nvcc)");
    }
    if (!Files.isRegularFile(library)) {
      return Availability.unusable(
          LIBRARY_PROPERTY
              + " names "
              + library
              + ", which does not exist (the native build makes it when nvcc is found)");
    }
    try {
      KernelLibrary.bindHostEmulator(library);
    } catch (BackendException e) {
      return Availability.unusable(e.getMessage());
    } catch (Throwable e) { // UnsatisfiedLinkError or an initializer error wrapping it
      return Availability.unusable("the host emulator " + library + " could not be loaded: " + e);
    }
    return Availability.usable("CUDA kernels on the host emulator (" + library + ")");
  }

  @Override
  public Backend create() {
    Availability availability = availability();
    if (!availability.usable()) {
      throw new BackendException("the host emulator is not usable: " + availability.reason());
    }
    return new CudaBackend(new HostEmulatorRuntime(configuredLibrary()));
  }
}
