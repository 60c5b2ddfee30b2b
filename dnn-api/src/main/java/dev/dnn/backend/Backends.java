package dev.dnn.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backends with {@link ServiceLoader} and selects one.
 *
 * <p>The choice comes from the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENVIRONMENT}, else {@code auto}. {@code auto} takes the usable provider with the highest
 * priority and logs why every other one was passed over. Naming a provider that is not usable is an
 * error carrying its reason: there is never a silent fallback.
 *
 * <p>Has no mutable state: its methods may be called from any thread, each call loading the
 * providers afresh.
 */
public final class Backends {
  /** System property naming the backend: {@code auto}, {@code cpu}, {@code cuda}. */
  public static final String PROPERTY = "dnn.backend";

  /** Environment variable naming the backend when the property is not set. */
  public static final String ENVIRONMENT = "DNN_BACKEND";

  /** The selection that picks the best usable backend. */
  public static final String AUTO = "auto";

  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

  private Backends() {}

  /** Every provider on the class path, highest priority first. */
  public static List<BackendProvider> providers() {
    List<BackendProvider> providers = new ArrayList<>();
    ServiceLoader.load(BackendProvider.class).forEach(providers::add);
    providers.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
    return providers;
  }

  /** The configured choice: the system property, else the environment variable, else auto. */
  public static String configuredChoice() {
    String choice = System.getProperty(PROPERTY);
    if (choice == null || choice.isBlank()) {
      choice = System.getenv(ENVIRONMENT);
    }
    return choice == null || choice.isBlank() ? AUTO : choice.trim().toLowerCase(Locale.ROOT);
  }

  /** Selects and creates the configured backend. */
  public static Backend select() {
    return select(configuredChoice());
  }

  /**
   * Selects and creates a backend by name, or the best usable one for {@code auto}.
   *
   * @throws BackendException if the named backend is unknown or not usable (with the reason), or if
   *     no backend is usable at all
   */
  public static Backend select(String choice) {
    return provider(choice).create();
  }

  /** The provider that {@link #select(String)} would create, without creating it. */
  public static BackendProvider provider(String choice) {
    String name = choice == null ? AUTO : choice.trim().toLowerCase(Locale.ROOT);
    List<BackendProvider> providers = providers();
    if (providers.isEmpty()) {
      throw new BackendException(
          "no dnn backend on the class path: add dnn-cpu (and dnn-cuda for GPUs) as a dependency");
    }
    if (!AUTO.equals(name)) {
      for (BackendProvider provider : providers) {
        if (provider.name().equals(name)) {
          Availability availability = provider.availability();
          if (!availability.usable()) {
            throw new BackendException(
                "backend '" + name + "' was requested but is not usable: " + availability.reason());
          }
          LOG.info("Using backend '{}' as requested: {}", name, availability.reason());
          return provider;
        }
      }
      throw new BackendException(
          "unknown backend '"
              + name
              + "'; known: auto, "
              + providers.stream().map(BackendProvider::name).collect(Collectors.joining(", ")));
    }
    List<String> passedOver = new ArrayList<>();
    for (BackendProvider provider : providers) {
      Availability availability = provider.availability();
      if (availability.usable()) {
        LOG.info("Using backend '{}' (auto): {}", provider.name(), availability.reason());
        // Nobody asked for the others: why they were passed over is for debugging, not for every
        // run's log.
        for (String reason : passedOver) {
          LOG.debug("Passed over {}", reason);
        }
        return provider;
      }
      passedOver.add("'" + provider.name() + "': " + availability.reason());
    }
    throw new BackendException("no usable backend: " + String.join("; ", passedOver));
  }
}
