package dev.dnn.bench;

import dev.dnn.cli.DnnCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The main class of {@code benchmarks.jar}: the {@code jmh} and {@code jmh-table} commands that
 * {@code ./dnn jmh} and {@code ./dnn jmh-table} run. The benchmarks live apart from the command
 * line users train with, which does not need JMH or OpenBLAS.
 */
@Command(
    name = "dnn",
    mixinStandardHelpOptions = true,
    description = "Run the JMH benchmarks of dnn and tabulate their results.",
    subcommands = {JmhCommand.class, JmhTableCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the benchmark commands and exits with their status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for {@link #main} and for tests. */
  public static CommandLine commandLine() {
    return DnnCommand.configure(new CommandLine(new BenchCommand()));
  }

  /** Without a subcommand, prints the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
