package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.cli.report.Format;
import dev.dnn.cli.report.ResultsJson;
import dev.dnn.cli.report.ResultsTable;
import dev.dnn.cli.run.ExperimentData;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cli.run.RunResult;
import dev.dnn.cli.run.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains one network given by flags on Fashion-MNIST and reports its accuracy and speed. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Train one network on Fashion-MNIST and report train/dev/test accuracy, wall time and"
          + " samples per second.",
      "Example: train --hidden 500,250,75,25 --activation relu --optimizer adam --lr 0.001"
          + " --batch 512 --epochs 10 --dropout 0.2"
    })
public final class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Mixin BackendOption backend = new BackendOption();

  @Mixin RunOptions run = new RunOptions();

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
  Path json;

  @Option(
      names = "--save",
      paramLabel = "FILE",
      description = "Save the trained model (safetensors, with its architecture) to FILE.")
  Path save;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RunConfig config = network.toConfig("train");
    if (json != null) {
      FileOptions.requireWritableFile("--json", json);
    }
    if (save != null) {
      FileOptions.requireWritableFile("--save", save);
    }
    RunResult result;
    try (Backend chosen = backend.select()) {
      out.println("Backend: " + chosen.name() + " (" + chosen.description() + ")");
      ExperimentData data = run.load(config.seed(), Integer.MAX_VALUE, Integer.MAX_VALUE);
      out.println("Data: " + data.source());
      out.println(
          "Network: "
              + config.architecture(data.features(), data.classes())
              + " "
              + network.activation.name().toLowerCase(Locale.ROOT)
              + ", "
              + ResultsTable.training(config));
      out.flush();
      result =
          TrainingRun.execute(
              config,
              chosen,
              data,
              run.listener(out, err, chosen.name(), config, data.train().size()),
              save == null ? null : model -> ModelFiles.save(model, save));
    }
    out.println(summary(result));
    out.flush();
    if (save != null) {
      out.println("Saved the model to " + save);
    }
    if (json != null) {
      ResultsJson.write(result, json);
      out.println("Wrote " + json);
    }
    return 0;
  }

  /** The closing line of a run. */
  static String summary(RunResult result) {
    return "Accuracy: train "
        + Format.percent(result.trainAccuracy())
        + ", dev "
        + Format.percent(result.devAccuracy())
        + ", test "
        + Format.percent(result.testAccuracy())
        + "; wall time "
        + Format.seconds(result.wallSeconds())
        + "; "
        + Format.rate(result.samplesPerSecond())
        + " samples/s on "
        + result.backend();
  }
}
