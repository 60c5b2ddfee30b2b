package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Availability;
import dev.dnn.backend.BackendException;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host emulator's provider: registered, never preferred over the CPU, and unusable with a
 * reason unless its library is named. Loading the emulator is covered by the conformance suite's
 * emulator run, in a JVM of its own.
 */
class HostEmulatorProviderTest {
  @AfterEach
  void clearProperty() {
    System.clearProperty(HostEmulatorProvider.LIBRARY_PROPERTY);
  }

  @Test
  void isRegisteredBelowTheCpu() {
    BackendProvider emulator =
        Backends.providers().stream()
            .filter(p -> p.name().equals(HostEmulatorProvider.NAME))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no provider named cuda-emulator"));
    assertTrue(emulator.priority() < 0, "auto must never choose the emulator over the CPU");
  }

  @Test
  void unusableUnlessTheLibraryIsNamed() {
    Availability availability = new HostEmulatorProvider().availability();
    assertFalse(availability.usable());
    assertTrue(
        availability.reason().contains(HostEmulatorProvider.LIBRARY_PROPERTY),
        availability.reason());
    BackendException e =
        assertThrows(BackendException.class, () -> new HostEmulatorProvider().create());
    assertTrue(e.getMessage().contains(availability.reason()), e.getMessage());
  }

  @Test
  void aMissingLibraryIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("libdnnkernels.so");
    System.setProperty(HostEmulatorProvider.LIBRARY_PROPERTY, missing.toString());
    Availability availability = new HostEmulatorProvider().availability();
    assertFalse(availability.usable());
    assertTrue(availability.reason().contains(missing.toString()), availability.reason());
    assertTrue(availability.reason().contains("does not exist"), availability.reason());
  }

  @Test
  void theCudaBackendStepsAsideInAnEmulatorJvm(@TempDir Path dir) {
    System.setProperty(HostEmulatorProvider.LIBRARY_PROPERTY, dir.resolve("x.so").toString());
    Availability cuda = CudaAvailability.probe();
    assertFalse(cuda.usable());
    assertTrue(cuda.reason().contains("host emulator"), cuda.reason());
  }
}
