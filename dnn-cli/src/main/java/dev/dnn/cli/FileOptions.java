package dev.dnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the files named on the command line before any work starts, so that a mistyped path fails
 * at once with the option that named it, not after minutes of training with a bare path.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class FileOptions {
  private FileOptions() {}

  /** {@code file}, given as {@code option}, must be a readable regular file. */
  public static void requireFile(String option, Path file) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(option + " " + file + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(option + " " + file + " is a directory, not a file");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(option + " " + file + " is not readable");
    }
  }

  /**
   * {@code file}, given as {@code option}, can be written: it is not a directory, and its directory
   * exists or can be created.
   */
  public static void requireWritableFile(String option, Path file) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          option + " " + file + " is a directory; give the name of a file");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      requireCreatable(option, file, parent);
    }
  }

  /** {@code dir}, given as {@code option}, is a directory or can be created as one. */
  public static void requireWritableDirectory(String option, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(option + " " + dir + " is a file, not a directory");
    }
    requireCreatable(option, dir, dir.toAbsolutePath());
  }

  /** The nearest existing ancestor of {@code dir} (itself included) is a writable directory. */
  private static void requireCreatable(String option, Path given, Path dir) {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    if (!Files.isDirectory(existing)) {
      throw new IllegalArgumentException(
          option + " " + given + ": " + existing + " is not a directory");
    }
    if (!Files.isWritable(existing)) {
      throw new IllegalArgumentException(
          option + " " + given + ": the directory " + existing + " is not writable");
    }
  }
}
