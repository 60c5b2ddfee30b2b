package dev.dnn.cpu;

/**
 * Column sums, sums, squared norms, argmax and correct counts (the family of {@code
 * native/src/reductions.cu}). Partial sums are in double over fixed chunks added in order, so
 * results do not depend on the thread count.
 */
final class ReductionKernels {
  /** Elements per partial sum; fixed so results do not depend on thread count. */
  static final int SUM_CHUNK = 4096;

  private final Parallel parallel;

  ReductionKernels(Parallel parallel) {
    this.parallel = parallel;
  }

  /** {@code out[j] = sum_i x[i][j] + beta out[j]} over a {@code rows x cols} matrix. */
  void columnSums(float[] x, int rows, int cols, float beta, float[] out) {
    // Each share owns a range of columns and walks all rows, so no partial sums need merging.
    parallel.forRange(
        cols,
        rows,
        (from, to) -> {
          int width = to - from;
          double[] acc = new double[width];
          for (int i = 0; i < rows; i++) {
            int base = i * cols + from;
            for (int j = 0; j < width; j++) {
              acc[j] += x[base + j];
            }
          }
          for (int j = 0; j < width; j++) {
            double previous = beta == 0f ? 0.0 : beta * (double) out[from + j];
            out[from + j] = (float) (acc[j] + previous);
          }
        });
  }

  float sum(float[] d) {
    return (float)
        parallel.sum(
            d.length,
            SUM_CHUNK,
            (from, to) -> {
              double s = 0;
              for (int i = from; i < to; i++) {
                s += d[i];
              }
              return s;
            });
  }

  float squaredNorm(float[] d) {
    return (float)
        parallel.sum(
            d.length,
            SUM_CHUNK,
            (from, to) -> {
              double s = 0;
              for (int i = from; i < to; i++) {
                s += (double) d[i] * d[i];
              }
              return s;
            });
  }

  void argmaxRows(float[] x, int rows, int cols, float[] out) {
    parallel.forRange(
        rows,
        cols,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            out[i] = argmax(x, i * cols, cols);
          }
        });
  }

  /** How many rows of {@code scores} have their largest value at the column {@code labels} name. */
  double countCorrect(float[] scores, float[] labels, int rows, int cols) {
    return parallel.sum(
        rows,
        Math.max(1, SUM_CHUNK / Math.max(1, cols)),
        (from, to) -> {
          int n = 0;
          for (int i = from; i < to; i++) {
            if (argmax(scores, i * cols, cols) == labels[i]) {
              n++;
            }
          }
          return n;
        });
  }

  private static int argmax(float[] x, int base, int cols) {
    int best = 0;
    for (int j = 1; j < cols; j++) {
      if (x[base + j] > x[base + best]) {
        best = j;
      }
    }
    return best;
  }
}
