package dev.dnn.cli;

import dev.dnn.backend.BackendException;
import dev.dnn.train.TrainingDivergedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Reports the errors a user can fix (a backend that is not usable, a missing or malformed file, a
 * bad configuration, training that diverged at the chosen learning rate) as one line without a
 * stack trace; anything else as a full trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  /** Exit status of a run that failed on bad input or an unusable backend. */
  static final int USER_ERROR = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    // A worker thread's OutOfMemoryError arrives wrapped; the caller's own is caught by
    // OutOfMemory.
    String message =
        OutOfMemory.causedBy(e)
            ? OutOfMemory.message(cli.getCommandName(), parsed)
            : userMessage(e);
    if (message == null) {
      e.printStackTrace(cli.getErr());
      return CommandLine.ExitCode.SOFTWARE;
    }
    cli.getErr()
        .println(cli.getColorScheme().errorText("dnn " + cli.getCommandName() + ": " + message));
    return USER_ERROR;
  }

  /** The one-line message of an error the user can fix, or null for an internal error. */
  private static String userMessage(Exception e) {
    if (e instanceof BackendException
        || e instanceof IOException
        || e instanceof UncheckedIOException
        || e instanceof IllegalArgumentException) {
      return describe(e);
    }
    if (e instanceof TrainingDivergedException) {
      // The trainer counts from 0 while the progress lines above it count epochs from 1.
      return e.getMessage() + " (epoch and step counted from 0)";
    }
    return null;
  }

  /**
   * The message of {@code e}, completed where the JDK gives only a path: a {@link
   * NoSuchFileException} says just {@code /a/b}, which reads as if the path were the problem's
   * name.
   */
  static String describe(Throwable e) {
    if (e instanceof FileSystemException fs && fs.getReason() == null && fs.getFile() != null) {
      String files = fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile());
      return files + ": " + reason(fs);
    }
    return e.getMessage();
  }

  private static String reason(FileSystemException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    return "cannot be accessed (" + e.getClass().getSimpleName() + ")";
  }
}
