package dev.dnn.internal.io;

import dev.dnn.io.ConcurrentSaveException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Writes a file so that it is either entirely the old content or entirely the new: the bytes go to
 * a temporary file in the same directory, are forced to the disk, and the temporary file is then
 * renamed over the target. A crash or an exception midway leaves an existing target untouched.
 *
 * <p>Saves to one target are exclusive: a writer holds a lock on {@code .<name>.lock} beside the
 * target for the whole write, and a second writer fails at once with {@link
 * ConcurrentSaveException} instead of silently replacing the first one's file. The writer deletes
 * the lock file before it lets the lock go, so nothing is left beside a saved file; a writer that
 * locked a lock file which was deleted meanwhile (it opened it just before the holder finished)
 * sees that the path is gone and starts over on a new one. Holding the lock, a writer also removes
 * temporary files of the same target that a killed writer left behind: no live writer can own them.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class AtomicFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Writes the content of a file to a stream; must not close it. */
  @FunctionalInterface
  public interface ContentWriter {
    /** Writes everything to {@code out}. */
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Replaces {@code target} with what {@code writer} writes, atomically where the file system
   * allows it.
   *
   * @throws IOException if writing, syncing or renaming fails; the target is then unchanged and the
   *     temporary file removed
   */
  public static void write(Path target, ContentWriter writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path lockFile = dir.resolve("." + absolute.getFileName() + ".lock");
    for (int attempt = 0; ; attempt++) {
      try (FileChannel lockChannel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = tryLock(lockChannel, absolute, lockFile)) {
        if (!Files.exists(lockFile) && attempt < 3) {
          continue; // locked a file its last holder had just deleted: lock the new one
        }
        try {
          removeStaleTemporaries(dir, absolute.getFileName().toString());
          writeLocked(absolute, dir, writer);
        } finally {
          Files.deleteIfExists(lockFile);
          lock.release();
        }
        return;
      }
    }
  }

  private static FileLock tryLock(FileChannel channel, Path target, Path lockFile)
      throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new ConcurrentSaveException(
          target
              + ": another save to this file is in progress (it holds "
              + lockFile
              + "); not overwriting it");
    }
    return lock;
  }

  /** Deletes {@code .<name>.<hex>.tmp} files in {@code dir}; called with the target's lock held. */
  private static void removeStaleTemporaries(Path dir, String name) throws IOException {
    Pattern temporary = Pattern.compile("\\." + Pattern.quote(name) + "\\.[0-9a-f]{1,16}\\.tmp");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path entry : entries) {
        if (temporary.matcher(entry.getFileName().toString()).matches()) {
          Files.deleteIfExists(entry);
        }
      }
    }
  }

  private static void writeLocked(Path absolute, Path dir, ContentWriter writer)
      throws IOException {
    Path temp =
        dir.resolve(
            "." + absolute.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    // CREATE_NEW, not createTempFile: the new file gets the permissions of any file created here
    // (the umask), where createTempFile would leave every saved model readable by its owner only.
    FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    boolean moved = false;
    try {
      try (channel) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        writer.writeTo(out);
        out.flush();
        channel.force(true);
      }
      keepPermissions(absolute, temp);
      move(temp, absolute);
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** A file that is replaced keeps its permissions, as it would if it were rewritten in place. */
  private static void keepPermissions(Path target, Path temp) throws IOException {
    if (Files.exists(target) && Files.getFileStore(temp).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Makes the rename durable where the platform lets a directory be synced (Linux, macOS). */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported here (Windows): the rename itself has still happened.
    }
  }
}
