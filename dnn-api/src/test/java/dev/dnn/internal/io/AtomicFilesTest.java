package dev.dnn.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dnn.io.ConcurrentSaveException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private void assumePosix() throws IOException {
    assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "POSIX permissions");
  }

  @Test
  void aNewFileGetsThePermissionsOfAnyFileCreatedThere() throws IOException {
    assumePosix();
    Path plain = Files.write(dir.resolve("plain.bin"), new byte[] {1});
    Path saved = dir.resolve("saved.bin");
    AtomicFiles.write(saved, out -> out.write(new byte[] {1, 2, 3}));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(saved));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(saved));
  }

  @Test
  void aReplacedFileKeepsItsPermissions() throws IOException {
    assumePosix();
    Path saved = Files.write(dir.resolve("saved.bin"), new byte[] {9});
    Set<PosixFilePermission> groupReadable = PosixFilePermissions.fromString("rw-r-----");
    Files.setPosixFilePermissions(saved, groupReadable);
    AtomicFiles.write(saved, out -> out.write(new byte[] {4, 5}));
    assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(saved));
    assertEquals(groupReadable, Files.getPosixFilePermissions(saved));
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path saved = Files.write(dir.resolve("saved.bin"), new byte[] {7, 7});
    IOException failure =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    saved,
                    out -> {
                      out.write(new byte[] {1});
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", failure.getMessage());
    assertArrayEquals(new byte[] {7, 7}, Files.readAllBytes(saved));
    try (Stream<Path> files = Files.list(dir)) {
      // Nothing beside the file: neither the temporary nor the lock file.
      assertEquals(List.of(saved), files.toList());
    }
  }

  @Test
  void aSaveRemovesTemporaryFilesAKilledSaveOfTheSameTargetLeft() throws IOException {
    Path stale = Files.write(dir.resolve(".saved.bin.3f9a0c12d4e5b6a7.tmp"), new byte[] {1});
    Path otherTarget = Files.write(dir.resolve(".other.bin.3f9a0c12d4e5b6a7.tmp"), new byte[] {1});
    Path notOurs = Files.write(dir.resolve(".saved.bin.notes.tmp"), new byte[] {1});
    Path saved = dir.resolve("saved.bin");
    AtomicFiles.write(saved, out -> out.write(new byte[] {3}));
    assertFalse(Files.exists(stale), "stale temporary file of the target is still there");
    assertTrue(Files.exists(otherTarget), "another target's temporary file was removed");
    assertTrue(Files.exists(notOurs), "a file not named like our temporaries was removed");
    assertArrayEquals(new byte[] {3}, Files.readAllBytes(saved));
  }

  @Test
  void aSecondSaveToTheSameFileWhileOneIsInProgressFailsClearly() throws IOException {
    Path saved = dir.resolve("saved.bin");
    ConcurrentSaveException[] second = new ConcurrentSaveException[1];
    AtomicFiles.write(
        saved,
        out -> {
          out.write(new byte[] {1});
          second[0] =
              assertThrows(
                  ConcurrentSaveException.class,
                  () -> AtomicFiles.write(saved, inner -> inner.write(new byte[] {2})));
        });
    assertTrue(
        second[0].getMessage().contains("another save to this file is in progress")
            && second[0].getMessage().contains(saved.toAbsolutePath().toString()),
        second[0].getMessage());
    // The first writer's content is what the file holds; the lock is free again afterwards.
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(saved));
    AtomicFiles.write(saved, out -> out.write(new byte[] {4}));
    assertArrayEquals(new byte[] {4}, Files.readAllBytes(saved));
  }

  @Test
  void aSaveWhileAnotherProcessSavesTheSameFileFailsClearlyAndTheOtherWins() throws Exception {
    Path saved = dir.resolve("shared.bin");
    Path marker = dir.resolve("other-is-saving");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process other =
        new ProcessBuilder(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                SaveInAnotherProcess.class.getName(),
                saved.toString(),
                marker.toString())
            .redirectErrorStream(true)
            .start();
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Files.exists(marker) && other.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(Files.exists(marker), "the other process never started its save");
      ConcurrentSaveException e =
          assertThrows(
              ConcurrentSaveException.class,
              () -> AtomicFiles.write(saved, out -> out.write(new byte[] {7})));
      assertTrue(
          e.getMessage().contains("another save to this file is in progress"), e.getMessage());
      Files.delete(marker);
      assertTrue(other.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(
          0, other.exitValue(), new String(other.getInputStream().readAllBytes(), "UTF-8"));
      assertArrayEquals(new byte[] {42}, Files.readAllBytes(saved));
    } finally {
      other.destroyForcibly();
    }
  }
}
