package dev.dnn.train;

import dev.dnn.backend.Backend;
import dev.dnn.nn.Model;
import dev.dnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener that carries out an {@link EarlyStopping} policy in one run: tracks the best epoch
 * by the watched metric, keeps a copy of its weights, stops the run once the metric has not
 * improved for {@code patience} epochs, and at the end restores the best weights if asked.
 */
final class EarlyStopper implements TrainingListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final EarlyStopping policy;
  private final Map<String, Tensor> best = new LinkedHashMap<>();
  private double bestScore = Double.NEGATIVE_INFINITY;
  private int bestEpoch = -1;
  private int sinceBest;
  private int lastEpoch = -1;
  private int restoredEpoch = -1;

  EarlyStopper(EarlyStopping policy) {
    this.policy = policy;
  }

  @Override
  public void onEpochEnd(TrainingContext context, EpochStats stats) {
    int epoch = stats.epoch();
    lastEpoch = epoch;
    double score = policy.score(stats);
    // A dev loss that overflowed (infinite or NaN) is never an improvement, not even the first:
    // restoring such an epoch would pick weights by a score that says nothing.
    if (Double.isFinite(score) && (bestEpoch < 0 || score > bestScore + policy.minDelta())) {
      bestScore = score;
      bestEpoch = epoch;
      sinceBest = 0;
      if (policy.restoresBestWeights()) {
        snapshot(context.model());
      }
    } else if (++sinceBest >= policy.patience()) {
      if (epoch < context.epochs() - 1) {
        LOG.info(
            "early stopping after epoch {}/{}: {} has not improved for {} epochs; best was"
                + " epoch {}",
            epoch + 1,
            context.epochs(),
            policy.metric().label(),
            sinceBest,
            bestEpoch + 1);
      }
      context.stop();
    }
  }

  @Override
  public void onTrainEnd(TrainingContext context) {
    if (policy.restoresBestWeights() && bestEpoch >= 0 && bestEpoch != lastEpoch) {
      restore(context.model());
      restoredEpoch = bestEpoch;
      LOG.info(
          "restored the weights of epoch {} ({} {})",
          bestEpoch + 1,
          policy.metric().label(),
          policy.metric() == EarlyStopping.Metric.DEV_LOSS
              ? String.format(Locale.ROOT, "%.4f", -bestScore)
              : Trainer.percent(bestScore));
    }
  }

  /** The epoch whose weights the run ended with after a restore, or -1 if none was restored. */
  int restoredEpoch() {
    return restoredEpoch;
  }

  private void snapshot(Model model) {
    Backend backend = model.backend();
    for (Map.Entry<String, Tensor> e : model.namedTensors().entrySet()) {
      Tensor copy = best.computeIfAbsent(e.getKey(), k -> backend.zeros(e.getValue().shape()));
      backend.copy(e.getValue(), copy);
    }
  }

  private void restore(Model model) {
    for (Map.Entry<String, Tensor> e : model.namedTensors().entrySet()) {
      model.backend().copy(best.get(e.getKey()), e.getValue());
    }
  }

  @Override
  public void close() {
    best.values().forEach(Tensor::close);
  }
}
