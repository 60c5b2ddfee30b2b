package dev.dnn.spark;

import java.io.Serializable;

/**
 * What one worker (or a subtree of workers) brings back from a round: sums weighted by training
 * rows (gradients, or parameters and optimizer state, and batch-norm statistics), the rows, the
 * loss sum, the correct predictions and the most local steps any worker ran. Mutable, confined to
 * one aggregation.
 */
final class Contribution implements Serializable {
  private static final long serialVersionUID = 1L;

  long rows;
  double loss;
  double correct;
  int steps;
  double[][] sums;

  /** Adds {@code other} into this one, element by element in a fixed order. */
  Contribution add(Contribution other) {
    rows += other.rows;
    loss += other.loss;
    correct += other.correct;
    steps = Math.max(steps, other.steps);
    if (other.sums != null) {
      if (sums == null) {
        sums = new double[other.sums.length][];
        for (int i = 0; i < sums.length; i++) {
          sums[i] = other.sums[i].clone();
        }
      } else {
        for (int i = 0; i < sums.length; i++) {
          double[] a = sums[i];
          double[] b = other.sums[i];
          for (int j = 0; j < a.length; j++) {
            a[j] += b[j];
          }
        }
      }
    }
    return this;
  }
}
