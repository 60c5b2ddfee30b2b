package dev.dnn.loss;

import dev.dnn.backend.Backend;
import dev.dnn.names.NameRegistry;
import dev.dnn.tensor.Tensor;
import java.util.List;

/**
 * Training objectives, each computed by one fused backend kernel that produces the loss and its
 * gradient with respect to the network's output in the same pass.
 *
 * <p>Names ({@link #named}): {@code softmax-ce}, {@code sigmoid-bce} and {@code mse}; the
 * constants' own names ({@code SOFTMAX_CROSS_ENTROPY}, as model files store them, or {@code
 * softmax-cross-entropy}) and {@code cross-entropy}, {@code ce} and {@code bce} are accepted too.
 *
 * <p>Immutable and safe to share between threads.
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

  private static final NameRegistry<Loss> NAMES =
      NameRegistry.<Loss>of("loss")
          .add("softmax-ce", SOFTMAX_CROSS_ENTROPY, "softmax-cross-entropy", "cross-entropy", "ce")
          .add("mse", MEAN_SQUARED_ERROR, "mean-squared-error")
          .add("sigmoid-bce", SIGMOID_BINARY_CROSS_ENTROPY, "sigmoid-binary-cross-entropy", "bce")
          .build();

  /** The fused kernel of a loss: one {@link Backend} method. */
  @FunctionalInterface
  private interface Kernel {
    void apply(Backend backend, Tensor output, Tensor targets, Tensor gradOutput, Tensor lossSum);
  }

  /**
   * The loss of a name such as {@code mse}, {@code softmax-ce} or {@code SOFTMAX_CROSS_ENTROPY}.
   *
   * @throws IllegalArgumentException naming the unknown name and listing the valid ones
   */
  public static Loss named(String name) {
    return NAMES.named(name);
  }

  /** The canonical names of every loss: {@code softmax-ce, mse, sigmoid-bce}. */
  public static List<String> names() {
    return NAMES.names();
  }

  /** The canonical name of this loss, such as {@code softmax-ce}. */
  public String registeredName() {
    return NAMES.nameOf(this);
  }

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
    // A switch expression, so that a loss without a kernel does not compile.
    Kernel kernel =
        switch (this) {
          case SOFTMAX_CROSS_ENTROPY -> Backend::softmaxCrossEntropy;
          case SIGMOID_BINARY_CROSS_ENTROPY -> Backend::sigmoidBinaryCrossEntropy;
          case MEAN_SQUARED_ERROR -> Backend::meanSquaredError;
        };
    kernel.apply(backend, output, targets, gradOutput, lossSum);
  }

  /** What the kernel's loss sum is divided by to get the mean: examples, or all elements. */
  public double normalizer(int rows, int cols) {
    return usesClassLabels() ? rows : (double) rows * cols;
  }
}
