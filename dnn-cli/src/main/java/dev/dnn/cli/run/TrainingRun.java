package dev.dnn.cli.run;

import dev.dnn.backend.Backend;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Optimizer;
import dev.dnn.train.EarlyStopping;
import dev.dnn.train.EpochStats;
import dev.dnn.train.History;
import dev.dnn.train.Trainer;
import dev.dnn.train.TrainingListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains one configuration on one backend and measures it.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class TrainingRun {
  private TrainingRun() {}

  /**
   * Builds the network of {@code config} on {@code backend}, trains it on {@code data.train()}
   * watching {@code data.dev()}, and evaluates it on all three parts.
   *
   * @param listener progress reporting; may be null
   */
  public static RunResult execute(
      RunConfig config, Backend backend, ExperimentData data, TrainingListener listener) {
    return execute(config, backend, data, listener, null);
  }

  /**
   * As {@link #execute(RunConfig, Backend, ExperimentData, TrainingListener)}, then hands the
   * trained model to {@code trained} (may be null) before it is closed, e.g. to save it.
   */
  public static RunResult execute(
      RunConfig config,
      Backend backend,
      ExperimentData data,
      TrainingListener listener,
      Consumer<Model> trained) {
    return execute(
        config,
        Networks.classifier(config, data.features(), data.classes()),
        Loss.SOFTMAX_CROSS_ENTROPY,
        backend,
        data,
        listener,
        model -> prepare(model, data),
        null,
        trained);
  }

  /** Gives {@code model} the data's preprocessing and class names, so that it takes raw rows. */
  static void prepare(Model model, ExperimentData data) {
    if (data.preprocessing() != null) {
      model.setPreprocessing(data.preprocessing());
    }
    if (!data.classNames().isEmpty()) {
      model.setClassNames(data.classNames());
    }
  }

  /**
   * Trains the architecture {@code spec} (instead of the classifier the configuration describes)
   * under {@code loss}, with the configuration's optimizer, batch size, epochs and seed. For
   * targets other than class labels the accuracies of the result are NaN.
   */
  public static RunResult execute(
      RunConfig config,
      ModelSpec spec,
      Loss loss,
      Backend backend,
      ExperimentData data,
      TrainingListener listener,
      Consumer<Model> trained) {
    return execute(config, spec, loss, backend, data, listener, model -> {}, null, trained);
  }

  /**
   * As {@link #execute(RunConfig, ModelSpec, Loss, Backend, ExperimentData, TrainingListener,
   * Consumer)}, handing the new model to {@code prepare} before training (to give it the
   * preprocessing its raw data needs) and stopping early as {@code earlyStopping} says (may be
   * null).
   */
  public static RunResult execute(
      RunConfig config,
      ModelSpec spec,
      Loss loss,
      Backend backend,
      ExperimentData data,
      TrainingListener listener,
      Consumer<Model> prepare,
      EarlyStopping earlyStopping,
      Consumer<Model> trained) {
    try (Model model = spec.on(backend, config.seed());
        Optimizer optimizer = Networks.optimizer(config.optimizer(), config.learningRate())) {
      prepare.accept(model);
      Trainer.Builder builder =
          Trainer.builder()
              .loss(loss)
              .optimizer(optimizer)
              .batchSize(config.batchSize())
              .epochs(config.epochs())
              .seed(config.seed());
      if (listener != null) {
        builder.listener(listener);
      }
      if (earlyStopping != null) {
        builder.earlyStopping(earlyStopping);
      }
      long start = System.nanoTime();
      History history = builder.build().fit(model, data.train(), data.dev());
      backend.synchronize();
      double wallSeconds = (System.nanoTime() - start) / 1e9;
      List<EpochRecord> epochs = new ArrayList<>();
      double trainingSeconds = 0;
      for (EpochStats stats : history.epochs()) {
        epochs.add(record(stats));
        trainingSeconds += data.train().size() / stats.samplesPerSecond();
      }
      long samples = (long) data.train().size() * history.epochs().size();
      if (trained != null) {
        trained.accept(model);
      }
      return new RunResult(
          config,
          Networks.architecture(spec),
          backend.name(),
          backend.description(),
          data.train().size(),
          epochs,
          model.evaluate(data.train()).accuracy(),
          model.evaluate(data.dev()).accuracy(),
          model.evaluate(data.test()).accuracy(),
          wallSeconds,
          samples / trainingSeconds);
    }
  }

  /** The harness's record of an epoch: numbered from 1, layers ordered from input to output. */
  static EpochRecord record(EpochStats stats) {
    return new EpochRecord(
        stats.epoch() + 1,
        stats.trainLoss(),
        stats.trainAccuracy(),
        stats.devLoss(),
        stats.devAccuracy(),
        stats.seconds(),
        byLayerIndex(stats.gradientNorms()),
        byLayerIndex(stats.weightNorms()),
        stats.gradientHealth().vanishing(),
        stats.gradientHealth().exploding());
  }

  /** Orders {@code layers.<i>} keys by {@code i} (numerically: layers.10 after layers.9). */
  static Map<String, Double> byLayerIndex(Map<String, Double> norms) {
    Map<String, Double> ordered = new LinkedHashMap<>();
    norms.entrySet().stream()
        .sorted(
            Comparator.comparingLong((Map.Entry<String, Double> e) -> layerIndex(e.getKey()))
                .thenComparing(Map.Entry::getKey))
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return ordered;
  }

  private static long layerIndex(String name) {
    String[] parts = name.split("\\.");
    for (String part : parts) {
      if (!part.isEmpty() && part.chars().allMatch(Character::isDigit) && part.length() < 10) {
        return Long.parseLong(part);
      }
    }
    return Long.MAX_VALUE;
  }
}
