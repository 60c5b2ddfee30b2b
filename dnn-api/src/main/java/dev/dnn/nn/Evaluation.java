package dev.dnn.nn;

/**
 * The result of evaluating a model on a data set.
 *
 * @param loss the mean loss per example (per element for element-wise losses)
 * @param accuracy the fraction of examples whose highest-scoring output is the label; NaN for data
 *     sets without class labels
 * @param examples how many examples were evaluated
 */
public record Evaluation(double loss, double accuracy, int examples) {}
