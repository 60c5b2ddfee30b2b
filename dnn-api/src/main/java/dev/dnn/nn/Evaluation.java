package dev.dnn.nn;

import dev.dnn.metrics.ConfusionMatrix;
import dev.dnn.metrics.RegressionMetrics;
import java.util.Optional;

/**
 * The result of evaluating a model on a data set. Immutable and safe to share between threads.
 *
 * @param loss the mean loss per example (per element for element-wise losses), as training measures
 *     it (on scaled targets for a model with a target scaling)
 * @param accuracy the fraction of examples whose highest-scoring output is the label; NaN for data
 *     sets without class labels
 * @param examples how many examples were evaluated
 * @param confusion for class labels, the confusion matrix (per-class precision, recall, F1); empty
 *     for float targets
 * @param regression for a model trained with mean squared error, RMSE, MAE and R² in the target's
 *     own units; empty otherwise
 */
public record Evaluation(
    double loss,
    double accuracy,
    int examples,
    Optional<ConfusionMatrix> confusion,
    Optional<RegressionMetrics> regression) {
  /** An evaluation without a confusion matrix or regression metrics. */
  public Evaluation(double loss, double accuracy, int examples) {
    this(loss, accuracy, examples, Optional.empty(), Optional.empty());
  }

  /** An evaluation of class labels with their confusion matrix. */
  public Evaluation(
      double loss, double accuracy, int examples, Optional<ConfusionMatrix> confusion) {
    this(loss, accuracy, examples, confusion, Optional.empty());
  }
}
