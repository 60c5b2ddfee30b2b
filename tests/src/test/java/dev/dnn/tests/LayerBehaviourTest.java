package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.internal.random.RandomStreams;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.Model;
import dev.dnn.nn.Pass;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Training versus inference behaviour of dropout and batch normalization on every backend. */
class LayerBehaviourTest {

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void dropoutKeepsTheRateScalesAndIsTheIdentityAtInference(Backend backend) {
    int rows = 200;
    int cols = 100;
    int n = rows * cols;
    float keep = 0.8f;
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    try (Model model = Model.sequential(cols, Dropout.keep(keep)).on(backend);
        Tensor x = backend.fromHost(ones, Shape.matrix(rows, cols))) {
      float[] out = model.forward(x, Pass.training(3, 5)).toArray();
      long stream = RandomStreams.stream(RandomStreams.DROPOUT, 0, 5);
      int kept = 0;
      for (int i = 0; i < n; i++) {
        boolean expectKept = Philox.uniform(3, stream, i) < keep;
        // Inverted dropout: kept elements are scaled by 1 / keep so the expectation is unchanged.
        assertEquals(expectKept ? 1f / keep : 0f, out[i], "element " + i);
        kept += expectKept ? 1 : 0;
      }
      // The kept fraction is binomial: standard error sqrt(p (1 - p) / n) = 0.0028; allow 5.
      double se = Math.sqrt(keep * (1 - keep) / n);
      assertEquals(keep, kept / (double) n, 5 * se);

      float[] again = model.forward(x, Pass.training(3, 5)).toArray();
      assertArrayEquals(out, again, "same seed and step, same mask");
      float[] next = model.forward(x, Pass.training(3, 6)).toArray();
      assertFalse(Arrays.equals(out, next), "another step, another mask");
      assertArrayEquals(ones, model.forward(x).toArray(), "inference is the identity");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void batchNormUsesBatchStatisticsWhileTrainingAndRunningOnesAfter(Backend backend) {
    int rows = 8;
    int cols = 4;
    float[] x = TestData.gaussian(rows * cols, 12);
    for (int i = 0; i < x.length; i++) {
      x[i] = 3f * x[i] + (i % cols); // per-feature offsets and scale
    }
    try (Model model = Model.sequential(cols, BatchNorm.of()).on(backend);
        Tensor input = backend.fromHost(x, Shape.matrix(rows, cols))) {
      float[] out = model.forward(input, Pass.training(0, 0)).toArray();
      float[] runningMean = model.get("layers.0.running_mean");
      float[] runningVar = model.get("layers.0.running_var");
      // Tolerances: a running error analysis (Rounded) of the float32 formulas of the kernel
      // contract on these very inputs, gamma 1 and beta 0: the column mean and the biased variance
      // as sums of 8 terms in any order, invStd = 1 / sqrt(var + eps), out = (x - mean) invStd;
      // running statistics (1 - 0.1) running + 0.1 batch, from (0, 1).
      Rounded momentum = Rounded.of(0.1f);
      Rounded keep = Rounded.of(1).minus(momentum);
      for (int j = 0; j < cols; j++) {
        double mean = 0;
        List<Rounded> column = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
          mean += x[i * cols + j];
          column.add(Rounded.of(x[i * cols + j]));
        }
        mean /= rows;
        double var = 0;
        for (int i = 0; i < rows; i++) {
          var += (x[i * cols + j] - mean) * (x[i * cols + j] - mean);
        }
        Rounded batchMean = Rounded.sum(column).dividedBy(Rounded.of(rows));
        List<Rounded> squares = new ArrayList<>();
        for (Rounded v : column) {
          squares.add(v.minus(batchMean).times(v.minus(batchMean)));
        }
        Rounded squareSum = Rounded.sum(squares);
        Rounded invStd =
            Rounded.of(1)
                .dividedBy(squareSum.dividedBy(Rounded.of(rows)).plus(Rounded.of(1e-5f)).sqrt());
        double biased = var / rows;
        double unbiased = var / (rows - 1);
        for (int i = 0; i < rows; i++) {
          double expected = (x[i * cols + j] - mean) / Math.sqrt(biased + 1e-5f);
          double bound = column.get(i).minus(batchMean).times(invStd).error();
          assertEquals(expected, out[i * cols + j], bound, "training output");
        }
        // Running statistics start at (0, 1) and move by momentum 0.1 towards the batch.
        assertEquals(
            0.1 * mean,
            runningMean[j],
            keep.times(Rounded.of(0)).plus(momentum.times(batchMean)).error());
        Rounded unbiasedVar = squareSum.dividedBy(Rounded.of(rows - 1));
        assertEquals(
            0.9 + 0.1 * unbiased,
            runningVar[j],
            keep.times(Rounded.of(1)).plus(momentum.times(unbiasedVar)).error());
      }
      float[] inference = model.forward(input).toArray();
      for (int i = 0; i < rows * cols; i++) {
        int j = i % cols;
        double expected = (x[i] - runningMean[j]) / Math.sqrt(runningVar[j] + 1e-5f);
        // (x - mean) * (1 / sqrt(var + eps)) from the stored float statistics.
        double bound =
            Rounded.of(x[i])
                .minus(Rounded.of(runningMean[j]))
                .times(
                    Rounded.of(1)
                        .dividedBy(Rounded.of(runningVar[j]).plus(Rounded.of(1e-5f)).sqrt()))
                .error();
        assertEquals(expected, inference[i], bound, "inference output");
      }
      assertArrayEquals(runningMean, model.get("layers.0.running_mean"), "inference leaves stats");
      assertTrue(model.buffers().containsKey("layers.0.running_var"));
    }
  }
}
