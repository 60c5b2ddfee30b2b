package dev.dnn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dnn} command line: trains networks on Fashion-MNIST or a CSV file, evaluates, predicts
 * and fine-tunes saved models, runs the lecture experiment and compares backends. The main class of
 * {@code dnn-cli/target/dnn.jar}; {@code ./dnn jmh} runs the benchmarks from {@code
 * benchmarks.jar}.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each run has its own
 * instance.
 */
@Command(
    name = "dnn",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Train deep feed-forward networks on the CPU or a CUDA GPU, and measure them.",
    footer = {
      "",
      "Benchmarks (from benchmarks.jar, through ./dnn): jmh [JMH-ARG...] runs the JMH"
          + " benchmarks; jmh-table FILE tabulates their JSON results."
    },
    subcommands = {
      TrainCommand.class,
      ExperimentCommand.class,
      CompareCommand.class,
      TransferCommand.class,
      ReportCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      ExportCommand.class,
      FineTuneCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DnnCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    // Charts are drawn off screen: never look for a display.
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for {@link #main} and for tests. */
  public static CommandLine commandLine() {
    return configure(new CommandLine(new DnnCommand()));
  }

  /**
   * Gives {@code cli} this command line's conventions: case-insensitive choices, one line per error
   * (an {@link OutOfMemoryError} included) with the exit status of its kind, no stack trace.
   */
  public static CommandLine configure(CommandLine cli) {
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    cli.setExecutionStrategy(new OutOfMemory(cli.getExecutionStrategy()));
    return cli;
  }

  /** Without a subcommand, prints the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
