package dev.dnn.tests;

import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import dev.dnn.cuda.HostEmulatorProvider;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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
 * The backends the conformance suite runs against: every provider on the class path. One instance
 * per usable provider is shared by all tests of the JVM and closed at exit.
 *
 * <p>Use as {@code @ParameterizedTest @MethodSource("dev.dnn.tests.TestBackends#all")}. JUnit
 * closes every {@link AutoCloseable} argument of a parameterized test after the invocation, so the
 * backends handed out are views of the shared instances whose {@code close()} does nothing (with or
 * without {@code autoCloseArguments = false}). Operations go to the shared instance, so tensors
 * report that instance, not the view, as their {@link dev.dnn.tensor.Tensor#backend()}.
 *
 * <p>A backend that is not usable here is handed out too, as a stand-in ({@link #unusableReason})
 * that {@link UnusableBackendInterceptor} turns into a skipped invocation carrying the reason, so
 * that every per-backend test shows the backend it did not run on and why. With {@code
 * -Ddnn.requireGpu=true} an unusable CUDA backend is a failure instead of a skip, and so is an
 * unusable backend that {@code -Ddnn.test.backends=a,b} names (only the named backends run; the
 * build's host-emulator execution runs the suite on {@code cuda-emulator} alone).
 */
public final class TestBackends {
  /** System property that turns "CUDA not usable" from a skip into a failure. */
  public static final String REQUIRE_GPU = "dnn.requireGpu";

  /** System property listing the backends to run, comma-separated; unset runs every backend. */
  public static final String BACKENDS = "dnn.test.backends";

  /**
   * Set by the build's emulator execution: why the host emulator was not built (no nvcc), empty
   * when it was. There the emulator is reported as skipped, unless {@link #REQUIRE_EMULATOR}.
   */
  public static final String EMULATOR_ABSENT = "dnn.emulator.absent";

  /** Set by the build from {@code dnn.requireGpu}: a missing host emulator is a failure. */
  public static final String REQUIRE_EMULATOR = "dnn.requireEmulator";

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
    String why = mustRun(name);
    if (why != null) {
      throw new IllegalStateException(why + " is not usable: " + reason(name, availability));
    }
  }

  /** Why the build did not make the host emulator, or null where it did (or did not say). */
  static String emulatorAbsence() {
    String absent = System.getProperty(EMULATOR_ABSENT, "").trim();
    return absent.isEmpty() ? null : absent;
  }

  /**
   * Why the backend {@code name} is not usable: its provider's reason, or for the host emulator in
   * the build's emulator execution, why the native build did not make it.
   */
  public static String reason(String name, Availability availability) {
    return name.equals(HostEmulatorProvider.NAME) && emulatorAbsence() != null
        ? "the native build did not make the host emulator: " + emulatorAbsence()
        : availability.reason();
  }

  /** Why this run must exercise the backend {@code name} (a phrase naming it), or null. */
  static String mustRun(String name) {
    if (name.equals("cuda") && gpuRequired()) {
      return REQUIRE_GPU + "=true but the CUDA backend";
    }
    if (name.equals(HostEmulatorProvider.NAME) && emulatorAbsence() != null) {
      return Boolean.getBoolean(REQUIRE_EMULATOR)
          ? REQUIRE_GPU + "=true but the host emulator"
          : null;
    }
    String list = System.getProperty(BACKENDS, "").trim();
    if (!list.isEmpty() && selected(name)) {
      return BACKENDS + " names '" + name + "', which";
    }
    return null;
  }

  /**
   * The CUDA backend under test: {@code cuda-emulator} where {@link #BACKENDS} selects it and not
   * {@code cuda}, else {@code cuda}.
   */
  public static String cudaUnderTest() {
    return selected("cuda-emulator") && !selected("cuda") ? "cuda-emulator" : "cuda";
  }

  /**
   * Every backend {@link #BACKENDS} selects, CPU last-to-first by priority: shared instances of the
   * usable ones, and a stand-in for each unusable one, which the test invocation reports as skipped
   * (or failed, where this run must exercise it) with the reason.
   */
  public static Stream<Backend> all() {
    List<Backend> backends = new ArrayList<>();
    for (BackendProvider provider : Backends.providers()) {
      if (!selected(provider.name()) || emulatorLeftToItsRun(provider.name())) {
        continue;
      }
      Availability availability = provider.availability();
      backends.add(
          availability.usable()
              ? instance(provider)
              : unusable(provider.name(), reason(provider.name(), availability)));
    }
    return backends.stream();
  }

  /**
   * Whether {@code name} is the host emulator and this JVM is not one that runs it: it is a test
   * tool that the build's emulator execution runs (naming it in {@link #BACKENDS}), and whose
   * absence that execution reports ({@link HostEmulatorRunTest}); elsewhere it is left out unless
   * its library is configured.
   */
  private static boolean emulatorLeftToItsRun(String name) {
    return name.equals(HostEmulatorProvider.NAME)
        && System.getProperty(BACKENDS, "").isBlank()
        && System.getProperty(HostEmulatorProvider.LIBRARY_PROPERTY, "").isBlank();
  }

  /**
   * The reason an argument is the stand-in of an unusable backend, prefixed with what makes the
   * backend required where this run must exercise it; null for any other argument.
   */
  static Unusable unusableReason(Object argument) {
    if (argument instanceof Backend && Proxy.isProxyClass(argument.getClass())) {
      InvocationHandler handler = Proxy.getInvocationHandler(argument);
      if (handler instanceof Unusable unusable) {
        return unusable;
      }
    }
    return null;
  }

  /**
   * Why a backend is not usable, and whether this run must exercise it.
   *
   * @param name the backend
   * @param reason its provider's reason
   * @param required why this run must exercise it, or null where a skip is enough
   */
  record Unusable(String name, String reason, String required) implements InvocationHandler {
    /** The message of the skip or failure. */
    String message() {
      return required == null
          ? "backend '" + name + "' is not usable here: " + reason
          : required + " is not usable: " + reason;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      switch (method.getName()) {
        case "close":
          return null; // JUnit closes arguments after the (skipped) invocation
        case "toString":
          return name + " (not usable)";
        case "name":
          return name;
        case "equals":
          return args[0] == proxy;
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          throw new IllegalStateException(
              "a test used the stand-in of an unusable backend; " + message());
      }
    }
  }

  private static Backend unusable(String name, String reason) {
    if (REPORTED.add(name)) {
      System.err.println("[conformance] backend '" + name + "' is not usable: " + reason);
    }
    return (Backend)
        Proxy.newProxyInstance(
            Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class},
            new Unusable(name, reason, mustRun(name)));
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
