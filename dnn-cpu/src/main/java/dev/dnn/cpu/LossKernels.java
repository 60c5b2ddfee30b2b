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
    long work = cols * 20L;
    if (!parallel.splits(rows, work)) {
      // On the caller, without a lambda to allocate: a prediction's last step.
      softmaxRows(logits, cols, out, 0, rows);
      return;
    }
    parallel.forRange(rows, work, (from, to) -> softmaxRows(logits, cols, out, from, to));
  }

  private static void softmaxRows(float[] logits, int cols, float[] out, int from, int to) {
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
   * written. One float exponential per logit ({@link #exponentials}, which {@code
   * VectorLossKernels} computes on vectors with the same bits), the row sums in double.
   */
  final double crossEntropyRows(
      float[] logits, float[] labels, float[] grad, int cols, float invRows, int from, int to) {
    int rows = to - from;
    int n = rows * cols;
    int first = from * cols;
    float[] e = new float[n];
    int[] classes = new int[rows];
    double partial = 0;
    for (int r = 0; r < rows; r++) {
      int i = from + r;
      int base = i * cols;
      classes[r] = classIndex(labels[i], cols, i);
      float max = rowMax(logits, base, cols);
      // Read before the gradient is written, in case grad aliases logits.
      partial += max - logits[base + classes[r]];
      for (int j = 0; j < cols; j++) {
        e[r * cols + j] = logits[base + j] - max;
      }
    }
    exponentials(e);
    for (int r = 0; r < rows; r++) {
      int offset = r * cols;
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += e[offset + j];
      }
      partial += Math.log(sum);
      float scale = (float) (invRows / sum);
      int base = first + offset;
      for (int j = 0; j < cols; j++) {
        grad[base + j] = e[offset + j] * scale;
      }
      int label = classes[r];
      grad[base + label] = (float) ((e[offset + label] / sum - 1.0) * invRows);
    }
    return partial;
  }

  /** {@code e[k] = exp(e[k])} for every k, as {@link ScalarMath#exp}. */
  void exponentials(float[] e) {
    for (int k = 0; k < e.length; k++) {
      e[k] = ScalarMath.exp(e[k]);
    }
  }

  double sigmoidBinaryCrossEntropy(float[] logits, float[] targets, float[] grad) {
    double inv = 1.0 / logits.length;
    return parallel.sum(
        logits.length,
        SUM_CHUNK,
        (from, to) -> binaryCrossEntropyRange(logits, targets, grad, inv, from, to));
  }

  /**
   * Sigmoid + binary cross-entropy over {@code [from, to)}: the summed loss, the gradient written.
   * The terms {@code max(z, 0) - z t + ln(1 + e^-|z|)} in float ({@link #binaryCrossEntropyTerms},
   * which {@code VectorLossKernels} computes on vectors with the same bits), summed in double.
   */
  final double binaryCrossEntropyRange(
      float[] logits, float[] targets, float[] grad, double inv, int from, int to) {
    float[] terms = new float[to - from];
    binaryCrossEntropyTerms(logits, targets, grad, (float) inv, terms, from, from, to);
    return sum(terms);
  }

  /**
   * {@code terms[i - first]} the loss term of element i in {@code [from, to)}, {@code grad[i] =
   * (sigmoid(z) - t) scale}.
   */
  void binaryCrossEntropyTerms(
      float[] logits,
      float[] targets,
      float[] grad,
      float scale,
      float[] terms,
      int first,
      int from,
      int to) {
    for (int i = from; i < to; i++) {
      float z = logits[i];
      float t = targets[i];
      float e = ScalarMath.exp(-ScalarMath.abs(z));
      terms[i - first] = Math.fma(-t, z, Math.max(z, 0f)) + ScalarMath.log1pUnit(e);
      // Read before the gradient is written, in case grad aliases logits. sigmoid(z) = 1 / (1 +
      // e^-|z|) for z at least 0, e^-|z| / (1 + e^-|z|) below: one exponential.
      grad[i] = ((z < 0f ? e : 1f) / (e + 1f) - t) * scale;
    }
  }

  /**
   * The sum in double, over four interleaved partial sums (one chain of dependent additions would
   * bound the loss to one term per addition latency), combined in a fixed order.
   */
  private static double sum(float[] terms) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int end = terms.length & ~3;
    for (int k = 0; k < end; k += 4) {
      s0 += terms[k];
      s1 += terms[k + 1];
      s2 += terms[k + 2];
      s3 += terms[k + 3];
    }
    for (int k = end; k < terms.length; k++) {
      s0 += terms[k];
    }
    return (s0 + s1) + (s2 + s3);
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
