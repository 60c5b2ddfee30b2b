package dev.dnn.cli;

import dev.dnn.backend.ActivationKind;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.init.Init;
import dev.dnn.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options that describe one network and its training, shared by train and compare. */
public final class NetworkOptions {
  @Option(
      names = "--hidden",
      split = ",",
      paramLabel = "WIDTHS",
      converter = PositiveWidth.class,
      description = "Hidden layer widths, comma separated (default: ${DEFAULT-VALUE}).",
      defaultValue = "500,250,75,25")
  List<Integer> hidden = new ArrayList<>();

  @Option(
      names = "--activation",
      paramLabel = "FN",
      converter = LibraryNames.ActivationName.class,
      completionCandidates = LibraryNames.ActivationNames.class,
      description = "Hidden activation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "relu")
  ActivationKind activation;

  @Option(
      names = "--init",
      paramLabel = "INIT",
      converter = LibraryNames.InitName.class,
      completionCandidates = LibraryNames.InitNames.class,
      description =
          "Weight initialization: ${COMPLETION-CANDIDATES} (default: the one that suits the"
              + " activation: he for the ReLU family, glorot for tanh, sigmoid and linear, lecun"
              + " for selu).")
  Init init;

  @Option(
      names = "--optimizer",
      paramLabel = "OPT",
      converter = LibraryNames.OptimizerName.class,
      completionCandidates = LibraryNames.OptimizerNames.class,
      description = "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "adam")
  String optimizer;

  @Option(
      names = "--lr",
      paramLabel = "RATE",
      description = "Learning rate (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.001")
  double learningRate;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Examples per step (default: ${DEFAULT-VALUE}).",
      defaultValue = "512")
  int batchSize;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Passes over the training set (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int epochs;

  @Option(
      names = "--dropout",
      paramLabel = "P",
      description =
          "Probability of dropping a hidden unit while training (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double dropout;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Seed of the data split, weights, shuffles and dropout (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  long seed;

  /**
   * The configuration these options describe.
   *
   * @throws IllegalArgumentException naming the option whose value is out of range
   */
  public RunConfig toConfig(String name) {
    return new RunConfig(
        name,
        hidden,
        activation,
        init != null ? init : Activation.suitedInit(activation),
        optimizer,
        learningRate,
        batchSize,
        epochs,
        dropout,
        seed);
  }

  /** Parses one hidden width: a positive integer. */
  static final class PositiveWidth implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int width;
      try {
        width = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a layer width; expected positive integers such as 500,250,75,25");
      }
      if (width < 1) {
        throw new TypeConversionException("layer width " + width + " must be at least 1");
      }
      return width;
    }
  }
}
