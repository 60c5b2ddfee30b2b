package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dnn.backend.Availability;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The build's host-emulator execution (tests/pom.xml, the only one that runs this class): either
 * the suite runs on the emulator, or this test reports why it could not as a skip, so that a build
 * without nvcc shows the missing run instead of leaving no report. With {@code
 * -Ddnn.requireGpu=true} (passed here as {@code dnn.requireEmulator}) the missing emulator is a
 * failure: a machine that must run the CUDA checks has nvcc.
 */
class HostEmulatorRunTest {
  @Test
  void theSuiteRunsOnTheHostEmulator() {
    // Only that execution names the emulator alone; -Dtest=... can bring this class elsewhere.
    Assumptions.assumeTrue(
        System.getProperty(TestBackends.BACKENDS, "").equals("cuda-emulator"),
        "only the build's host-emulator execution runs this check");
    String absent = TestBackends.emulatorAbsence();
    if (absent != null) {
      String message = "the suite did not run on the host emulator, which was not built: " + absent;
      if (Boolean.getBoolean(TestBackends.REQUIRE_EMULATOR)) {
        fail(message + " (" + TestBackends.REQUIRE_GPU + "=true)");
      }
      Assumptions.abort(message);
    }
    BackendProvider emulator =
        Backends.providers().stream()
            .filter(p -> p.name().equals("cuda-emulator"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no cuda-emulator provider on the class path"));
    Availability availability = emulator.availability();
    assertTrue(availability.usable(), availability.reason());
  }
}
