package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.cli.report.Format;
import dev.dnn.cli.report.ResultsJson;
import dev.dnn.cli.report.ResultsTable;
import dev.dnn.cli.run.ExperimentData;
import dev.dnn.cli.run.Networks;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cli.run.RunResult;
import dev.dnn.cli.run.TrainingRun;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.metrics.RegressionMetrics;
import dev.dnn.nn.Evaluation;
import dev.dnn.nn.ModelSpec;
import dev.dnn.train.EarlyStopping;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains one network, given by flags or by an architecture file, on Fashion-MNIST or on a CSV file,
 * and reports its accuracy (or loss) and speed.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each run has its own
 * instance.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Train one network on Fashion-MNIST or on a CSV file of your own and report train/dev/test"
          + " accuracy (loss for regression), wall time and samples per second.",
      "Example: train --hidden 500,250,75,25 --activation relu --optimizer adam --lr 0.001"
          + " --batch 512 --epochs 10 --dropout 0.2",
      "Example: train --csv houses.csv --label price_class --standardize --hidden 32,16"
          + " --epochs 100 --batch 32 --save houses.safetensors",
      "Example: train --spec architecture.json --epochs 5  (the JSON model files store as"
          + " dnn.spec)"
    })
public final class TrainCommand implements Callable<Integer> {
  /** Epochs without a better dev loss before a CSV run stops, unless --patience says otherwise. */
  static final int DEFAULT_TABLE_PATIENCE = 10;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description =
          "Train this architecture (JSON, as model files store it under dnn.spec: batch norm,"
              + " residual blocks, PReLU, maxout, ...) instead of the one --hidden, --activation,"
              + " --init and --dropout describe.")
  Path specFile;

  @Mixin TableOptions table = new TableOptions();

  @Mixin BackendOption backend = new BackendOption();

  @Mixin RunOptions run = new RunOptions();

  @Option(
      names = "--patience",
      paramLabel = "EPOCHS",
      description =
          "Stop when the dev loss has not improved for this many epochs and restore the best"
              + " epoch's weights; 0 turns it off (default: 10 with --csv, off for Fashion-MNIST).")
  Integer patience;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "Also write the figures as JSON; for a regression (--loss mse) with RMSE, MAE and R2 of"
              + " the train, dev and test parts in the target's units, under \"regression\".")
  Path json;

  @Option(
      names = "--save",
      paramLabel = "FILE",
      description =
          "Save the trained model (safetensors, with its architecture, input scaling and class"
              + " names) to FILE.")
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
    if (specFile != null) {
      FileOptions.requireFile("--spec", specFile);
    }
    if (table.given() && run.dataDir != null) {
      throw new IllegalArgumentException(
          "--csv and --data name two data sets; give one (--data is Fashion-MNIST's directory)");
    }
    RunResult result;
    Loss loss = table.given() ? table.loss : Loss.SOFTMAX_CROSS_ENTROPY;
    Evaluation[] finals = new Evaluation[3];
    try (Backend chosen = backend.select()) {
      out.println("Backend: " + chosen.name() + " (" + chosen.description() + ")");
      ExperimentData data;
      ModelFile.Description description;
      TableOptions.Table csvTable = null;
      int outputs;
      if (table.given()) {
        csvTable = table.load(config.seed());
        data =
            new ExperimentData(
                csvTable.train(), csvTable.dev(), csvTable.test(), csvTable.source());
        description = ModelFile.Description.of(null);
        outputs =
            loss.usesClassLabels() ? csvTable.classNames().size() : csvTable.train().targetCount();
        csvTable.warnings().forEach(err::println);
        if (!spec.commandLine().getParseResult().hasMatchedOption("--hidden") && specFile == null) {
          config = config.withHidden(Networks.tableWidths(data.features()));
        }
      } else {
        data = run.load(config.seed(), Integer.MAX_VALUE, Integer.MAX_VALUE);
        description = ModelFiles.FASHION_MNIST;
        outputs = data.classes();
      }
      out.println("Data: " + data.source());
      ModelSpec architecture = architecture(config, data.features(), outputs);
      out.println(
          "Network: "
              + Networks.architecture(architecture)
              + (specFile != null
                  ? " from " + specFile
                  : " " + network.layers.activation.name().toLowerCase(Locale.ROOT))
              + ", "
              + ResultsTable.training(config)
              + ", loss "
              + loss.name().toLowerCase(Locale.ROOT));
      int stopAfter = patience != null ? patience : table.given() ? DEFAULT_TABLE_PATIENCE : 0;
      if (stopAfter < 0) {
        throw new IllegalArgumentException("--patience must be 0 (off) or more, got " + stopAfter);
      }
      EarlyStopping stopping =
          stopAfter == 0 ? null : EarlyStopping.onDevLoss().patience(stopAfter);
      if (stopping != null) {
        out.println(
            "Early stopping: after "
                + stopAfter
                + " epochs without a better dev loss, keeping the best epoch (--patience 0: off)");
      }
      out.flush();
      TableOptions.Table t = csvTable;
      String provenance = t == null ? null : t.provenance();
      RunConfig chosenConfig = config;
      result =
          TrainingRun.execute(
              chosenConfig,
              architecture,
              loss,
              chosen,
              data,
              run.listener(out, err, chosen.name(), chosenConfig, data.train().size()),
              model -> {
                if (t != null) {
                  model.setPreprocessing(t.preprocessing());
                  model.setTargetScaling(t.targetScaling());
                  model.setClassNames(t.classNames());
                }
              },
              stopping,
              model -> {
                if (!loss.usesClassLabels()) {
                  finals[0] = model.evaluate(data.train(), loss);
                  finals[1] = model.evaluate(data.dev(), loss);
                  finals[2] = model.evaluate(data.test(), loss);
                }
                if (save != null) {
                  ModelFiles.save(model, description, provenance, save);
                }
              });
    }
    out.println(loss.usesClassLabels() ? summary(result) : lossSummary(result, loss, finals));
    out.flush();
    if (save != null) {
      out.println("Saved the model to " + save);
    }
    if (json != null) {
      Optional<Map<String, RegressionMetrics>> regression = regression(finals);
      if (regression.isPresent()) {
        ResultsJson.write(result, Map.of("regression", regression.get()), json);
      } else {
        ResultsJson.write(result, json);
      }
      out.println("Wrote " + json);
    }
    return 0;
  }

  /**
   * RMSE, MAE and R² of the train, dev and test parts in the target's units (the figures the
   * closing lines print), for a model whose evaluations have them.
   */
  static Optional<Map<String, RegressionMetrics>> regression(Evaluation[] finals) {
    if (finals[2] == null || finals[2].regression().isEmpty()) {
      return Optional.empty();
    }
    Map<String, RegressionMetrics> parts = new LinkedHashMap<>();
    parts.put("train", finals[0].regression().orElseThrow());
    parts.put("dev", finals[1].regression().orElseThrow());
    parts.put("test", finals[2].regression().orElseThrow());
    return Optional.of(parts);
  }

  /** The architecture file's, checked against the data, or the one the flags describe. */
  private ModelSpec architecture(RunConfig config, int inputs, int outputs) throws IOException {
    if (specFile == null) {
      return Networks.classifier(config, inputs, outputs);
    }
    ModelSpec read = ModelFile.readSpec(specFile);
    if (read.inputs() != inputs || read.outputs() != outputs) {
      throw new IllegalArgumentException(
          "--spec "
              + specFile
              + " takes "
              + read.inputs()
              + " inputs and gives "
              + read.outputs()
              + " outputs, but the data has "
              + inputs
              + " features and needs "
              + outputs
              + " outputs");
    }
    return read;
  }

  /** The closing line of a regression run: losses instead of accuracies. */
  static String lossSummary(RunResult result, Loss loss, Evaluation[] finals) {
    return finals[2]
            .regression()
            .map(
                m ->
                    String.format(
                        Locale.ROOT,
                        "Test RMSE %.6g, MAE %.6g, R2 %.4f (in the target's units; dev RMSE %.6g,"
                            + " R2 %.4f)%n",
                        m.rmse(),
                        m.mae(),
                        m.r2(),
                        finals[1].regression().orElseThrow().rmse(),
                        finals[1].regression().orElseThrow().r2()))
            .orElse("")
        + "Loss ("
        + loss.name().toLowerCase(Locale.ROOT)
        + "): train "
        + String.format(Locale.ROOT, "%.4f", finals[0].loss())
        + ", dev "
        + String.format(Locale.ROOT, "%.4f", finals[1].loss())
        + ", test "
        + String.format(Locale.ROOT, "%.4f", finals[2].loss())
        + "; wall time "
        + Format.seconds(result.wallSeconds())
        + "; "
        + Format.rate(result.samplesPerSecond())
        + " samples/s on "
        + result.backend();
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
