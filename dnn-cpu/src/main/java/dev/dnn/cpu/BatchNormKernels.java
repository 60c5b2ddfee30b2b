package dev.dnn.cpu;

/**
 * Batch normalization over the rows of a row-major {@code [rows, cols]} matrix, as PyTorch's {@code
 * BatchNorm1d}. Work is split by column ranges; each share walks all rows of its columns and
 * accumulates statistics in double.
 */
final class BatchNormKernels {
  private BatchNormKernels() {}

  static void forward(
      Parallel parallel,
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
              int base = i * cols + from;
              for (int j = 0; j < width; j++) {
                mean[j] += x[base + j];
              }
            }
            for (int j = 0; j < width; j++) {
              mean[j] /= rows;
            }
            double[] squares = invStd;
            for (int i = 0; i < rows; i++) {
              int base = i * cols + from;
              for (int j = 0; j < width; j++) {
                double d = x[base + j] - mean[j];
                squares[j] += d * d;
              }
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
            int base = i * cols + from;
            for (int j = 0; j < width; j++) {
              double xhat = (x[base + j] - mean[j]) * invStd[j];
              out[base + j] = (float) (gamma[from + j] * xhat + beta[from + j]);
            }
          }
        });
  }

  /**
   * {@code gradBeta = sum dy}, {@code gradGamma = sum dy xhat}, and {@code dx = gamma invStd / n (n
   * dy - gradBeta - xhat gradGamma)}.
   */
  static void backward(
      Parallel parallel,
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
          for (int i = 0; i < rows; i++) {
            int base = i * cols + from;
            for (int j = 0; j < width; j++) {
              int c = from + j;
              double xhat = (x[base + j] - savedMean[c]) * (double) savedInvStd[c];
              sumDy[j] += gradOut[base + j];
              sumDyXhat[j] += gradOut[base + j] * xhat;
            }
          }
          for (int j = 0; j < width; j++) {
            gradBeta[from + j] = (float) sumDy[j];
            gradGamma[from + j] = (float) sumDyXhat[j];
          }
          for (int i = 0; i < rows; i++) {
            int base = i * cols + from;
            for (int j = 0; j < width; j++) {
              int c = from + j;
              double invStd = savedInvStd[c];
              double xhat = (x[base + j] - savedMean[c]) * invStd;
              double scale = gamma[c] * invStd / rows;
              gradIn[base + j] =
                  (float)
                      (scale
                          * (rows * (double) gradOut[base + j] - sumDy[j] - xhat * sumDyXhat[j]));
            }
          }
        });
  }
}
