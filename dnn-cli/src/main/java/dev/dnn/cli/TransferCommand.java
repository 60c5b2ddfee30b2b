package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.cli.report.Format;
import dev.dnn.cli.report.OutputFiles;
import dev.dnn.cli.report.TransferTable;
import dev.dnn.cli.run.TransferStudy;
import dev.dnn.data.FashionMnist;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures whether a network pretrained on some classes learns other classes better.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each run has its own
 * instance.
 */
@Command(
    name = "transfer",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    defaultValueProvider = TransferCommand.Defaults.class,
    description = {
      "Pretrain on the source classes, transfer the first hidden layers to the target classes"
          + " (head on frozen layers, then fine-tuning) and compare with the same network trained"
          + " from scratch on the same examples and steps, over several seeds and budgets.",
      "Example: transfer --source 0-4 --target 5-9 --per-class 5,20,100 --seeds 8"
    })
public final class TransferCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--source",
      paramLabel = "CLASSES",
      description =
          "Classes to pretrain on: a list and/or ranges such as 0-4 or 0,2,4 (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "0-4")
  String source;

  @Option(
      names = "--target",
      paramLabel = "CLASSES",
      description = "Classes to transfer to, disjoint from the source (default: ${DEFAULT-VALUE}).",
      defaultValue = "5-9")
  String target;

  @Mixin LayerOptions layers = new LayerOptions();

  @Option(
      names = "--keep",
      paramLabel = "N",
      description =
          "Pretrained hidden layers the transferred network keeps (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int keep;

  @Option(
      names = "--pretrain-epochs",
      paramLabel = "N",
      description = "Epochs of pretraining on every source example (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int pretrainEpochs;

  @Option(
      names = "--per-class",
      split = ",",
      paramLabel = "N",
      description = "Budgets: target training examples per class (default: ${DEFAULT-VALUE}).",
      defaultValue = "5,20,100")
  List<Integer> perClass = new ArrayList<>();

  @Option(
      names = "--seeds",
      paramLabel = "N",
      description = "Seeds to repeat everything over (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int seeds;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "The first seed (default: ${DEFAULT-VALUE}).",
      defaultValue = "100")
  long firstSeed;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Epochs of each target phase (default: ${DEFAULT-VALUE}).",
      defaultValue = "30")
  int epochs;

  @Option(
      names = "--lr",
      paramLabel = "RATE",
      description = "Adam's rate in phase 1 (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.001")
  double headLearningRate;

  @Option(
      names = "--fine-lr",
      paramLabel = "RATE",
      description = "Adam's rate in phase 2, fine-tuning (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.0003")
  double fineLearningRate;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Target examples per step (default: ${DEFAULT-VALUE}).",
      defaultValue = "32")
  int batchSize;

  @Option(
      names = "--held-out",
      paramLabel = "N",
      description = "Held-out target examples to score on (default: ${DEFAULT-VALUE}).",
      defaultValue = "2000")
  int heldOut;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Directory with the Fashion-MNIST IDX files. Default: /usr/share/datasets/fashion-mnist"
              + " when present (pretraining and budgets from the training images, scores on the"
              + " test images), else the bundled 10,000 test images.")
  Path dataDir;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the report as Markdown.")
  Path out;

  @Mixin BackendOption backend = new BackendOption();

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    if (out != null) {
      FileOptions.requireWritableFile("--out", out);
    }
    TransferStudy.Config config =
        new TransferStudy.Config(
            classes("--source", source),
            classes("--target", target),
            layers.widths(),
            layers.activation,
            keep,
            pretrainEpochs,
            perClass.stream().mapToInt(Integer::intValue).toArray(),
            seeds,
            firstSeed,
            epochs,
            headLearningRate,
            fineLearningRate,
            batchSize,
            heldOut);
    FashionMnist fashion = FashionMnist.load(Optional.ofNullable(dataDir));
    TransferStudy.Data data =
        fashion.train().isPresent()
            ? new TransferStudy.Data(fashion.train().get(), fashion.test(), fashion.source())
            : new TransferStudy.Data(fashion.test(), null, fashion.source());
    List<String> report = new ArrayList<>();
    try (Backend chosen = backend.select()) {
      report.add("Backend: " + chosen.name() + " (" + chosen.description() + ")");
      report.add("Data: " + data.description());
      report.add(describe(config));
      report.forEach(stdout::println);
      stdout.flush();
      List<TransferStudy.Outcome> outcomes =
          TransferStudy.run(
              config,
              chosen,
              data,
              o -> {
                stdout.printf(
                    Locale.ROOT,
                    "  seed %d, %d per class: scratch %s, head %s, transferred %s%n",
                    o.seed(),
                    o.perClass(),
                    Format.percent(o.scratch()),
                    Format.percent(o.headOnly()),
                    Format.percent(o.transferred()));
                stdout.flush();
              });
      String table = TransferTable.of(outcomes).render();
      stdout.println();
      stdout.print(table);
      stdout.flush();
      report.add("");
      report.add(table);
    }
    if (out != null) {
      OutputFiles.writeString(out, String.join("\n", report));
      stdout.println("Wrote " + out);
    }
    return 0;
  }

  private static String describe(TransferStudy.Config c) {
    return String.format(
        Locale.ROOT,
        "Source classes %s, target classes %s; network %s %s, keeps %d pretrained hidden"
            + " layer(s); pretraining %d epochs; each target phase %d epochs, batch %d, Adam %s"
            + " then %s; %d seeds from %d",
        Arrays.toString(c.sourceClasses()),
        Arrays.toString(c.targetClasses()),
        Arrays.stream(c.hidden()).mapToObj(Integer::toString).collect(Collectors.joining("-")),
        c.activation().name().toLowerCase(Locale.ROOT),
        c.keptLayers(),
        c.pretrainEpochs(),
        c.epochs(),
        c.batchSize(),
        plain(c.headLearningRate()),
        plain(c.fineLearningRate()),
        c.seeds(),
        c.firstSeed());
  }

  /** Transfer's own default of the shared {@code --hidden}: a smaller network than train's. */
  static final class Defaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      boolean hidden = arg instanceof OptionSpec o && o.longestName().equals("--hidden");
      return hidden ? "256,128" : null;
    }
  }

  /** A rate as typed: {@code 0.0003}, not {@code 3.000e-04}. */
  private static String plain(double rate) {
    return BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
  }

  /** Parses {@code 0-4}, {@code 0,2,4} or a mix such as {@code 0,3-5}. */
  static int[] classes(String option, String value) {
    List<Integer> classes = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String[] bounds = part.trim().split("-", -1);
      try {
        if (bounds.length == 1) {
          classes.add(Integer.parseInt(bounds[0].trim()));
          continue;
        }
        if (bounds.length == 2) {
          int first = Integer.parseInt(bounds[0].trim());
          int last = Integer.parseInt(bounds[1].trim());
          if (first <= last) {
            IntStream.rangeClosed(first, last).forEach(classes::add);
            continue;
          }
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
      throw new IllegalArgumentException(
          option + ": expected classes such as 0-4 or 0,2,4, got '" + value + "'");
    }
    return classes.stream().mapToInt(Integer::intValue).toArray();
  }
}
