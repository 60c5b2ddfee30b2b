package dev.dnn.cli.run;

import java.util.List;
import java.util.Objects;

/**
 * Everything one experiment produced: the runs of every configuration on every backend, and where
 * they ran. This is what {@code results.json} holds.
 *
 * <p>Immutable (the list is copied) and safe to share between threads.
 *
 * @param title a heading for the report
 * @param scale the experiment scale ({@code small}, {@code medium}, {@code full})
 * @param dataSource where the data came from, in words
 * @param machine the host (processor, cores, Java version)
 * @param runs every run, in the order they ran
 */
public record ExperimentResults(
    String title, String scale, String dataSource, String machine, List<RunResult> runs) {

  /** Checks the fields and copies the run list. */
  public ExperimentResults {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(scale, "scale");
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(machine, "machine");
    runs = List.copyOf(Objects.requireNonNull(runs, "runs"));
  }

  /** The distinct backend names, in the order they first ran. */
  public List<String> backends() {
    return runs.stream().map(RunResult::backend).distinct().toList();
  }

  /** The distinct configuration names, in the order they first ran. */
  public List<String> configNames() {
    return runs.stream().map(RunResult::name).distinct().toList();
  }
}
