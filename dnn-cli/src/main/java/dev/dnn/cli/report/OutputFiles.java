package dev.dnn.cli.report;

import dev.dnn.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the harness's output files whole or not at all: a run that fails while writing leaves an
 * existing file as it was, never a truncated one. Missing parent directories are created.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class OutputFiles {
  private OutputFiles() {}

  /** Replaces {@code file} with {@code content}. */
  public static void write(Path file, byte[] content) throws IOException {
    createParent(file);
    AtomicFiles.write(file, out -> out.write(content));
  }

  /** Replaces {@code file} with {@code text} in UTF-8. */
  public static void writeString(Path file, String text) throws IOException {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Creates the directory {@code file} goes into, and its parents, where missing. */
  public static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
