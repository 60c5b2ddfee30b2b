package dev.dnn.cli.report;

import dev.dnn.cli.report.MarkdownTable.Align;
import dev.dnn.cli.run.TransferStudy.Outcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The transfer study per budget: mean held-out accuracies over seeds, and the transferred network's
 * advantage over scratch as a paired mean with its standard error (paired by seed, so the spread
 * between seeds' samples cancels).
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class TransferTable {
  private TransferTable() {}

  /**
   * A budget's summary.
   *
   * @param perClass target examples per class
   * @param seeds how many seeds ran
   * @param scratch mean accuracy from scratch
   * @param headOnly mean accuracy of the head on the frozen transferred layers
   * @param transferred mean accuracy after fine-tuning
   * @param advantage mean of transferred minus scratch
   * @param standardError standard error of that mean (NaN for one seed)
   * @param ahead seeds where the transferred network beat scratch
   */
  public record Row(
      int perClass,
      int seeds,
      double scratch,
      double headOnly,
      double transferred,
      double advantage,
      double standardError,
      int ahead) {}

  /** One row per budget, in increasing budget order. */
  public static List<Row> summarize(List<Outcome> outcomes) {
    Map<Integer, List<Outcome>> byBudget =
        outcomes.stream()
            .collect(Collectors.groupingBy(Outcome::perClass, TreeMap::new, Collectors.toList()));
    return byBudget.entrySet().stream().map(e -> row(e.getKey(), e.getValue())).toList();
  }

  private static Row row(int perClass, List<Outcome> runs) {
    int n = runs.size();
    double meanAdvantage = runs.stream().mapToDouble(Outcome::advantage).average().orElseThrow();
    double squares =
        runs.stream().mapToDouble(o -> Math.pow(o.advantage() - meanAdvantage, 2)).sum();
    double standardError = n > 1 ? Math.sqrt(squares / (n - 1) / n) : Double.NaN;
    return new Row(
        perClass,
        n,
        runs.stream().mapToDouble(Outcome::scratch).average().orElseThrow(),
        runs.stream().mapToDouble(Outcome::headOnly).average().orElseThrow(),
        runs.stream().mapToDouble(Outcome::transferred).average().orElseThrow(),
        meanAdvantage,
        standardError,
        (int) runs.stream().filter(o -> o.advantage() > 0).count());
  }

  /** The summary as a table. */
  public static MarkdownTable of(List<Outcome> outcomes) {
    MarkdownTable table =
        new MarkdownTable(
            "Examples per class",
            "Seeds",
            "Scratch",
            "Head on frozen layers",
            "Transferred, fine-tuned",
            "Transfer - scratch (± s.e.)",
            "Transfer ahead");
    table.align(Align.RIGHT, 0, 1, 2, 3, 4, 5, 6);
    for (Row r : summarize(outcomes)) {
      table.row(
          Integer.toString(r.perClass()),
          Integer.toString(r.seeds()),
          Format.percent(r.scratch()),
          Format.percent(r.headOnly()),
          Format.percent(r.transferred()),
          Double.isNaN(r.standardError())
              ? points(r.advantage())
              : String.format(
                  Locale.ROOT, "%+.2f ± %.2f pts", 100 * r.advantage(), 100 * r.standardError()),
          r.ahead() + "/" + r.seeds());
    }
    return table;
  }

  /** A difference of accuracies in percentage points, signed: {@code +1.25 pts}. */
  static String points(double difference) {
    return String.format(Locale.ROOT, "%+.2f pts", 100 * difference);
  }
}
