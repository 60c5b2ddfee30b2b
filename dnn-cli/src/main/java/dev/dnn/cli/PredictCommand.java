package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.cli.report.OutputFiles;
import dev.dnn.data.DataSet;
import dev.dnn.data.TableReader;
import dev.dnn.io.ModelFile;
import dev.dnn.nn.Model;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Loads a saved model and writes the predicted class of every input example, one per line.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each run has its own
 * instance.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Load a saved model and write the predicted class of every example in --input, one label"
          + " per line.",
      "Input: an IDX image file (e.g. t10k-images-idx3-ubyte[.gz]; pixels are scaled to [0, 1] as"
          + " in training) or a .csv file of feature values, one example per line, with an"
          + " optional header line.",
      "Example: predict --model fashion.safetensors --input t10k-images-idx3-ubyte.gz"
          + " --output labels.txt"
    })
public final class PredictCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ModelOption model = new ModelOption();

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "IDX images or a CSV file of features.")
  Path input;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Where to write the labels (default: standard output).")
  Path output;

  @Mixin BackendOption backend = new BackendOption();

  @Option(
      names = "--label",
      paramLabel = "COLUMN",
      description =
          "The --input CSV has a label column (by header name or 0-based index), as train --csv"
              + " reads it: it is left out of the features.")
  String label;

  @Option(
      names = "--names",
      description =
          "Write class names (as the model file records them, such as Fashion-MNIST's) instead"
              + " of class numbers.")
  boolean names;

  @Option(
      names = "--probabilities",
      description =
          "Write each row's class probabilities (comma separated, in class order; a first line"
              + " names the classes) instead of the predicted class.")
  boolean probabilities;

  @Option(
      names = "--all-rows",
      description =
          "On the file the model was trained on, predict every row (default: only the held-out"
              + " test rows of its recorded split).")
  boolean allRows;

  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description = "The CSV's field separator (default: detected from the header line).")
  String delimiter;

  @Override
  public Integer call() throws Exception {
    model.require();
    FileOptions.requireFile("--input", input);
    if (output != null) {
      FileOptions.requireWritableFile("--output", output);
    }
    List<String> lines;
    try (Backend chosen = backend.select();
        ModelFile.Loaded loaded = ModelFile.load(model.file, chosen)) {
      Model m = loaded.model();
      DataSet examples;
      if (InputFiles.isCsv(input)) {
        TableReader reader = TableReader.csv();
        if (delimiter != null) {
          reader = reader.delimiter(TableOptions.delimiter(delimiter));
        }
        examples =
            ModelTable.read(
                loaded, input, label, reader, allRows, false, spec.commandLine().getErr());
        if (examples.hasTargets()) {
          examples = DataSet.unlabeled(examples.featuresView(), examples.featureCount());
        }
      } else {
        examples = InputFiles.read(input, m.inputCount());
        ModelFiles.pixelsAlreadyScaled(m);
      }
      if (ModelTable.isRegression(m)) {
        lines = values(m.predict(examples));
      } else if (probabilities) {
        lines = new ArrayList<>();
        lines.add(String.join(",", ModelTable.classNames(m)));
        lines.addAll(values(m.predict(examples)));
      } else {
        lines = classes(m.predictClasses(examples), loaded);
      }
    }
    if (output == null) {
      PrintWriter out = spec.commandLine().getOut();
      write(lines, out);
      out.flush();
    } else {
      StringWriter text = new StringWriter();
      write(lines, text);
      OutputFiles.writeString(output, text.toString());
      spec.commandLine().getErr().println("Wrote " + lines.size() + " predictions to " + output);
    }
    return 0;
  }

  /** Class numbers, or with --names the names the model file records. */
  private List<String> classes(int[] predicted, ModelFile.Loaded loaded) {
    List<String> classNames = loaded.classes();
    if (names && classNames.size() != loaded.model().outputCount()) {
      throw new IllegalArgumentException(
          "--names: " + model + " records no class names; its predictions are class numbers");
    }
    List<String> lines = new ArrayList<>(predicted.length);
    for (int c : predicted) {
      lines.add(names ? classNames.get(c) : Integer.toString(c));
    }
    return lines;
  }

  /** The model's answers (values or probabilities), one example per line, comma-separated. */
  private static List<String> values(float[][] answers) {
    List<String> lines = new ArrayList<>(answers.length);
    StringBuilder line = new StringBuilder();
    for (float[] row : answers) {
      line.setLength(0);
      for (int i = 0; i < row.length; i++) {
        line.append(i == 0 ? "" : ",").append(row[i]);
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static void write(List<String> lines, Writer writer) throws IOException {
    for (String line : lines) {
      writer.write(line);
      writer.write('\n');
    }
  }
}
