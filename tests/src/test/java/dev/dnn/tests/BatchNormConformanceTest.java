package dev.dnn.tests;

import static dev.dnn.tests.Check.EPS;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Batch normalization forward (training and inference) and backward against float64. */
class BatchNormConformanceTest {
  private static final int[][] SHAPES = {{2, 1}, {7, 513}, {513, 7}};
  private static final float MOMENTUM = 0.1f;
  private static final float EPSILON = 1e-5f;

  /** Float64 batch statistics of the columns of x. */
  private record Stats(double[] mean, double[] var) {
    static Stats of(float[] x, int rows, int cols) {
      double[] mean = new double[cols];
      double[] var = new double[cols];
      for (int j = 0; j < cols; j++) {
        double total = 0;
        for (int i = 0; i < rows; i++) {
          total += x[i * cols + j];
        }
        mean[j] = total / rows;
        double squares = 0;
        for (int i = 0; i < rows; i++) {
          double d = x[i * cols + j] - mean[j];
          squares += d * d;
        }
        var[j] = squares / rows;
      }
      return new Stats(mean, var);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void trainingForwardUpdatesRunningStatistics(Backend backend) {
    for (int[] shape : SHAPES) {
      int rows = shape[0];
      int cols = shape[1];
      float[] x = Check.uniform(rows * 13L + cols, rows * cols, -1, 3);
      float[] gamma = Check.uniform(cols, cols, 0.5, 1.5);
      float[] beta = Check.uniform(cols + 1L, cols, -1, 1);
      float[] runMean = Check.uniform(cols + 2L, cols, -0.5, 0.5);
      float[] runVar = Check.uniform(cols + 3L, cols, 0.5, 2);
      Stats stats = Stats.of(x, rows, cols);
      double[] out = new double[rows * cols];
      double[] outTol = new double[rows * cols];
      double[] mean = stats.mean();
      double[] invStd = new double[cols];
      double[] newMean = new double[cols];
      double[] newVar = new double[cols];
      for (int j = 0; j < cols; j++) {
        invStd[j] = 1 / Math.sqrt(stats.var()[j] + EPSILON);
        newMean[j] = (1 - MOMENTUM) * runMean[j] + MOMENTUM * mean[j];
        newVar[j] = (1 - MOMENTUM) * runVar[j] + MOMENTUM * stats.var()[j] * rows / (rows - 1);
        for (int i = 0; i < rows; i++) {
          double xhat = (x[i * cols + j] - mean[j]) * invStd[j];
          out[i * cols + j] = gamma[j] * xhat + beta[j];
          // The mean and variance are float32 reductions over the rows (rows EPS relative to
          // the magnitudes |x| <= 3): the error of xhat is about rows EPS (|x| + |mean|) invStd.
          outTol[i * cols + j] =
              (2 * rows + 16) * EPS * (Math.abs(gamma[j]) * (3 + Math.abs(xhat)) * invStd[j] + 1);
        }
      }
      double[] statTol = new double[cols];
      Arrays.fill(statTol, (2 * rows + 16) * EPS * 9);
      String what = "batchNormForward training [" + rows + ", " + cols + "]";
      try (TensorScope s = new TensorScope(backend)) {
        Tensor tRunMean = s.vector(runMean);
        Tensor tRunVar = s.vector(runVar);
        Tensor savedMean = s.zeros(cols);
        Tensor savedInvStd = s.zeros(cols);
        Tensor tOut = s.zeros(rows, cols);
        backend.batchNormForward(
            s.matrix(x, rows, cols),
            s.vector(gamma),
            s.vector(beta),
            tRunMean,
            tRunVar,
            MOMENTUM,
            EPSILON,
            true,
            savedMean,
            savedInvStd,
            tOut);
        Check.assertClose(what + " out", out, tOut.toArray(), outTol);
        Check.assertClose(what + " savedMean", mean, savedMean.toArray(), statTol);
        double[] invStdTol = new double[cols];
        for (int j = 0; j < cols; j++) {
          invStdTol[j] = statTol[j] * invStd[j] * invStd[j] * invStd[j];
        }
        Check.assertClose(what + " savedInvStd", invStd, savedInvStd.toArray(), invStdTol);
        Check.assertClose(what + " runningMean", newMean, tRunMean.toArray(), statTol);
        Check.assertClose(
            what + " runningVar (unbiased batch variance)", newVar, tRunVar.toArray(), statTol);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void inferenceUsesRunningStatisticsAndLeavesSavedAlone(Backend backend) {
    int rows = 513;
    int cols = 7;
    float[] x = Check.uniform(5, rows * cols, -1, 3);
    float[] gamma = Check.uniform(6, cols, 0.5, 1.5);
    float[] beta = Check.uniform(7, cols, -1, 1);
    float[] runMean = Check.uniform(8, cols, -0.5, 0.5);
    float[] runVar = Check.uniform(9, cols, 0.5, 2);
    float[] sentinel = {-7f, -7f, -7f, -7f, -7f, -7f, -7f};
    double[] out = new double[rows * cols];
    double[] tol = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double inv = 1 / Math.sqrt(runVar[j] + (double) EPSILON);
        double xhat = (x[i * cols + j] - runMean[j]) * inv;
        out[i * cols + j] = gamma[j] * xhat + beta[j];
        // A handful of float32 operations per element on numbers of order |x| <= 3.
        tol[i * cols + j] = 16 * EPS * (Math.abs(gamma[j]) * (3.5 * inv + Math.abs(xhat)) + 1);
      }
    }
    try (TensorScope s = new TensorScope(backend)) {
      Tensor tRunMean = s.vector(runMean);
      Tensor tRunVar = s.vector(runVar);
      Tensor savedMean = s.vector(sentinel);
      Tensor savedInvStd = s.vector(sentinel);
      Tensor tOut = s.zeros(rows, cols);
      backend.batchNormForward(
          s.matrix(x, rows, cols),
          s.vector(gamma),
          s.vector(beta),
          tRunMean,
          tRunVar,
          MOMENTUM,
          EPSILON,
          false,
          savedMean,
          savedInvStd,
          tOut);
      Check.assertClose("batchNormForward inference out", out, tOut.toArray(), tol);
      Check.assertExact("inference runningMean unchanged", runMean, tRunMean.toArray());
      Check.assertExact("inference runningVar unchanged", runVar, tRunVar.toArray());
      Check.assertExact("inference savedMean untouched", sentinel, savedMean.toArray());
      Check.assertExact("inference savedInvStd untouched", sentinel, savedInvStd.toArray());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void backwardMatchesFloat64(Backend backend) {
    for (int[] shape : SHAPES) {
      int rows = shape[0];
      int cols = shape[1];
      float[] x = Check.uniform(rows * 17L + cols, rows * cols, -1, 3);
      float[] gamma = Check.uniform(cols + 4L, cols, 0.5, 1.5);
      float[] gradOut = Check.uniform(rows * 19L + cols, rows * cols, -1, 1);
      Stats stats = Stats.of(x, rows, cols);
      double[] gradIn = new double[rows * cols];
      double[] gradInTol = new double[rows * cols];
      double[] gradGamma = new double[cols];
      double[] gradBeta = new double[cols];
      double[] gammaTol = new double[cols];
      double[] betaTol = new double[cols];
      for (int j = 0; j < cols; j++) {
        double inv = 1 / Math.sqrt(stats.var()[j] + EPSILON);
        double sumDy = 0;
        double sumDyXhat = 0;
        double magDy = 0;
        double magDyXhat = 0;
        for (int i = 0; i < rows; i++) {
          double dy = gradOut[i * cols + j];
          double xhat = (x[i * cols + j] - stats.mean()[j]) * inv;
          sumDy += dy;
          sumDyXhat += dy * xhat;
          magDy += Math.abs(dy);
          magDyXhat += Math.abs(dy * xhat);
        }
        gradBeta[j] = sumDy;
        gradGamma[j] = sumDyXhat;
        // Column reductions of rows terms; xhat itself carries the statistics' error.
        betaTol[j] = (rows + 2) * EPS * magDy;
        gammaTol[j] = (3 * rows + 16) * EPS * (magDyXhat + magDy);
        for (int i = 0; i < rows; i++) {
          double dy = gradOut[i * cols + j];
          double xhat = (x[i * cols + j] - stats.mean()[j]) * inv;
          gradIn[i * cols + j] = gamma[j] * inv / rows * (rows * dy - sumDy - xhat * sumDyXhat);
          // dx = gamma invStd (dy - mean(dy) - xhat mean(dy xhat)): the two means are float32
          // reductions, and xhat and invStd carry the error of the batch statistics.
          gradInTol[i * cols + j] =
              (3 * rows + 16)
                  * EPS
                  * Math.abs(gamma[j])
                  * inv
                  * (Math.abs(dy) + (magDy + (Math.abs(xhat) + 1) * (magDyXhat + magDy)) / rows);
        }
      }
      String what = "batchNormBackward [" + rows + ", " + cols + "]";
      try (TensorScope s = new TensorScope(backend)) {
        Tensor tx = s.matrix(x, rows, cols);
        Tensor tGamma = s.vector(gamma);
        Tensor savedMean = s.zeros(cols);
        Tensor savedInvStd = s.zeros(cols);
        backend.batchNormForward(
            tx,
            tGamma,
            s.zeros(cols),
            s.zeros(cols),
            s.vector(new float[cols]),
            MOMENTUM,
            EPSILON,
            true,
            savedMean,
            savedInvStd,
            s.zeros(rows, cols));
        Tensor tGradIn = s.zeros(rows, cols);
        // gradGamma and gradBeta are overwritten, not accumulated: start from garbage.
        Tensor tGradGamma = s.vector(Check.uniform(1, cols, 50, 60));
        Tensor tGradBeta = s.vector(Check.uniform(2, cols, 50, 60));
        backend.batchNormBackward(
            tx,
            s.matrix(gradOut, rows, cols),
            tGamma,
            savedMean,
            savedInvStd,
            tGradIn,
            tGradGamma,
            tGradBeta);
        Check.assertClose(what + " gradIn", gradIn, tGradIn.toArray(), gradInTol);
        Check.assertClose(what + " gradGamma", gradGamma, tGradGamma.toArray(), gammaTol);
        Check.assertClose(what + " gradBeta", gradBeta, tGradBeta.toArray(), betaTol);
      }
    }
  }
}
