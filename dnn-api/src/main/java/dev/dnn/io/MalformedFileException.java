package dev.dnn.io;

import java.io.IOException;

/**
 * A file that does not follow its format. The message names the file, where in it the problem was
 * found (a byte offset, or a line and column) and what was wrong.
 *
 * <p>Its fields are final: safe to share between threads once thrown.
 */
public class MalformedFileException extends IOException {
  private final String file;

  /**
   * @param file the file (or resource) name
   * @param location where the problem is, e.g. {@code "byte offset 12"} or {@code "line 3, column
   *     2"}
   * @param detail what is wrong
   */
  public MalformedFileException(String file, String location, String detail) {
    super(file + " (" + location + "): " + detail);
    this.file = file;
  }

  /** Same, keeping the lower-level cause (a decompression error, a JSON parse error). */
  public MalformedFileException(String file, String location, String detail, Throwable cause) {
    super(file + " (" + location + "): " + detail, cause);
    this.file = file;
  }

  /** A problem at a byte offset. */
  public static MalformedFileException atOffset(String file, long offset, String detail) {
    return new MalformedFileException(file, "byte offset " + offset, detail);
  }

  /** The file (or resource) name. */
  public String file() {
    return file;
  }
}
