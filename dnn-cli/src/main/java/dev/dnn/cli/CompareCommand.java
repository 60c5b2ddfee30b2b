package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.cli.report.ResultsJson;
import dev.dnn.cli.report.ResultsTable;
import dev.dnn.cli.report.SpeedupTable;
import dev.dnn.cli.run.ExperimentData;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cli.run.RunResult;
import dev.dnn.cli.run.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains one configuration on every usable backend and prints how much faster each was.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each run has its own
 * instance.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Train one network on every usable backend (or those given) and print the speedup table.",
      "Example: compare --hidden 500,250,75,25 --epochs 3"
    })
public final class CompareCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(
      names = "--backend",
      split = ",",
      paramLabel = "NAMES",
      converter = BackendNames.Many.class,
      description = "Backends to compare, comma separated (default: ${DEFAULT-VALUE}).",
      defaultValue = "all")
  List<String> backends = new ArrayList<>();

  @Mixin RunOptions run = new RunOptions();

  @Option(names = "--json", paramLabel = "FILE", description = "Also write every run as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RunConfig config = network.toConfig("compare");
    if (json != null) {
      FileOptions.requireWritableFile("--json", json);
    }
    List<String> names = BackendNames.resolve(backends);
    ExperimentData data = run.load(config.seed(), Integer.MAX_VALUE, Integer.MAX_VALUE);
    out.println("Data: " + data.source());
    List<RunResult> results = new ArrayList<>();
    for (String name : names) {
      try (Backend backend = Backends.select(name)) {
        out.println("== " + backend.name() + " (" + backend.description() + ")");
        out.flush();
        RunResult result =
            TrainingRun.execute(
                config,
                backend,
                data,
                run.listener(out, err, backend.name(), config, data.train().size()));
        out.println("   " + TrainCommand.summary(result));
        results.add(result);
      }
    }
    out.println();
    out.print(ResultsTable.of(results).render());
    out.println();
    out.print(SpeedupTable.of(results).render());
    if (results.size() == 1) {
      String only = results.get(0).backend();
      out.println(
          backends.contains(BackendNames.ALL)
              ? "Only '" + only + "' is usable here: a speedup needs two backends."
              : "Only '"
                  + only
                  + "' ran (--backend "
                  + String.join(",", backends)
                  + "): a speedup"
                  + " needs two backends.");
    }
    out.flush();
    if (json != null) {
      ResultsJson.write(results, json);
      out.println("Wrote " + json);
    }
    return 0;
  }
}
