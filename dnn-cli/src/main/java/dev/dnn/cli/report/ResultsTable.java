package dev.dnn.cli.report;

import dev.dnn.cli.report.MarkdownTable.Align;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cli.run.RunResult;
import java.util.List;
import java.util.Locale;

/**
 * The experiment table: one row per configuration and backend, with accuracies and time.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class ResultsTable {
  private ResultsTable() {}

  /** The table of {@code runs}, in their order. */
  public static MarkdownTable of(List<RunResult> runs) {
    MarkdownTable table =
        new MarkdownTable(
                "Config",
                "Network",
                "Training",
                "Backend",
                "Epochs",
                "Train acc",
                "Dev acc",
                "Test acc",
                "Wall time",
                "Samples/s")
            .align(Align.RIGHT, 4, 5, 6, 7, 8, 9);
    for (RunResult run : runs) {
      table.row(
          run.name(),
          run.architecture() + " " + lower(run.config().activation().name()),
          training(run.config()),
          run.backend(),
          String.valueOf(run.epochs().size()),
          Format.percent(run.trainAccuracy()),
          Format.percent(run.devAccuracy()),
          Format.percent(run.testAccuracy()),
          Format.seconds(run.wallSeconds()),
          Format.rate(run.samplesPerSecond()));
    }
    return table;
  }

  /** How a configuration trains, in a few words: {@code adam 0.001, b512, he, dropout 0.2}. */
  public static String training(RunConfig config) {
    StringBuilder s =
        new StringBuilder()
            .append(config.optimizer())
            .append(' ')
            .append(Format.number(config.learningRate()))
            .append(", b")
            .append(config.batchSize())
            .append(", ")
            .append(config.init().registeredName());
    if (config.dropout() > 0) {
      s.append(", dropout ").append(Format.number(config.dropout()));
    }
    return s.toString();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
