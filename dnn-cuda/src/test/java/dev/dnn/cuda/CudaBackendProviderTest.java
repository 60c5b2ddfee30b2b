package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendException;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import org.junit.jupiter.api.Test;

/** Selection and availability of the CUDA backend, runnable on machines without a GPU. */
class CudaBackendProviderTest {

  /** Whether the probe would find the NVIDIA driver library: it alone decides where to look. */
  private static boolean driverPresent() {
    return CudaAvailability.driverLibrary() != null;
  }

  @Test
  void isRegisteredWithServiceLoader() {
    BackendProvider cuda =
        Backends.providers().stream()
            .filter(p -> p.name().equals("cuda"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no provider named cuda on the class path"));
    assertTrue(cuda instanceof CudaBackendProvider);
    assertEquals("cuda", cuda.name());
    assertEquals(100, cuda.priority());
  }

  @Test
  void availabilityNamesTheMissingDriverWithoutCrashing() {
    // The driver is looked for only on the platform the kernels are built for, and only where no
    // host emulator is configured: those are reasons given before it.
    assumeTrue(CudaAvailability.platformProblem() == null, CudaAvailability.platformProblem());
    assumeTrue(HostEmulatorProvider.configuredLibrary() == null, "this JVM runs the host emulator");
    assumeFalse(driverPresent(), "this machine has an NVIDIA driver: " + driverLibrary());
    Availability availability = new CudaBackendProvider().availability();
    assertFalse(availability.usable());
    assertTrue(availability.reason().contains("NVIDIA driver"), availability.reason());
    assertTrue(availability.reason().contains("libcuda.so.1"), availability.reason());
  }

  @Test
  void anotherPlatformIsNamedBeforeTheDriverIsLookedFor() {
    assumeFalse(CudaAvailability.platformProblem() == null, "this is linux-x86_64");
    Availability availability = new CudaBackendProvider().availability();
    assertFalse(availability.usable());
    assertTrue(availability.reason().contains("linux-x86_64 only"), availability.reason());
  }

  private static String driverLibrary() {
    return String.valueOf(CudaAvailability.driverLibrary());
  }

  @Test
  void availabilityIsStableAcrossCalls() {
    CudaBackendProvider provider = new CudaBackendProvider();
    assertEquals(provider.availability(), provider.availability());
  }

  @Test
  void selectingUnusableCudaFailsWithTheReason() {
    Availability availability = new CudaBackendProvider().availability();
    assumeFalse(availability.usable(), "CUDA is usable here");
    BackendException e = assertThrows(BackendException.class, () -> Backends.select("cuda"));
    assertTrue(e.getMessage().contains(availability.reason()), e.getMessage());
  }

  @Test
  void createOnUnusableCudaFailsWithTheReason() {
    CudaBackendProvider provider = new CudaBackendProvider();
    assumeFalse(provider.availability().usable(), "CUDA is usable here");
    BackendException e = assertThrows(BackendException.class, provider::create);
    assertTrue(e.getMessage().contains(provider.availability().reason()), e.getMessage());
  }

  @Test
  void autoFallsBackToTheCpuWhenCudaIsUnusable() {
    assumeFalse(new CudaBackendProvider().availability().usable(), "CUDA is usable here");
    try (Backend backend = Backends.select("auto")) {
      assertEquals("cpu", backend.name());
    }
  }
}
