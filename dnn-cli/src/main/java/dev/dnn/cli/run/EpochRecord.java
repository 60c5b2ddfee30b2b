package dev.dnn.cli.run;

import java.util.Map;
import java.util.Objects;

/**
 * What one epoch of training measured.
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
 */
public record EpochRecord(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double devLoss,
    double devAccuracy,
    double seconds,
    Map<String, Double> gradientNorms,
    Map<String, Double> weightNorms) {

  /** Keeps the maps' order (input to output) in an unmodifiable copy. */
  public EpochRecord {
    gradientNorms =
        Collections2.orderedCopy(Objects.requireNonNull(gradientNorms, "gradientNorms"));
    weightNorms = Collections2.orderedCopy(Objects.requireNonNull(weightNorms, "weightNorms"));
  }
}
