package dev.dnn.cpu;

import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;

/**
 * Finds the {@link CpuBackend}: always usable, lowest priority so a usable GPU wins on auto.
 *
 * <p>Holds no state: safe to use from any thread.
 */
public final class CpuBackendProvider implements BackendProvider {
  /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
  public CpuBackendProvider() {}

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Availability availability() {
    try {
      return Availability.usable("pure Java, " + CpuBackend.defaultThreads() + " threads");
    } catch (IllegalArgumentException e) {
      return Availability.unusable(e.getMessage());
    }
  }

  @Override
  public Backend create() {
    return new CpuBackend();
  }
}
