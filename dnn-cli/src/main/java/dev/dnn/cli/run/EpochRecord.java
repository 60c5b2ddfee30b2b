package dev.dnn.cli.run;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one epoch of training measured.
 *
 * <p>Immutable (the maps and lists are copied) and safe to share between threads.
 *
 * @param epoch the epoch number, from 1
 * @param trainLoss the mean training loss over the epoch's steps
 * @param trainAccuracy the training accuracy over the epoch's steps, in [0, 1]
 * @param devLoss the mean loss on the development set after the epoch
 * @param devAccuracy the accuracy on the development set after the epoch, in [0, 1]
 * @param seconds the wall time of the epoch
 * @param gradientNorms the L2 norm of each weight matrix's gradient (by layer name), averaged over
 *     the epoch's steps where the trainer measures it that way; ordered from input to output
 * @param weightNorms the L2 norm of each weight matrix after the epoch, same order
 * @param vanishingLayers the layers whose gradients the trainer flagged as vanishing in this epoch
 *     ({@link dev.dnn.train.GradientHealth}), input to output
 * @param explodingLayers the layers it flagged as exploding, input to output
 */
public record EpochRecord(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double devLoss,
    double devAccuracy,
    double seconds,
    Map<String, Double> gradientNorms,
    Map<String, Double> weightNorms,
    List<String> vanishingLayers,
    List<String> explodingLayers) {

  /** Keeps the maps' order (input to output) in an unmodifiable copy; copies the lists. */
  public EpochRecord {
    vanishingLayers = List.copyOf(Objects.requireNonNull(vanishingLayers, "vanishingLayers"));
    explodingLayers = List.copyOf(Objects.requireNonNull(explodingLayers, "explodingLayers"));
    gradientNorms =
        Collections2.orderedCopy(Objects.requireNonNull(gradientNorms, "gradientNorms"));
    weightNorms = Collections2.orderedCopy(Objects.requireNonNull(weightNorms, "weightNorms"));
  }
}
