package dev.dnn.nn;

import dev.dnn.metrics.ConfusionMatrix;
import java.util.Optional;

/**
 * The result of evaluating a model on a data set.
 *
 * @param loss the mean loss per example (per element for element-wise losses)
 * @param accuracy the fraction of examples whose highest-scoring output is the label; NaN for data
 *     sets without class labels
 * @param examples how many examples were evaluated
 * @param confusion for class labels, the confusion matrix (per-class precision, recall, F1); empty
 *     for float targets
 */
public record Evaluation(
    double loss, double accuracy, int examples, Optional<ConfusionMatrix> confusion) {
  /** An evaluation without a confusion matrix (regression, or when it was not tallied). */
  public Evaluation(double loss, double accuracy, int examples) {
    this(loss, accuracy, examples, Optional.empty());
  }
}
