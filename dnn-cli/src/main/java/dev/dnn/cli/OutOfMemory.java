package dev.dnn.cli;

import dev.dnn.data.MemoryBudget;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

/**
 * Turns an {@link OutOfMemoryError} anywhere in a command (reading, building the model, training,
 * writing) into one line that names the command and its arguments, the heap this JVM may use and
 * how to give it more, with exit status {@link ErrorHandler#USER_ERROR} and no stack trace. Picocli
 * lets errors pass its exception handlers, so this wraps the execution strategy itself.
 */
final class OutOfMemory implements IExecutionStrategy {
  /** Arguments longer than this are cut in the message, which must stay one readable line. */
  private static final int MAX_ARGUMENTS = 200;

  private final IExecutionStrategy delegate;

  OutOfMemory(IExecutionStrategy delegate) {
    this.delegate = delegate;
  }

  @Override
  public int execute(ParseResult parsed) {
    try {
      return delegate.execute(parsed);
    } catch (OutOfMemoryError e) {
      return report(parsed);
    }
  }

  /** Whether {@code e} or one of its causes is an {@link OutOfMemoryError}. */
  static boolean causedBy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Prints the line for a command of {@code parsed} that ran out of memory. */
  static int report(ParseResult parsed) {
    ParseResult command = parsed;
    while (command.hasSubcommand()) {
      command = command.subcommand();
    }
    CommandLine cli = command.commandSpec().commandLine();
    PrintWriter err = cli.getErr();
    try {
      String name = cli.getCommandName();
      err.println(cli.getColorScheme().errorText("dnn " + name + ": " + message(name, parsed)));
    } catch (OutOfMemoryError again) {
      // Whatever still holds the heap: say the essential without building strings.
      err.println("dnn: out of memory; give the JVM more heap with -Xmx (DNN_JAVA_OPTS for ./dnn)");
    }
    err.flush();
    return ErrorHandler.USER_ERROR;
  }

  /**
   * What to say when command {@code name} ran out of memory: {@code out of memory on --input
   * big.csv: this JVM may use at most 64 MB of heap (Runtime.maxMemory, set with -Xmx); give it
   * more, e.g. DNN_JAVA_OPTS=-Xmx1g ./dnn predict ...}.
   */
  static String message(String name, ParseResult parsed) {
    List<String> arguments = new ArrayList<>(parsed.originalArgs());
    arguments.remove(name);
    String on = String.join(" ", arguments);
    if (on.length() > MAX_ARGUMENTS) {
      on = on.substring(0, MAX_ARGUMENTS) + "...";
    }
    long max = Runtime.getRuntime().maxMemory();
    return "out of memory"
        + (on.isEmpty() ? "" : " on " + on)
        + ": this JVM may use at most "
        + MemoryBudget.format(max)
        + " of heap (Runtime.maxMemory, set with -Xmx); give it more, e.g. DNN_JAVA_OPTS=-Xmx"
        + suggestedGigabytes(max)
        + "g ./dnn "
        + name
        + " ...";
  }

  /** Twice the current maximum, in whole gigabytes, at least 1. */
  static long suggestedGigabytes(long maxBytes) {
    long gib = 1L << 30;
    if (maxBytes > Long.MAX_VALUE / 4) {
      return maxBytes / gib; // no limit was set; the suggestion only needs to be finite
    }
    return Math.max(1, (2 * maxBytes + gib - 1) / gib);
  }
}
