package dev.dnn.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dnn} command line: trains networks, runs the lecture experiment, compares backends and
 * runs the JMH benchmarks. The main class of {@code benchmarks.jar}.
 */
@Command(
    name = "dnn",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Train deep feed-forward networks on the CPU or a CUDA GPU, and measure them.",
    subcommands = {
      TrainCommand.class,
      ExperimentCommand.class,
      CompareCommand.class,
      TransferCommand.class,
      ReportCommand.class,
      JmhCommand.class,
      JmhTableCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
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
    CommandLine cli = new CommandLine(new DnnCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    return cli;
  }

  /** Without a subcommand, prints the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
