package dev.dnn.tests;

import static dev.dnn.tests.Check.EPS;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** sum, squaredNorm, argmaxRows and countCorrect. */
class ReductionConformanceTest {
  private static final int[][] SHAPES = {{1, 1}, {1, 7}, {513, 7}, {7, 513}, {513, 513}};

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void sumAndSquaredNorm(Backend backend) {
    for (int[] shape : SHAPES) {
      int n = shape[0] * shape[1];
      float[] x = Check.uniform(n, n, -1, 3);
      double sum = 0;
      double magnitude = 0;
      double squares = 0;
      for (float v : x) {
        sum += v;
        magnitude += Math.abs(v);
        squares += (double) v * v;
      }
      try (TensorScope s = new TensorScope(backend)) {
        Tensor t = s.matrix(x, shape[0], shape[1]);
        // A float32 sum of n terms in any order: n EPS sum |x| (one more rounding per square).
        Check.assertClose("sum of " + n, sum, backend.sum(t), n * EPS * magnitude);
        Check.assertClose(
            "squaredNorm of " + n, squares, backend.squaredNorm(t), (n + 1) * EPS * squares);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void argmaxTakesTheFirstMaximum(Backend backend) {
    for (int[] shape : SHAPES) {
      int rows = shape[0];
      int cols = shape[1];
      // Few distinct values so that ties are common.
      float[] x = Check.uniform(rows * 3L + cols, rows * cols, 0, 4);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) Math.floor(x[i]);
      }
      float[] expected = new float[rows];
      for (int i = 0; i < rows; i++) {
        int best = 0;
        for (int j = 1; j < cols; j++) {
          if (x[i * cols + j] > x[i * cols + best]) {
            best = j;
          }
        }
        expected[i] = best;
      }
      try (TensorScope s = new TensorScope(backend)) {
        Tensor out = s.zeros(rows);
        backend.argmaxRows(s.matrix(x, rows, cols), out);
        Check.assertExact(
            "argmaxRows with ties [" + rows + ", " + cols + "]", expected, out.toArray());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void countCorrectAccumulates(Backend backend) {
    int rows = 513;
    int cols = 7;
    // Integer scores so that ties are common: the argmax is the first maximum, as argmaxRows.
    float[] scores = Check.uniform(77, rows * cols, 0, 3);
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) Math.floor(scores[i]);
    }
    float[] labels = Check.labels(78, rows, cols);
    int correct = 0;
    for (int i = 0; i < rows; i++) {
      int best = 0;
      for (int j = 1; j < cols; j++) {
        if (scores[i * cols + j] > scores[i * cols + best]) {
          best = j;
        }
      }
      correct += best == labels[i] ? 1 : 0;
    }
    try (TensorScope s = new TensorScope(backend)) {
      Tensor count = s.vector(5f);
      Tensor tScores = s.matrix(scores, rows, cols);
      Tensor tLabels = s.vector(labels);
      backend.countCorrect(tScores, tLabels, count);
      backend.countCorrect(tScores, tLabels, count);
      Check.assertExact(
          "countCorrect twice onto 5", new float[] {5 + 2 * correct}, count.toArray());
    }
  }
}
