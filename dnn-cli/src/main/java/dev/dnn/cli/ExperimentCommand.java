package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.cli.report.ExperimentFiles;
import dev.dnn.cli.report.ResultsTable;
import dev.dnn.cli.report.SpeedupTable;
import dev.dnn.cli.run.ExperimentData;
import dev.dnn.cli.run.ExperimentPlan;
import dev.dnn.cli.run.ExperimentResults;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cli.run.RunResult;
import dev.dnn.cli.run.Scale;
import dev.dnn.cli.run.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lecture experiment: five configurations (MLP, Deep-tanh, ReLU, Tuned, Overfitted) trained on
 * Fashion-MNIST on one or more backends, reported as a Markdown table, a JSON file of every history
 * and an HTML report with plots.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Run the experiment table on Fashion-MNIST: MLP, Deep-tanh, ReLU, Tuned and Overfitted.",
      "Writes DIR/results.md, DIR/results.json and DIR/report.html."
    })
public final class ExperimentCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--scale",
      paramLabel = "SCALE",
      description =
          "${COMPLETION-CANDIDATES}: small runs in minutes on two CPU cores with 256-wide layers"
              + " and at most 8,000 training images; medium uses 1,000-wide layers and all the"
              + " data; full is the lecture's 10000-10000-10000 for 600 epochs, for a GPU"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "small")
  Scale scale;

  @Option(
      names = "--backend",
      split = ",",
      paramLabel = "NAMES",
      converter = BackendNames.Many.class,
      description =
          "Backends to run on, comma separated: auto (the best usable), all (every usable one),"
              + " cpu, cuda, cuda-emulator (default: ${DEFAULT-VALUE}).",
      defaultValue = "auto")
  List<String> backends = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Directory for the results (default: ${DEFAULT-VALUE}).",
      defaultValue = "out/experiment")
  Path out;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "CONFIGS",
      description = "Run only these configurations, comma separated (such as Deep-tanh,ReLU).")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the split, weights, shuffles and dropout (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  long seed;

  @Mixin RunOptions run = new RunOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    List<RunConfig> configs = ExperimentPlan.select(ExperimentPlan.configs(scale, seed), only);
    FileOptions.requireWritableDirectory("--out", out);
    List<String> names = BackendNames.resolve(backends);
    if (scale == Scale.FULL && names.contains("cpu")) {
      stderr.println(
          "dnn experiment: warning: the full scale trains 784-10000-10000-10000-10 for 600 epochs;"
              + " on the CPU that takes days. --scale medium suits a CPU.");
      stderr.flush();
    }
    List<RunResult> results = new ArrayList<>();
    List<Backend> opened = new ArrayList<>();
    ExperimentData data;
    try {
      for (String name : names) {
        Backend backend = Backends.select(name);
        opened.add(backend);
        stdout.println("Backend: " + backend.name() + " (" + backend.description() + ")");
      }
      data = run.load(seed, scale.maxTrainExamples(), scale.maxDevExamples());
      stdout.println("Data: " + data.source());
      for (RunConfig config : configs) {
        for (Backend backend : opened) {
          String label = config.name() + " on " + backend.name();
          stdout.println(
              "== "
                  + label
                  + ": "
                  + config.architecture(data.features(), data.classes())
                  + " "
                  + config.activation().name().toLowerCase(Locale.ROOT)
                  + ", "
                  + ResultsTable.training(config)
                  + ", "
                  + config.epochs()
                  + " epochs");
          stdout.flush();
          RunResult result =
              TrainingRun.execute(
                  config,
                  backend,
                  data,
                  run.listener(stdout, stderr, label, config, data.train().size()));
          stdout.println("   " + TrainCommand.summary(result));
          results.add(result);
        }
      }
    } finally {
      opened.forEach(Backend::close);
    }
    ExperimentResults experiment =
        new ExperimentResults(
            "Fashion-MNIST experiment (" + scale.name().toLowerCase(Locale.ROOT) + " scale)",
            scale.name().toLowerCase(Locale.ROOT),
            data.source(),
            MachineInfo.describe(),
            results);
    stdout.println();
    stdout.print(ResultsTable.of(results).render());
    if (experiment.backends().size() > 1) {
      stdout.println();
      stdout.print(SpeedupTable.of(results).render());
    }
    stdout.println();
    for (Path file : ExperimentFiles.write(experiment, out)) {
      stdout.println("Wrote " + file);
    }
    stdout.flush();
    return 0;
  }
}
