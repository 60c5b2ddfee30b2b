package dev.dnn.cli.report;

import dev.dnn.backend.ActivationKind;
import dev.dnn.cli.run.EpochRecord;
import dev.dnn.cli.run.ExperimentResults;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cli.run.RunResult;
import dev.dnn.init.Init;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tiny made-up experiment with known numbers, for the report tests. */
public final class SyntheticResults {
  private SyntheticResults() {}

  public static final RunConfig TANH =
      new RunConfig(
          "Deep-tanh",
          List.of(16, 16, 16),
          ActivationKind.TANH,
          Init.GLOROT_UNIFORM,
          "sgd",
          0.1,
          512,
          3,
          0,
          1);

  public static final RunConfig RELU =
      new RunConfig(
          "ReLU",
          List.of(16, 16, 16),
          ActivationKind.RELU,
          Init.HE_NORMAL,
          "sgd",
          0.1,
          512,
          3,
          0,
          1);

  /** Both configurations on cpu, and Deep-tanh on cuda too (4 times faster). */
  public static ExperimentResults twoBackends() {
    return new ExperimentResults(
        "Synthetic <experiment>",
        "small",
        "made-up data",
        "test machine",
        List.of(
            run(TANH, "cpu", 0.8750, 0.8125, 0.8000, 20.0, 1e-4),
            run(TANH, "cuda", 0.8750, 0.8125, 0.8000, 5.0, 1e-4),
            run(RELU, "cpu", 0.9375, 0.8500, 0.8400, 16.0, 1e-1)));
  }

  /** One backend only. */
  public static ExperimentResults oneBackend() {
    return new ExperimentResults(
        "Synthetic",
        "small",
        "made-up data",
        "test machine",
        List.of(
            run(TANH, "cpu", 0.8750, 0.8125, 0.8000, 20.0, 1e-4),
            run(RELU, "cpu", 0.9375, 0.8500, 0.8400, 16.0, 1e-1)));
  }

  /**
   * A run whose first layer's gradient norm is {@code firstLayerNorm} and whose last is 1, with the
   * layers between spaced geometrically; losses fall and accuracies rise each epoch.
   */
  public static RunResult run(
      RunConfig config,
      String backend,
      double train,
      double dev,
      double test,
      double seconds,
      double firstLayerNorm) {
    List<EpochRecord> epochs = new ArrayList<>();
    int layers = config.hidden().size() + 1;
    for (int e = 1; e <= config.epochs(); e++) {
      Map<String, Double> gradients = new LinkedHashMap<>();
      Map<String, Double> weights = new LinkedHashMap<>();
      for (int l = 0; l < layers; l++) {
        double fraction = (double) l / (layers - 1);
        gradients.put("layers." + 2 * l, Math.pow(firstLayerNorm, 1 - fraction) / e);
        weights.put("layers." + 2 * l, 10.0 + l);
      }
      epochs.add(
          new EpochRecord(
              e,
              1.0 / e,
              train * e / config.epochs(),
              1.2 / e,
              dev * e / config.epochs(),
              seconds / config.epochs(),
              gradients,
              weights,
              List.of(),
              List.of()));
    }
    return new RunResult(
        config,
        config.architecture(784, 10),
        backend,
        backend + " device",
        8000,
        epochs,
        train,
        dev,
        test,
        seconds,
        8000.0 * config.epochs() / seconds);
  }
}
