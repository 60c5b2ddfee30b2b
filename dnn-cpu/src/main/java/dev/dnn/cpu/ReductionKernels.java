package dev.dnn.cpu;

/**
 * Column sums, sums, squared norms, argmax and correct counts (the family of {@code
 * native/src/reductions.cu}). Partial sums are in double over fixed chunks added in order, so
 * results do not depend on the thread count. The Vector API form ({@code VectorReductionKernels})
 * overrides the range methods.
 */
class ReductionKernels {
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
        cols, rows, (from, to) -> columnSumsRange(x, rows, cols, beta, out, from, to));
  }

  /**
   * Column sums of the columns {@code [from, to)}: each column's rows added in order in double, so
   * a column's result does not depend on which share ran it.
   */
  void columnSumsRange(float[] x, int rows, int cols, float beta, float[] out, int from, int to) {
    int width = to - from;
    double[] acc = new double[width];
    for (int i = 0; i < rows; i++) {
      int base = i * cols + from;
      for (int j = 0; j < width; j++) {
        acc[j] += x[base + j];
      }
    }
    for (int j = 0; j < width; j++) {
      out[from + j] = columnResult(acc[j], beta, out[from + j]);
    }
  }

  /** A column's sum plus {@code beta} times its old value, rounded once to float. */
  static float columnResult(double sum, float beta, float old) {
    double previous = beta == 0f ? 0.0 : beta * (double) old;
    return (float) (sum + previous);
  }

  float sum(float[] d) {
    return (float) parallel.sum(d.length, SUM_CHUNK, (from, to) -> sumRange(d, from, to));
  }

  float squaredNorm(float[] d) {
    return (float) parallel.sum(d.length, SUM_CHUNK, (from, to) -> squaredNormRange(d, from, to));
  }

  /** The double sum of {@code d[from, to)}, in index order. */
  double sumRange(float[] d, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += d[i];
    }
    return s;
  }

  /** The double sum of squares of {@code d[from, to)}, in index order (each product is exact). */
  double squaredNormRange(float[] d, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += (double) d[i] * d[i];
    }
    return s;
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
