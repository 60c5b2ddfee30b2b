package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.cli.report.ExperimentFiles;
import dev.dnn.cli.report.Format;
import dev.dnn.cli.report.ResultsTable;
import dev.dnn.cli.report.SpeedupTable;
import dev.dnn.cli.run.ExperimentData;
import dev.dnn.cli.run.ExperimentPlan;
import dev.dnn.cli.run.ExperimentResults;
import dev.dnn.cli.run.RunClock;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cli.run.RunCost;
import dev.dnn.cli.run.RunResult;
import dev.dnn.cli.run.Scale;
import dev.dnn.cli.run.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lecture experiment: five configurations (MLP, Deep-tanh, ReLU, Tuned, Overfitted) trained on
 * Fashion-MNIST, or on a price table cut into classes ({@link PriceTable}: the bundled Ames table
 * or any CSV), on one or more backends, reported as a Markdown table, a JSON file of every history
 * and an HTML report with plots.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each run has its own
 * instance.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Run the experiment table on Fashion-MNIST: MLP, Deep-tanh, ReLU, Tuned and Overfitted.",
      "With --data ames, on the bundled Ames house-price table; with --csv FILE --label COLUMN,"
          + " on any table: the label, a number, cut into --classes classes at its quantiles on"
          + " the training part (3: cheap, average, expensive), text columns one-hot encoded,"
          + " numeric ones standardized, split 80/10/10 stratified and seeded.",
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
              + " data; full is the lecture's 10000-10000-10000 for 600 epochs, for a GPU, or"
              + " for a CPU with --epochs (default: ${DEFAULT-VALUE}).",
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
      names = "--epochs",
      paramLabel = "N",
      description =
          "Train every configuration for N epochs instead of its scale's (such as --scale full"
              + " --epochs 2 --only Deep-tanh,ReLU: the lecture's width, first epochs, on a CPU).")
  Integer epochs;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the split, weights, shuffles and dropout (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  long seed;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      description =
          "Run on this CSV table (a header naming the columns) instead of Fashion-MNIST; needs"
              + " --label.")
  Path csv;

  @Option(
      names = "--label",
      paramLabel = "COLUMN",
      description = "With --csv: the numeric column cut into classes, by header name.")
  String label;

  @Option(
      names = "--classes",
      paramLabel = "N",
      description =
          "With --csv or --data ames: the number of classes the label is cut into at its"
              + " quantiles on the training part (default: ${DEFAULT-VALUE}, the tertiles: cheap,"
              + " average, expensive).",
      defaultValue = "3")
  int classes;

  @Mixin RunOptions run = new RunOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    List<RunConfig> configs =
        withEpochs(ExperimentPlan.select(ExperimentPlan.configs(scale, seed), only), epochs);
    FileOptions.requireWritableDirectory("--out", out);
    List<String> names = BackendNames.resolve(backends);
    if (scale == Scale.FULL && epochs == null && names.contains("cpu")) {
      stderr.println(
          "dnn experiment: warning: the full scale trains 784-10000-10000-10000-10 for 600 epochs;"
              + " on the CPU that takes days. --epochs 2 gives its first epochs in minutes;"
              + " --scale medium suits a CPU.");
      stderr.flush();
    }
    Map<String, Double> measuredRates = new HashMap<>();
    List<RunResult> results = new ArrayList<>();
    List<Backend> opened = new ArrayList<>();
    ExperimentData data;
    try {
      for (String name : names) {
        Backend backend = Backends.select(name);
        opened.add(backend);
        stdout.println("Backend: " + backend.name() + " (" + backend.description() + ")");
      }
      data = loadData();
      stdout.println("Data: " + data.source());
      Runtime runtime = Runtime.getRuntime();
      for (RunConfig config : configs) {
        for (Backend backend : opened) {
          if (onHeap(backend)) {
            // Before any model is built: each run's model is closed before the next one starts.
            HeapCheck.require(
                config.name() + " on " + backend.name(),
                cost(config, data),
                runtime.maxMemory(),
                runtime.totalMemory() - runtime.freeMemory(),
                "experiment");
          }
        }
      }
      for (RunConfig config : configs) {
        for (Backend backend : opened) {
          String label = config.name() + " on " + backend.name();
          RunCost cost = cost(config, data);
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
          stdout.println("   " + describe(cost, measuredRates.get(backend.name()), backend.name()));
          stdout.flush();
          RunClock clock = new RunClock(cost, System::nanoTime);
          RunResult result =
              TrainingRun.execute(
                  config,
                  backend,
                  data,
                  run.listener(stdout, stderr, label, config, data.train().size(), clock));
          if (Double.isFinite(clock.flopsPerSecond())) {
            measuredRates.put(backend.name(), clock.flopsPerSecond());
          }
          stdout.println("   " + TrainCommand.summary(result));
          results.add(result);
        }
      }
    } finally {
      opened.forEach(Backend::close);
    }
    ExperimentResults experiment =
        new ExperimentResults(
            dataName()
                + " experiment ("
                + scale.name().toLowerCase(Locale.ROOT)
                + " scale"
                + (epochs == null ? "" : ", " + epochs + " epochs")
                + ")",
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

  /** The table of --csv, the Ames table of --data ames, or Fashion-MNIST. */
  private ExperimentData loadData() throws java.io.IOException {
    int maxTrain = run.trainCap(scale.maxTrainExamples());
    if (csv != null) {
      FileOptions.requireFile("--csv", csv);
      if (label == null) {
        throw new IllegalArgumentException(
            "--csv needs --label COLUMN: the numeric column to cut into classes");
      }
      return PriceTable.load(
          csv, csv.toString(), label, classes, seed, maxTrain, scale.maxDevExamples());
    }
    if (label != null) {
      throw new IllegalArgumentException("--label goes with --csv FILE");
    }
    if (run.namesAmes()) {
      return PriceTable.ames(classes, seed, maxTrain, scale.maxDevExamples());
    }
    return run.load(seed, maxTrain, scale.maxDevExamples());
  }

  private String dataName() {
    if (csv != null) {
      return "Price-table (" + csv.getFileName() + ")";
    }
    return run.namesAmes() ? "Ames price-table" : "Fashion-MNIST";
  }

  /** The configurations with their epochs replaced by {@code epochs}, when given. */
  static List<RunConfig> withEpochs(List<RunConfig> configs, Integer epochs) {
    if (epochs == null) {
      return configs;
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
    }
    return configs.stream().map(c -> c.withEpochs(epochs)).toList();
  }

  private static RunCost cost(RunConfig config, ExperimentData data) {
    return RunCost.of(
        config,
        data.features(),
        data.classes(),
        data.train().size(),
        data.dev().size(),
        data.test().size());
  }

  /** Whether the backend's tensors live on the Java heap (the CPU, the CUDA emulator). */
  private static boolean onHeap(Backend backend) {
    return !backend.name().equals("cuda");
  }

  /**
   * The run's size before it starts: parameters, heap, steps and operations, and its time at the
   * rate the previous run measured on the same backend when there was one.
   */
  static String describe(RunCost cost, Double previousRate, String backend) {
    String size =
        String.format(
            Locale.ROOT,
            "%,d parameters, %s of model memory; %,d steps, %s FLOPs",
            cost.parameters(),
            dev.dnn.data.MemoryBudget.format(cost.heapBytes()),
            cost.steps(),
            Format.number(cost.totalFlops()));
    if (previousRate == null) {
      return size + "; the time is estimated after the first steps";
    }
    return size
        + "; about "
        + Format.duration(RunClock.seconds(cost, previousRate))
        + " at the "
        + Format.number(previousRate)
        + " FLOP/s the previous run measured on "
        + backend;
  }
}
