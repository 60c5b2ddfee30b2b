package dev.dnn.cli;

import dev.dnn.cli.run.RunConfig;
import dev.dnn.init.Init;
import dev.dnn.nn.Activation;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that describe one network and its training, shared by train and compare.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each command has its own
 * instance.
 */
public final class NetworkOptions {
  @Mixin LayerOptions layers = new LayerOptions();

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
        layers.hidden,
        layers.activation,
        init != null ? init : Activation.suitedInit(layers.activation),
        optimizer,
        learningRate,
        batchSize,
        epochs,
        dropout,
        seed);
  }
}
