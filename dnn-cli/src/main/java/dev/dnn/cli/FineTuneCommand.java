package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.cli.report.Format;
import dev.dnn.cli.report.OutputFiles;
import dev.dnn.cli.run.ExperimentData;
import dev.dnn.cli.run.FashionMnistData;
import dev.dnn.data.DataSet;
import dev.dnn.data.FashionMnist;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Dense;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.optim.Adam;
import dev.dnn.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Loads a saved model, freezes its first layers, and trains the rest on Fashion-MNIST (or a range
 * of its classes) with Adam; replaces the output layer when the number of classes changes.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each run has its own
 * instance.
 */
@Command(
    name = "fine-tune",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Load a saved model, freeze its first N top-level layers and train the others with Adam,"
          + " then save it.",
      "With --classes the data is narrowed to those classes (relabelled from 0); when their"
          + " number differs from the model's outputs the last Dense layer is replaced by a new"
          + " one of the right width, otherwise the head is kept.",
      "Layers count as in the model file: a Dense and the activation after it are two layers.",
      "Example: fine-tune --model fashion.safetensors --classes 5-9 --freeze 2 --epochs 3"
          + " --lr 1e-4 --save shoes.safetensors"
    })
public final class FineTuneCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ModelOption model = new ModelOption();

  @Option(
      names = "--save",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the fine-tuned model.")
  Path save;

  @Option(
      names = "--freeze",
      paramLabel = "N",
      description =
          "Top-level layers to freeze, counted from the input (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int freeze;

  @Option(
      names = "--epochs",
      paramLabel = "E",
      description = "Epochs to train (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int epochs;

  @Option(
      names = "--lr",
      paramLabel = "LR",
      description =
          "Adam learning rate, usually below the one of training (default: ${DEFAULT-VALUE}).",
      defaultValue = "1e-4")
  double learningRate;

  @Option(
      names = "--batch",
      paramLabel = "B",
      description = "Mini-batch size (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int batchSize;

  @Option(
      names = "--classes",
      paramLabel = "FIRST-LAST",
      converter = ClassRange.Converter.class,
      description = "Train on these classes only, relabelled from 0 (e.g. 5-9).")
  ClassRange classes;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the split, the shuffles and a new head (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  long seed;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Directory with the Fashion-MNIST IDX files. Default: /usr/share/datasets/fashion-mnist"
              + " when present, else the bundled 10,000 test images split 80/10/10.")
  Path dataDir;

  @Option(names = "--limit", paramLabel = "N", description = "Use at most N training examples.")
  Integer limit;

  @Mixin BackendOption backend = new BackendOption();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    model.require();
    FileOptions.requireWritableFile("--save", save);
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
    }
    ExperimentData data =
        FashionMnistData.load(
            Optional.ofNullable(dataDir), seed, Integer.MAX_VALUE, Integer.MAX_VALUE);
    DataSet train = narrow(data.train());
    if (limit != null && train.size() > limit) {
      train = train.select(java.util.stream.IntStream.range(0, limit).toArray());
    }
    DataSet dev = narrow(data.dev());
    DataSet test = narrow(data.test());
    out.println("Data: " + data.source() + "; fine-tuning on " + train.size() + " examples");
    try (Backend chosen = backend.select();
        ModelFile.Loaded loaded = ModelFile.load(model.file, chosen);
        Model tuned =
            withHead(ModelFiles.pixelsAlreadyScaled(loaded.model()), train.classCount(), out);
        Adam adam = Adam.learningRate(learningRate)) {
      tuned.freeze(freeze);
      if (tuned.trainableParameters().isEmpty()) {
        throw new IllegalArgumentException(
            "--freeze "
                + freeze
                + " leaves no trainable layer in a model of "
                + tuned.layers().size()
                + " layers");
      }
      out.println("Frozen: the first " + freeze + " of " + tuned.layers().size() + " layers");
      out.flush();
      Trainer.builder()
          .loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .optimizer(adam)
          .batchSize(batchSize)
          .epochs(epochs)
          .seed(seed)
          .build()
          .fit(tuned, train, dev);
      out.println(
          "Accuracy: dev "
              + Format.percent(tuned.evaluate(dev).accuracy())
              + ", test "
              + Format.percent(tuned.evaluate(test).accuracy()));
      tuned.unfreeze();
      OutputFiles.createParent(save);
      List<String> names = loaded.classes().isEmpty() ? FashionMnist.CLASS_NAMES : loaded.classes();
      ModelFile.saveWith(
          tuned,
          loaded.description().withClasses(classes == null ? names : classes.names(names)),
          save);
      out.println("Saved the model to " + save);
    }
    out.flush();
    return 0;
  }

  private DataSet narrow(DataSet data) {
    return classes == null ? data : classes.apply(data);
  }

  /**
   * A copy of {@code model} whose last layer produces {@code classes} outputs: the same weights
   * when it already does, else a fresh last Dense layer (initialized from the seed).
   */
  private Model withHead(Model model, int classes, PrintWriter out) {
    List<LayerSpec> layers = model.spec().layers();
    int last = layers.size() - 1;
    if (model.outputCount() == classes) {
      out.println("Head: kept (" + classes + " outputs)");
      return model.replaceHead(layers.size(), seed);
    }
    if (!(layers.get(last) instanceof Dense head)) {
      throw new IllegalArgumentException(
          "the model has "
              + model.outputCount()
              + " outputs and the data "
              + classes
              + " classes, but its last layer is "
              + layers.get(last)
              + ", not a Dense layer that could be replaced");
    }
    if (freeze > last) {
      throw new IllegalArgumentException(
          "--freeze "
              + freeze
              + " would freeze the new head (the model has "
              + (last + 1)
              + " layers)");
    }
    out.println(
        "Head: replaced, "
            + head.inputs()
            + " -> "
            + model.outputCount()
            + " became "
            + head.inputs()
            + " -> "
            + classes);
    return model.replaceHead(last, seed, Dense.of(head.inputs(), classes));
  }
}
