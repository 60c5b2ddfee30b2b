package dev.dnn.io;

import java.io.IOException;

/** Another writer (this process or another) is saving to the same file at the same time. */
public class ConcurrentSaveException extends IOException {
  /**
   * @param message names the file and the lock that is held
   */
  public ConcurrentSaveException(String message) {
    super(message);
  }
}
