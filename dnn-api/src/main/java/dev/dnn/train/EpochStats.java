package dev.dnn.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch of training did.
 *
 * <p>Immutable (the maps are copied) and safe to share between threads.
 *
 * @param epoch the epoch number, from 0
 * @param trainLoss mean training loss over the epoch's batches (with dropout, in training mode)
 * @param trainAccuracy fraction of training examples classified correctly during the epoch; NaN
 *     without class labels
 * @param devLoss loss on the dev set after the epoch (inference mode); NaN without a dev set
 * @param devAccuracy accuracy on the dev set after the epoch; NaN without a dev set or labels
 * @param seconds wall time of the epoch, including the dev evaluation
 * @param samplesPerSecond training examples per second of the training part of the epoch
 * @param learningRate the learning rate used in the epoch
 * @param gradientNorms L2 norm of the gradients of each trainable layer on the epoch's last full
 *     batch (a short final batch would make the figure noisier), before any clipping, by layer name
 *     (the vanishing/exploding gradient picture)
 * @param weightNorms L2 norm of the parameters of each layer at the end of the epoch
 * @param gradientHealth the layers whose gradients vanished or exploded, judged from {@code
 *     gradientNorms} and {@code weightNorms}
 */
public record EpochStats(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double devLoss,
    double devAccuracy,
    double seconds,
    double samplesPerSecond,
    double learningRate,
    Map<String, Double> gradientNorms,
    Map<String, Double> weightNorms,
    GradientHealth gradientHealth) {

  /** Copies the maps, keeping the layers in network order (input first). */
  public EpochStats {
    gradientNorms = Collections.unmodifiableMap(new LinkedHashMap<>(gradientNorms));
    weightNorms = Collections.unmodifiableMap(new LinkedHashMap<>(weightNorms));
    gradientHealth = gradientHealth == null ? GradientHealth.healthy() : gradientHealth;
  }

  /** The statistics of an epoch without a gradient health verdict (no layer flagged). */
  public EpochStats(
      int epoch,
      double trainLoss,
      double trainAccuracy,
      double devLoss,
      double devAccuracy,
      double seconds,
      double samplesPerSecond,
      double learningRate,
      Map<String, Double> gradientNorms,
      Map<String, Double> weightNorms) {
    this(
        epoch,
        trainLoss,
        trainAccuracy,
        devLoss,
        devAccuracy,
        seconds,
        samplesPerSecond,
        learningRate,
        gradientNorms,
        weightNorms,
        GradientHealth.healthy());
  }
}
