package dev.dnn.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private temporary directory per use, removed with all it holds (dnn's atomic writes leave
 * companions such as lock files beside the file).
 */
final class TempFiles {
  /** Work on a file path inside a fresh temporary directory. */
  interface Work<T> {
    T run(Path file) throws IOException;
  }

  private TempFiles() {}

  /** Runs {@code work} on {@code <fresh dir>/name}, then deletes the directory. */
  static <T> T with(String name, Work<T> work) throws IOException {
    Path dir = Files.createTempDirectory("dnn-spark-");
    try {
      return work.run(dir.resolve(name));
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
