package dev.dnn.data;

import java.io.IOException;

/**
 * An input that declares or holds more than the reader accepts: more values than the heap can hold,
 * or a line or a row longer than the reader's cap. The message names the file, where the size was
 * found and the limit.
 *
 * <p>Its fields are final: safe to share between threads once thrown.
 */
public final class InputTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;

  /**
   * @param file the file (or resource) name
   * @param location where the size was declared or found ("byte offset 4", "line 3")
   * @param detail what is too large, and the limit
   */
  public InputTooLargeException(String file, String location, String detail) {
    super(file + " (" + location + "): " + detail);
    this.file = file;
  }

  /** The file (or resource) name. */
  public String file() {
    return file;
  }
}
