package dev.dnn.cpu;

/**
 * Batch normalization over the rows of a row-major {@code [rows, cols]} matrix, as PyTorch's {@code
 * BatchNorm1d}. Work is split by column ranges; each share walks all rows of its columns and
 * accumulates statistics in double, row step by row step.
 */
class BatchNormKernels {
  private final Parallel parallel;

  BatchNormKernels(Parallel parallel) {
    this.parallel = parallel;
  }

  void forward(
      float[] x,
      float[] gamma,
      float[] beta,
      float[] runningMean,
      float[] runningVar,
      float momentum,
      float epsilon,
      boolean training,
      float[] savedMean,
      float[] savedInvStd,
      float[] out,
      int rows,
      int cols) {
    parallel.forRange(
        cols,
        3L * rows,
        (from, to) -> {
          int width = to - from;
          double[] mean = new double[width];
          double[] invStd = new double[width];
          if (training) {
            for (int i = 0; i < rows; i++) {
              addRow(x, i * cols + from, mean, 0, width);
            }
            for (int j = 0; j < width; j++) {
              mean[j] /= rows;
            }
            double[] squares = invStd;
            for (int i = 0; i < rows; i++) {
              addSquaresRow(x, i * cols + from, mean, squares, 0, width);
            }
            for (int j = 0; j < width; j++) {
              int c = from + j;
              // squares and invStd share storage: read the sum before overwriting it.
              double variance = squares[j] / rows;
              double unbiased = squares[j] / (rows - 1);
              invStd[j] = 1.0 / Math.sqrt(variance + epsilon);
              savedMean[c] = (float) mean[j];
              savedInvStd[c] = (float) invStd[j];
              runningMean[c] = (float) ((1.0 - momentum) * runningMean[c] + momentum * mean[j]);
              runningVar[c] = (float) ((1.0 - momentum) * runningVar[c] + momentum * unbiased);
            }
          } else {
            for (int j = 0; j < width; j++) {
              mean[j] = runningMean[from + j];
              invStd[j] = 1.0 / Math.sqrt(runningVar[from + j] + (double) epsilon);
            }
          }
          for (int i = 0; i < rows; i++) {
            normalizeRow(x, i * cols, from, mean, invStd, gamma, beta, out, 0, width);
          }
        });
  }

  /** {@code acc[j] += x[base + j]} for {@code j} in {@code [j0, j1)}. */
  void addRow(float[] x, int base, double[] acc, int j0, int j1) {
    for (int j = j0; j < j1; j++) {
      acc[j] += x[base + j];
    }
  }

  /** {@code squares[j] += (x[base + j] - mean[j])^2} in double, {@code j} in {@code [j0, j1)}. */
  void addSquaresRow(float[] x, int base, double[] mean, double[] squares, int j0, int j1) {
    for (int j = j0; j < j1; j++) {
      double d = x[base + j] - mean[j];
      squares[j] += d * d;
    }
  }

  /**
   * {@code out = gamma xhat + beta} on the row starting at {@code row}, for the columns {@code from
   * + j}, {@code j} in {@code [j0, j1)}; {@code mean} and {@code invStd} are indexed by {@code j}.
   */
  void normalizeRow(
      float[] x,
      int row,
      int from,
      double[] mean,
      double[] invStd,
      float[] gamma,
      float[] beta,
      float[] out,
      int j0,
      int j1) {
    int base = row + from;
    for (int j = j0; j < j1; j++) {
      double xhat = (x[base + j] - mean[j]) * invStd[j];
      out[base + j] = (float) (gamma[from + j] * xhat + beta[from + j]);
    }
  }

  /**
   * {@code gradBeta = sum dy}, {@code gradGamma = sum dy xhat}, and {@code dx = gamma invStd / n (n
   * dy - gradBeta - xhat gradGamma)}.
   */
  void backward(
      float[] x,
      float[] gradOut,
      float[] gamma,
      float[] savedMean,
      float[] savedInvStd,
      float[] gradIn,
      float[] gradGamma,
      float[] gradBeta,
      int rows,
      int cols) {
    parallel.forRange(
        cols,
        4L * rows,
        (from, to) -> {
          int width = to - from;
          double[] sumDy = new double[width];
          double[] sumDyXhat = new double[width];
          Saved saved = new Saved(savedMean, savedInvStd, from);
          for (int i = 0; i < rows; i++) {
            gradientSumsRow(x, gradOut, i * cols, saved, sumDy, sumDyXhat, 0, width);
          }
          for (int j = 0; j < width; j++) {
            gradBeta[from + j] = (float) sumDy[j];
            gradGamma[from + j] = (float) sumDyXhat[j];
          }
          for (int i = 0; i < rows; i++) {
            gradientInRow(
                x, gradOut, gamma, i * cols, rows, saved, sumDy, sumDyXhat, gradIn, 0, width);
          }
        });
  }

  /** The forward's saved statistics and the first column of a share. */
  record Saved(float[] mean, float[] invStd, int from) {}

  /** The two column sums of the backward over one row, {@code j} in {@code [j0, j1)}. */
  void gradientSumsRow(
      float[] x,
      float[] gradOut,
      int row,
      Saved saved,
      double[] sumDy,
      double[] sumDyXhat,
      int j0,
      int j1) {
    int from = saved.from();
    int base = row + from;
    for (int j = j0; j < j1; j++) {
      int c = from + j;
      double xhat = (x[base + j] - saved.mean()[c]) * (double) saved.invStd()[c];
      sumDy[j] += gradOut[base + j];
      sumDyXhat[j] += gradOut[base + j] * xhat;
    }
  }

  /** The input gradient of one row, {@code j} in {@code [j0, j1)}. */
  void gradientInRow(
      float[] x,
      float[] gradOut,
      float[] gamma,
      int row,
      int rows,
      Saved saved,
      double[] sumDy,
      double[] sumDyXhat,
      float[] gradIn,
      int j0,
      int j1) {
    int from = saved.from();
    int base = row + from;
    for (int j = j0; j < j1; j++) {
      int c = from + j;
      double invStd = saved.invStd()[c];
      double xhat = (x[base + j] - saved.mean()[c]) * invStd;
      double scale = gamma[c] * invStd / rows;
      gradIn[base + j] =
          (float) (scale * (rows * (double) gradOut[base + j] - sumDy[j] - xhat * sumDyXhat[j]));
    }
  }
}
