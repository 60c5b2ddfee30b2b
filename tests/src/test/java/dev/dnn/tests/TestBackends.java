package dev.dnn.tests;

import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The backends the conformance suite runs against: every provider on the class path that is usable
 * here. One instance per provider is shared by all tests of the JVM and closed at exit.
 *
 * <p>Use as {@code @ParameterizedTest @MethodSource("dev.dnn.tests.TestBackends#all")}. JUnit
 * closes every {@link AutoCloseable} argument of a parameterized test after the invocation, so the
 * backends handed out are views of the shared instances whose {@code close()} does nothing (with or
 * without {@code autoCloseArguments = false}). Operations go to the shared instance, so tensors
 * report that instance, not the view, as their {@link dev.dnn.tensor.Tensor#backend()}. With {@code
 * -Ddnn.requireGpu=true} an unusable CUDA backend is a failure instead of a skip. With {@code
 * -Ddnn.test.backends=a,b} only the named backends run (the build's host-emulator execution runs
 * the suite on {@code cuda-emulator} alone).
 */
public final class TestBackends {
  /** System property that turns "CUDA not usable" from a skip into a failure. */
  public static final String REQUIRE_GPU = "dnn.requireGpu";

  /** System property listing the backends to run, comma-separated; unset runs every backend. */
  public static final String BACKENDS = "dnn.test.backends";

  private static final Map<String, Backend> INSTANCES = new LinkedHashMap<>();
  private static final Map<String, Backend> VIEWS = new LinkedHashMap<>();
  private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  synchronized (INSTANCES) {
                    INSTANCES.values().forEach(Backend::close);
                  }
                }));
  }

  private TestBackends() {}

  /** Whether this run must exercise the GPU. */
  public static boolean gpuRequired() {
    return Boolean.getBoolean(REQUIRE_GPU);
  }

  /** Whether {@link #BACKENDS} lets the backend named {@code name} run. */
  public static boolean selected(String name) {
    String list = System.getProperty(BACKENDS, "").trim();
    return list.isEmpty() || Arrays.asList(list.split("\\s*,\\s*")).contains(name);
  }

  /**
   * Throws when a backend that this run must exercise is not usable: CUDA under {@link
   * #REQUIRE_GPU}, and any backend {@link #BACKENDS} names, so that a run asked for never passes by
   * skipping everything.
   */
  public static void requireIfAskedFor(String name, Availability availability) {
    if (name.equals("cuda") && gpuRequired()) {
      throw new IllegalStateException(
          REQUIRE_GPU + "=true but the CUDA backend is not usable: " + availability.reason());
    }
    String list = System.getProperty(BACKENDS, "").trim();
    if (!list.isEmpty() && selected(name)) {
      throw new IllegalStateException(
          BACKENDS + " names '" + name + "', which is not usable: " + availability.reason());
    }
  }

  /**
   * The CUDA backend under test: {@code cuda-emulator} where {@link #BACKENDS} selects it and not
   * {@code cuda}, else {@code cuda}.
   */
  public static String cudaUnderTest() {
    return selected("cuda-emulator") && !selected("cuda") ? "cuda-emulator" : "cuda";
  }

  /** Every usable backend, shared instances, CPU last-to-first by priority. */
  public static Stream<Backend> all() {
    List<Backend> backends = new ArrayList<>();
    for (BackendProvider provider : Backends.providers()) {
      if (!selected(provider.name())) {
        continue;
      }
      Availability availability = provider.availability();
      if (!availability.usable()) {
        requireIfAskedFor(provider.name(), availability);
        if (REPORTED.add(provider.name())) {
          System.err.println(
              "[conformance] skipping backend '" + provider.name() + "': " + availability.reason());
        }
        continue;
      }
      backends.add(instance(provider));
    }
    return backends.stream();
  }

  /** The shared CPU backend, for references and comparisons. */
  public static Backend cpu() {
    return Backends.providers().stream()
        .filter(p -> p.name().equals("cpu"))
        .findFirst()
        .map(TestBackends::instance)
        .orElseThrow(() -> new IllegalStateException("the CPU backend is not on the class path"));
  }

  private static Backend instance(BackendProvider provider) {
    synchronized (INSTANCES) {
      Backend shared = INSTANCES.computeIfAbsent(provider.name(), name -> provider.create());
      return VIEWS.computeIfAbsent(provider.name(), name -> unclosable(shared));
    }
  }

  /**
   * A view of a shared backend whose {@code close()} does nothing. JUnit closes every {@link
   * AutoCloseable} argument of a parameterized test after the invocation; the shared instance must
   * survive until the JVM exits. The view equals the shared instance.
   */
  private static Backend unclosable(Backend shared) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "close":
              if (method.getParameterCount() == 0) {
                return null;
              }
              break;
            case "toString":
              if (method.getParameterCount() == 0) {
                return shared.name();
              }
              break;
            case "equals":
              if (method.getParameterCount() == 1) {
                return args[0] == proxy || args[0] == shared;
              }
              break;
            case "hashCode":
              if (method.getParameterCount() == 0) {
                return System.identityHashCode(shared);
              }
              break;
            default:
              break;
          }
          try {
            return method.invoke(shared, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Backend)
        Proxy.newProxyInstance(
            Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, handler);
  }
}
