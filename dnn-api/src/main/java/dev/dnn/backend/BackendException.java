package dev.dnn.backend;

/**
 * A backend could not be selected, created, or failed while running an operation.
 *
 * <p>Holds nothing but its message and cause: safe to share between threads once thrown.
 */
public class BackendException extends RuntimeException {
  public BackendException(String message) {
    super(message);
  }

  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
