package dev.dnn.internal.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A second process for {@link AtomicFilesTest}: saves {@code args[0]}, and midway creates {@code
 * args[1]} and waits (up to 60 s) until it is deleted before finishing the write.
 */
public final class SaveInAnotherProcess {
  private SaveInAnotherProcess() {}

  /** Saves {@code args[0]} holding its lock while {@code args[1]} exists. */
  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    Path marker = Path.of(args[1]);
    AtomicFiles.write(
        target,
        out -> {
          Files.writeString(marker, "saving");
          long deadline = System.nanoTime() + 60_000_000_000L;
          while (Files.exists(marker) && System.nanoTime() < deadline) {
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          out.write(new byte[] {42});
        });
  }
}
