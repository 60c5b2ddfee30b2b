package dev.dnn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dnn.cli.report.ExperimentFiles;
import dev.dnn.cli.report.ResultsJson;
import dev.dnn.cli.report.ResultsTable;
import dev.dnn.cli.report.SpeedupTable;
import dev.dnn.cli.run.ExperimentResults;
import dev.dnn.cli.run.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Rebuilds the experiment files from one or more {@code results.json} files, for example a CPU run
 * and a GPU run made on different machines, merged into one report with the time per backend.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each run has its own
 * instance.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Merge the results.json of experiment runs (say, one on a CPU machine and one on a GPU)"
          + " into one results.md, results.json and report.html.",
      "Example: report out/cpu/results.json out/gpu/results.json --out out/merged"
    })
public final class ReportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "results.json files.")
  List<Path> inputs = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Directory for the merged files (default: ${DEFAULT-VALUE}).",
      defaultValue = "out/report")
  Path out;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    FileOptions.requireWritableDirectory("--out", out);
    List<ExperimentResults> parts = read(inputs);
    checkComparable(inputs, parts);
    ExperimentResults merged = merge(parts);
    stdout.print(ResultsTable.of(merged.runs()).render());
    if (merged.backends().size() > 1) {
      stdout.println();
      stdout.print(SpeedupTable.of(merged.runs()).render());
    }
    stdout.println();
    for (Path file : ExperimentFiles.write(merged, out)) {
      stdout.println("Wrote " + file);
    }
    stdout.flush();
    return 0;
  }

  private static List<ExperimentResults> read(List<Path> files) throws IOException {
    List<ExperimentResults> results = new ArrayList<>();
    for (Path file : files) {
      FileOptions.requireFile("results file", file);
      ExperimentResults part;
      try {
        part = ResultsJson.read(file, ExperimentResults.class);
      } catch (JsonProcessingException e) {
        throw new IOException(
            file + " is not a results.json written by dnn experiment: " + ResultsJson.describe(e),
            e);
      }
      if (part.runs().isEmpty()) {
        throw new IllegalArgumentException(file + " holds no runs to report");
      }
      results.add(part);
    }
    return results;
  }

  /**
   * Refuses runs that the merged report could not tell apart or would compare wrongly: the same
   * configuration twice on one backend (the speedup table has one cell for it), and a configuration
   * name whose runs trained different networks or data, such as a small-scale run on a CPU and a
   * full-scale one on a GPU (their time ratio is no speedup).
   */
  static void checkComparable(List<Path> files, List<ExperimentResults> parts) {
    Map<String, RunResult> firstRun = new HashMap<>();
    Map<String, Path> firstFile = new HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      Path file = files.get(i);
      for (RunResult run : parts.get(i).runs()) {
        String onBackend = run.name() + " on " + run.backend();
        if (firstFile.containsKey(onBackend)) {
          throw new IllegalArgumentException(
              onBackend
                  + " is in both "
                  + firstFile.get(onBackend)
                  + " and "
                  + file
                  + "; merge one run of each configuration per backend");
        }
        firstFile.put(onBackend, file);
        RunResult earlier = firstRun.putIfAbsent(run.name(), run);
        if (earlier != null && !sameWorkload(earlier, run)) {
          throw new IllegalArgumentException(
              run.name()
                  + " trained "
                  + workload(earlier)
                  + " in "
                  + firstFile.get(run.name() + " on " + earlier.backend())
                  + " but "
                  + workload(run)
                  + " in "
                  + file
                  + "; merge runs of the same scale and data");
        }
      }
    }
  }

  private static boolean sameWorkload(RunResult a, RunResult b) {
    return a.config().equals(b.config())
        && a.architecture().equals(b.architecture())
        && a.trainExamples() == b.trainExamples();
  }

  private static String workload(RunResult run) {
    return run.architecture()
        + " ("
        + ResultsTable.training(run.config())
        + ", "
        + run.config().epochs()
        + " epochs, "
        + run.trainExamples()
        + " examples, seed "
        + run.config().seed()
        + ")";
  }

  /**
   * One experiment holding every run of {@code parts}; titles, scales, data sources and machines
   * that differ are joined with {@code " | "}.
   */
  static ExperimentResults merge(List<ExperimentResults> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<RunResult> runs = new ArrayList<>();
    Set<String> titles = new LinkedHashSet<>();
    Set<String> scales = new LinkedHashSet<>();
    Set<String> sources = new LinkedHashSet<>();
    Set<String> machines = new LinkedHashSet<>();
    for (ExperimentResults part : parts) {
      runs.addAll(part.runs());
      titles.add(part.title());
      scales.add(part.scale());
      sources.add(part.dataSource());
      machines.add(part.machine());
    }
    // Keep each configuration's runs together, in the order configurations first appear.
    List<String> order = runs.stream().map(RunResult::name).distinct().toList();
    List<RunResult> grouped = new ArrayList<>();
    for (String name : order) {
      runs.stream().filter(r -> r.name().equals(name)).forEach(grouped::add);
    }
    return new ExperimentResults(
        String.join(" | ", titles),
        String.join(" | ", scales),
        String.join(" | ", sources),
        String.join(" | ", machines),
        grouped);
  }
}
