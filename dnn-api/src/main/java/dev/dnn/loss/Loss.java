package dev.dnn.loss;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;

/**
 * Training objectives, each computed by one fused backend kernel that produces the loss and its
 * gradient with respect to the network's output in the same pass.
 */
public enum Loss {
  /**
   * Softmax over the outputs and cross-entropy against one class label per example; mean over the
   * examples. The network's last layer produces logits.
   */
  SOFTMAX_CROSS_ENTROPY,
  /**
   * Sigmoid of each output and binary cross-entropy against a target in [0, 1]; mean over all
   * elements. The network's last layer produces logits.
   */
  SIGMOID_BINARY_CROSS_ENTROPY,
  /** Mean squared error against float targets; mean over all elements. */
  MEAN_SQUARED_ERROR;

  /** Whether targets are class labels (one per example) rather than rows of floats. */
  public boolean usesClassLabels() {
    return this == SOFTMAX_CROSS_ENTROPY;
  }

  /**
   * Adds the <em>sum</em> of the loss over the batch to {@code lossSum[0]} and writes the gradient
   * of the <em>mean</em> loss into {@code gradOutput}.
   *
   * @param output the network's output {@code [rows, cols]}
   * @param targets class labels {@code [rows]} as floats, or targets {@code [rows, cols]}
   */
  public void apply(
      Backend backend, Tensor output, Tensor targets, Tensor gradOutput, Tensor lossSum) {
    switch (this) {
      case SOFTMAX_CROSS_ENTROPY:
        backend.softmaxCrossEntropy(output, targets, gradOutput, lossSum);
        break;
      case SIGMOID_BINARY_CROSS_ENTROPY:
        backend.sigmoidBinaryCrossEntropy(output, targets, gradOutput, lossSum);
        break;
      default:
        backend.meanSquaredError(output, targets, gradOutput, lossSum);
        break;
    }
  }

  /** What the kernel's loss sum is divided by to get the mean: examples, or all elements. */
  public double normalizer(int rows, int cols) {
    return usesClassLabels() ? rows : (double) rows * cols;
  }
}
