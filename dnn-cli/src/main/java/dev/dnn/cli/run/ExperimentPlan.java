package dev.dnn.cli.run;

import dev.dnn.backend.ActivationKind;
import dev.dnn.init.Init;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The lecture experiment on Fashion-MNIST: five configurations that show what depth, activation,
 * initialization, optimizer and training length do.
 *
 * <ol>
 *   <li><b>MLP</b>: one wide hidden ReLU layer, SGD 0.1, batch 512: the baseline.
 *   <li><b>Deep-tanh</b>: three wide tanh layers, Glorot initialization, SGD 0.1, batch 512: the
 *       gradients of the first layers vanish.
 *   <li><b>ReLU</b>: the same three layers with ReLU and He initialization: they do not.
 *   <li><b>Tuned</b>: 500-250-75-25 ReLU with Adam and dropout, fewer epochs.
 *   <li><b>Overfitted</b>: 500-250-75-25 ReLU with Adam, far more epochs and no regularization:
 *       training accuracy approaches 100% while dev accuracy stalls or falls.
 * </ol>
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class ExperimentPlan {
  /** The hidden widths of the tuned and overfitted networks. */
  public static final List<Integer> FUNNEL = List.of(500, 250, 75, 25);

  private ExperimentPlan() {}

  /** The five configurations at {@code scale}, all seeded with {@code seed}. */
  public static List<RunConfig> configs(Scale scale, long seed) {
    int w = scale.wideWidth();
    List<RunConfig> configs = new ArrayList<>();
    configs.add(
        new RunConfig(
            "MLP",
            List.of(w),
            ActivationKind.RELU,
            Init.HE_NORMAL,
            "sgd",
            0.1,
            512,
            scale.epochs(),
            0,
            seed));
    configs.add(
        new RunConfig(
            "Deep-tanh",
            List.of(w, w, w),
            ActivationKind.TANH,
            Init.GLOROT_UNIFORM,
            "sgd",
            0.1,
            512,
            scale.epochs(),
            0,
            seed));
    configs.add(
        new RunConfig(
            "ReLU",
            List.of(w, w, w),
            ActivationKind.RELU,
            Init.HE_NORMAL,
            "sgd",
            0.1,
            512,
            scale.epochs(),
            0,
            seed));
    configs.add(
        new RunConfig(
            "Tuned",
            FUNNEL,
            ActivationKind.RELU,
            Init.HE_NORMAL,
            "adam",
            0.001,
            128,
            scale.tunedEpochs(),
            0.2,
            seed));
    configs.add(
        new RunConfig(
            "Overfitted",
            FUNNEL,
            ActivationKind.RELU,
            Init.HE_NORMAL,
            "adam",
            0.001,
            128,
            scale.overfitEpochs(),
            0,
            seed));
    return configs;
  }

  /**
   * The configurations whose names are in {@code only} (case-insensitive), in plan order; all of
   * them when {@code only} is empty.
   *
   * @throws IllegalArgumentException naming an unknown configuration
   */
  public static List<RunConfig> select(List<RunConfig> configs, List<String> only) {
    if (only.isEmpty()) {
      return configs;
    }
    List<String> wanted = only.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
    List<String> known = configs.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    for (String name : wanted) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown configuration '"
                + name
                + "'; the experiment has "
                + configs.stream().map(RunConfig::name).collect(Collectors.joining(", ")));
      }
    }
    return configs.stream()
        .filter(c -> wanted.contains(c.name().toLowerCase(Locale.ROOT)))
        .toList();
  }
}
