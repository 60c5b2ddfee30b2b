package dev.dnn.backend;

import java.util.Objects;

/**
 * Whether a backend can run on this machine, and if not, why.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param usable true when {@link BackendProvider#create()} is expected to succeed
 * @param reason a human-readable explanation: what was found when usable (device, library
 *     versions), what is missing otherwise (driver, runtime library, device, kernel library)
 */
public record Availability(boolean usable, String reason) {
  public Availability {
    Objects.requireNonNull(reason, "reason");
  }

  /** A usable backend, with a description of what was found. */
  public static Availability usable(String description) {
    return new Availability(true, description);
  }

  /** An unusable backend, with the reason. */
  public static Availability unusable(String reason) {
    return new Availability(false, reason);
  }
}
