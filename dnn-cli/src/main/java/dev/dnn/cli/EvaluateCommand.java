package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.cli.report.Format;
import dev.dnn.data.DataSet;
import dev.dnn.data.FashionMnist;
import dev.dnn.data.TableReader;
import dev.dnn.io.ModelFile;
import dev.dnn.nn.Evaluation;
import dev.dnn.nn.Model;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Loads a saved model and reports its accuracy and loss on the Fashion-MNIST test images.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each run has its own
 * instance.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Load a saved model and report its accuracy and loss on the Fashion-MNIST test images.",
      "Without --data this is the bundled 10,000-image test split, which the train command's"
          + " bundled fallback also trains on (80%%); give --data for a clean held-out figure.",
      "Example: evaluate --model fashion.safetensors"
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ModelOption model = new ModelOption();

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Directory with the Fashion-MNIST IDX files. Default: /usr/share/datasets/fashion-mnist"
              + " when present, else the bundled test split.")
  Path dataDir;

  @Option(
      names = "--classes",
      paramLabel = "FIRST-LAST",
      converter = ClassRange.Converter.class,
      description = "Evaluate on these classes only, relabelled from 0 (as fine-tune --classes).")
  ClassRange classes;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      description =
          "Evaluate on this labelled CSV file instead of Fashion-MNIST: columns by name, the"
              + " model's stored preprocessing applied; on the model's own training file, its"
              + " held-out test rows only (--all-rows for all).")
  Path csv;

  @Option(
      names = "--label",
      paramLabel = "COLUMN",
      description =
          "With --csv: the label column, by header name or 0-based index (default: the one the"
              + " model was trained with, on its own training file).")
  String label;

  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description =
          "The architecture as JSON, for a file of weights alone (a PyTorch state_dict saved as"
              + " safetensors in the layout python/dnn_torch.py builds).")
  Path architecture;

  @Option(
      names = "--all-rows",
      description =
          "With --csv, on the file the model was trained on: score every row (default: only the"
              + " held-out test rows of its recorded split).")
  boolean allRows;

  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description = "With --csv: the field separator (default: detected from the header line).")
  String delimiter;

  @Mixin BackendOption backend = new BackendOption();

  private int evaluateCsv(PrintWriter out) throws Exception {
    FileOptions.requireFile("--csv", csv);
    if (dataDir != null || classes != null) {
      throw new IllegalArgumentException("--data and --classes are for Fashion-MNIST, not --csv");
    }
    try (Backend chosen = backend.select();
        ModelFile.Loaded loaded = load(chosen)) {
      Model m = loaded.model();
      TableReader reader = TableReader.csv();
      if (delimiter != null) {
        reader = reader.delimiter(TableOptions.delimiter(delimiter));
      }
      DataSet data =
          ModelTable.read(loaded, csv, label, reader, allRows, true, spec.commandLine().getErr());
      Evaluation evaluation = m.evaluate(data);
      out.println("Model: " + model);
      out.print(m.summary());
      out.println("Data: " + csv + ", " + data.size() + " rows");
      if (ModelTable.isRegression(m)) {
        out.println(
            "Loss ("
                + m.loss().name().toLowerCase(Locale.ROOT)
                + ") "
                + String.format(Locale.ROOT, "%.4f", evaluation.loss())
                + " on "
                + chosen.name());
        evaluation
            .regression()
            .ifPresent(
                r ->
                    out.println(
                        String.format(
                            Locale.ROOT,
                            "RMSE %.6g, MAE %.6g, R2 %.4f (in the target's units)",
                            r.rmse(),
                            r.mae(),
                            r.r2())));
      } else {
        out.println(
            "Accuracy "
                + Format.percent(evaluation.accuracy())
                + ", loss "
                + String.format(Locale.ROOT, "%.4f", evaluation.loss())
                + " on "
                + chosen.name());
        out.println();
        out.print(evaluation.confusion().orElseThrow().table(classNames(loaded)));
      }
    }
    out.flush();
    return 0;
  }

  /** The model's class names; Fashion-MNIST's (narrowed by --classes) for a file without any. */
  private List<String> classNames(ModelFile.Loaded loaded) {
    int outputs = loaded.model().outputCount();
    if (loaded.classes().size() == outputs) {
      return loaded.classes();
    }
    List<String> names =
        classes == null ? FashionMnist.CLASS_NAMES : classes.names(FashionMnist.CLASS_NAMES);
    return names.size() == outputs ? names : List.of();
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    model.require();
    if (architecture != null) {
      FileOptions.requireFile("--spec", architecture);
    }
    if (csv != null) {
      return evaluateCsv(out);
    }
    FashionMnist data = FashionMnist.load(Optional.ofNullable(dataDir));
    DataSet test = classes == null ? data.test() : classes.apply(data.test());
    try (Backend chosen = backend.select();
        ModelFile.Loaded loaded = load(chosen)) {
      if (classes != null && loaded.model().outputCount() != classes.count()) {
        // Relabelled from 0, the kept classes would be scored as the model's first outputs.
        throw new IllegalArgumentException(
            "--classes "
                + classes
                + " keeps "
                + classes.count()
                + " classes, relabelled 0-"
                + (classes.count() - 1)
                + ", but the model has "
                + loaded.model().outputCount()
                + " outputs; use --classes with a model fine-tuned to those classes");
      }
      ModelFiles.pixelsAlreadyScaled(loaded.model());
      Evaluation evaluation = loaded.model().evaluate(test);
      out.println("Model: " + model);
      out.print(loaded.model().summary());
      out.println("Data: " + data.source() + ", " + test.size() + " test images");
      out.println(
          "Test accuracy "
              + Format.percent(evaluation.accuracy())
              + ", loss "
              + String.format(Locale.ROOT, "%.4f", evaluation.loss())
              + " on "
              + chosen.name());
      if (evaluation.confusion().isPresent()) {
        out.println();
        out.print(evaluation.confusion().get().table(classNames(loaded)));
      }
    }
    out.flush();
    return 0;
  }

  /** The model of --model, with the architecture of --spec where given. */
  private ModelFile.Loaded load(Backend chosen) throws java.io.IOException {
    return architecture == null
        ? ModelFile.load(model.file, chosen)
        : ModelFile.load(model.file, ModelFile.readSpec(architecture), chosen);
  }
}
