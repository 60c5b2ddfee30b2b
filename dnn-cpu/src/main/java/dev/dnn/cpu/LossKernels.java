package dev.dnn.cpu;

/**
 * Softmax, and the fused losses with their gradients: softmax + cross-entropy (log-sum-exp stable),
 * sigmoid + binary cross-entropy, mean squared error (the family of {@code native/src/losses.cu}).
 * Each returns the summed loss, added in a fixed chunk order.
 */
class LossKernels {
  static final int SUM_CHUNK = ReductionKernels.SUM_CHUNK;

  private final Parallel parallel;

  LossKernels(Parallel parallel) {
    this.parallel = parallel;
  }

  void softmax(float[] logits, int rows, int cols, float[] out) {
    parallel.forRange(
        rows,
        cols * 20L,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            int base = i * cols;
            float max = rowMax(logits, base, cols);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
              double e = Math.exp(logits[base + j] - max);
              out[base + j] = (float) e;
              sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
              out[base + j] *= inv;
            }
          }
        });
  }

  /** Writes the mean-reduced gradient into {@code grad} and returns the summed loss. */
  double softmaxCrossEntropy(float[] logits, float[] labels, float[] grad, int rows, int cols) {
    float invRows = 1f / rows;
    return parallel.sum(
        rows,
        Math.max(1, SUM_CHUNK / Math.max(1, cols)),
        (from, to) -> crossEntropyRows(logits, labels, grad, cols, invRows, from, to));
  }

  /**
   * Softmax + cross-entropy over rows {@code [from, to)}: their summed loss, their gradient rows
   * written; {@code VectorLossKernels} overrides it.
   */
  double crossEntropyRows(
      float[] logits, float[] labels, float[] grad, int cols, float invRows, int from, int to) {
    double partial = 0;
    for (int i = from; i < to; i++) {
      int label = classIndex(labels[i], cols, i);
      int base = i * cols;
      float max = rowMax(logits, base, cols);
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += Math.exp(logits[base + j] - max);
      }
      double logSum = Math.log(sum);
      // Read before the gradient is written, in case grad aliases logits.
      partial += max + logSum - logits[base + label];
      for (int j = 0; j < cols; j++) {
        double p = Math.exp(logits[base + j] - max - logSum);
        grad[base + j] = (float) ((j == label ? p - 1.0 : p) * invRows);
      }
    }
    return partial;
  }

  double sigmoidBinaryCrossEntropy(float[] logits, float[] targets, float[] grad) {
    double inv = 1.0 / logits.length;
    return parallel.sum(
        logits.length,
        SUM_CHUNK,
        (from, to) -> binaryCrossEntropyRange(logits, targets, grad, inv, from, to));
  }

  /**
   * Sigmoid + binary cross-entropy over {@code [from, to)}: the summed loss, the gradient written;
   * {@code VectorLossKernels} overrides it.
   */
  double binaryCrossEntropyRange(
      float[] logits, float[] targets, float[] grad, double inv, int from, int to) {
    double partial = 0;
    for (int i = from; i < to; i++) {
      double z = logits[i];
      double t = targets[i];
      // max(z, 0) - z t + ln(1 + e^-|z|): no overflow for any z.
      partial += Math.max(z, 0.0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
      grad[i] = (float) ((Activations.sigmoid(z) - t) * inv);
    }
    return partial;
  }

  double meanSquaredError(float[] predictions, float[] targets, float[] grad) {
    float scale = 2f / predictions.length;
    return parallel.sum(
        predictions.length,
        SUM_CHUNK,
        (from, to) -> {
          double partial = 0;
          for (int i = from; i < to; i++) {
            float diff = predictions[i] - targets[i];
            partial += (double) diff * diff;
            grad[i] = scale * diff;
          }
          return partial;
        });
  }

  static int classIndex(float label, int classes, int row) {
    int index = (int) label;
    if (index != label || index < 0 || index >= classes) {
      throw new IllegalArgumentException(
          "softmaxCrossEntropy: label "
              + label
              + " of row "
              + row
              + " is not a class in [0, "
              + classes
              + ")");
    }
    return index;
  }

  static float rowMax(float[] x, int base, int cols) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < cols; j++) {
      max = Math.max(max, x[base + j]);
    }
    return max;
  }
}
