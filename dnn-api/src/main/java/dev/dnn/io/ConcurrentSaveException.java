package dev.dnn.io;

import java.io.IOException;

/**
 * Another writer (this process or another) is saving to the same file at the same time.
 *
 * <p>Holds nothing but its message: safe to share between threads once thrown.
 */
public class ConcurrentSaveException extends IOException {
  /**
   * @param message names the file and the lock that is held
   */
  public ConcurrentSaveException(String message) {
    super(message);
  }
}
