package dev.dnn.cli.report;

import dev.dnn.cli.report.MarkdownTable.Align;
import dev.dnn.cli.run.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Training time of each configuration on each backend, and how many times faster each backend was
 * than the reference backend ({@code cpu} when it ran, else the first).
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class SpeedupTable {
  private SpeedupTable() {}

  /** The reference backend among {@code backends}: {@code cpu} if present, else the first. */
  public static String reference(List<String> backends) {
    return backends.contains("cpu") ? "cpu" : backends.get(0);
  }

  /** The table for {@code runs}; one row per configuration, one time column per backend. */
  public static MarkdownTable of(List<RunResult> runs) {
    List<String> backends = runs.stream().map(RunResult::backend).distinct().toList();
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("no runs to compare");
    }
    String reference = reference(backends);
    List<String> others = backends.stream().filter(b -> !b.equals(reference)).toList();
    List<String> header = new ArrayList<>();
    header.add("Config");
    header.add("Network");
    for (String backend : backends) {
      header.add(backend + " time");
      header.add(backend + " samples/s");
    }
    for (String other : others) {
      header.add(other + " vs " + reference);
    }
    MarkdownTable table = new MarkdownTable(header.toArray(String[]::new));
    for (int c = 2; c < header.size(); c++) {
      table.align(Align.RIGHT, c);
    }
    Map<String, Map<String, RunResult>> byConfig = new LinkedHashMap<>();
    for (RunResult run : runs) {
      byConfig.computeIfAbsent(run.name(), k -> new LinkedHashMap<>()).put(run.backend(), run);
    }
    for (Map<String, RunResult> row : byConfig.values()) {
      RunResult any = row.values().iterator().next();
      List<String> cells = new ArrayList<>();
      cells.add(any.name());
      cells.add(any.architecture());
      for (String backend : backends) {
        Optional<RunResult> run = Optional.ofNullable(row.get(backend));
        cells.add(run.map(r -> Format.seconds(r.wallSeconds())).orElse("-"));
        cells.add(run.map(r -> Format.rate(r.samplesPerSecond())).orElse("-"));
      }
      RunResult base = row.get(reference);
      for (String other : others) {
        RunResult run = row.get(other);
        cells.add(
            base == null || run == null
                ? "-"
                : Format.ratio(base.wallSeconds() / run.wallSeconds()));
      }
      table.row(cells.toArray(String[]::new));
    }
    return table;
  }
}
