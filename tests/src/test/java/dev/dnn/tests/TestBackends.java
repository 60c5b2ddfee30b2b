package dev.dnn.tests;

import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The backends the conformance suite runs against: every provider on the class path that is usable
 * here.
 *
 * <p>Use as {@code @ParameterizedTest @MethodSource("dev.dnn.tests.TestBackends#all")}. Each call
 * creates fresh backend instances, one per usable provider, and JUnit closes them after the
 * invocation (it closes every {@link AutoCloseable} argument of a parameterized test), so a test
 * never sees a backend that an earlier test closed, and whatever a test forgot to close is freed.
 * With {@code -Ddnn.requireGpu=true} an unusable CUDA backend is a failure instead of a skip.
 */
public final class TestBackends {
  /** System property that turns "CUDA not usable" from a skip into a failure. */
  public static final String REQUIRE_GPU = "dnn.requireGpu";

  private static Backend sharedCpu;

  private TestBackends() {}

  /** Whether this run must exercise the GPU. */
  public static boolean gpuRequired() {
    return Boolean.getBoolean(REQUIRE_GPU);
  }

  /** A fresh instance of every usable backend, highest priority first. */
  public static Stream<Backend> all() {
    List<Backend> backends = new ArrayList<>();
    for (BackendProvider provider : Backends.providers()) {
      Availability availability = provider.availability();
      if (!availability.usable()) {
        if ("cuda".equals(provider.name()) && gpuRequired()) {
          throw new IllegalStateException(
              REQUIRE_GPU + "=true but the CUDA backend is not usable: " + availability.reason());
        }
        System.err.println(
            "[conformance] skipping backend '" + provider.name() + "': " + availability.reason());
        continue;
      }
      backends.add(provider.create());
    }
    return backends.stream();
  }

  /**
   * One CPU backend shared by the whole JVM, for references and comparisons. Never pass it as a
   * parameterized-test argument (JUnit would close it); it is closed when the JVM exits.
   */
  public static synchronized Backend cpu() {
    if (sharedCpu == null) {
      BackendProvider provider =
          Backends.providers().stream()
              .filter(p -> p.name().equals("cpu"))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("the CPU backend is not on the class path"));
      Backend backend = provider.create();
      Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
      sharedCpu = backend;
    }
    return sharedCpu;
  }
}
