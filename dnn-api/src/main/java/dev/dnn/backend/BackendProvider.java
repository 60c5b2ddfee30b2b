package dev.dnn.backend;

/**
 * The service interface through which {@link java.util.ServiceLoader} finds backends. An
 * implementation is registered in {@code META-INF/services/dev.dnn.backend.BackendProvider} and
 * must be cheap to construct: it may not load native code or touch a device until {@link
 * #availability()} or {@link #create()} is called, and neither may ever crash the JVM.
 *
 * <p>An implementation should hold no mutable state, so that it is safe to call from any thread;
 * the library's hold none.
 */
public interface BackendProvider {
  /** The name users select this backend by ({@code cpu}, {@code cuda}). Lower case. */
  String name();

  /** Higher wins when the selection is {@code auto}. */
  int priority();

  /** Whether this backend can run here, and why not if it cannot. Never throws. */
  Availability availability();

  /**
   * Creates a backend instance.
   *
   * @throws BackendException if the backend is not usable; the message carries the reason
   */
  Backend create();
}
