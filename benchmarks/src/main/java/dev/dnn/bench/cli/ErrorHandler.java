package dev.dnn.bench.cli;

import dev.dnn.backend.BackendException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Reports the errors a user can fix (a backend that is not usable, a missing or malformed file, a
 * bad configuration) as one line without a stack trace; anything else as a full trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  /** Exit status of a run that failed on bad input or an unusable backend. */
  static final int USER_ERROR = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    if (e instanceof BackendException
        || e instanceof IOException
        || e instanceof UncheckedIOException
        || e instanceof IllegalArgumentException) {
      cli.getErr()
          .println(
              cli.getColorScheme()
                  .errorText("dnn " + cli.getCommandName() + ": " + e.getMessage()));
      return USER_ERROR;
    }
    e.printStackTrace(cli.getErr());
    return CommandLine.ExitCode.SOFTWARE;
  }
}
