package dev.dnn.spark;

import java.io.Serializable;

/**
 * What a fit recorded per epoch: the mean training loss, and the mean validation loss and accuracy
 * (NaN without validation rows, and accuracy NaN for a regressor). Immutable (the accessors return
 * copies) and safe to share between threads.
 */
public final class TrainingHistory implements Serializable {
  private static final long serialVersionUID = 1L;

  static final TrainingHistory NONE =
      new TrainingHistory(new double[0], new double[0], new double[0]);

  private final double[] trainingLoss;
  private final double[] validationLoss;
  private final double[] validationAccuracy;

  private TrainingHistory(double[] trainingLoss, double[] validationLoss, double[] accuracy) {
    this.trainingLoss = trainingLoss;
    this.validationLoss = validationLoss;
    this.validationAccuracy = accuracy;
  }

  static TrainingHistory of(DistributedTrainer.Result result) {
    return new TrainingHistory(
        result.trainingLoss(), result.validationLoss(), result.validationAccuracy());
  }

  /** Epochs run in this fit (fewer than asked after early stopping or a resumed checkpoint). */
  public int epochs() {
    return trainingLoss.length;
  }

  /** The mean training loss of every epoch run. */
  public double[] trainingLoss() {
    return trainingLoss.clone();
  }

  /** The mean validation loss after every epoch run. */
  public double[] validationLoss() {
    return validationLoss.clone();
  }

  /** The validation accuracy after every epoch run. */
  public double[] validationAccuracy() {
    return validationAccuracy.clone();
  }
}
