package dev.dnn.tests;

import static dev.dnn.tests.Check.EPS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fused bias + activation forward and activation backward for every {@link ActivationKind}, the
 * PReLU slope gradient, and maxout.
 */
class ActivationConformanceTest {
  private static final int[][] SHAPES = {{1, 1}, {7, 513}, {513, 7}};
  private static final float ALPHA = 0.3f;

  /**
   * Tolerance of f(z) and gradOut * f'(z): transcendental functions of float32 libraries (and GPU
   * intrinsics) are accurate to a few ulps, and composed formulas (swish, softplus, selu) add a few
   * roundings, so 32 EPS relative. Some terms are formed by cancellation against numbers of order
   * one: sigmoid' = out (1 - out) and tanh' = 1 - out^2 from the rounded output, e^z - 1 in ELU and
   * SELU (scaled by up to 1.76), log(1 + e^z) in softplus; each carries an absolute error of a few
   * EPS, hence 4 EPS absolute times the scale of the term (2 for f, |gradOut| for the gradient).
   */
  private static double tolerance(double expected, double scale) {
    return 32 * EPS * Math.abs(expected) + 4 * EPS * scale;
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void everyKindWithAndWithoutBias(Backend backend) {
    long seed = 10;
    for (ActivationKind kind : ActivationKind.values()) {
      for (int[] shape : SHAPES) {
        check(backend, kind, shape[0], shape[1], true, seed++);
        check(backend, kind, shape[0], shape[1], false, seed++);
      }
    }
  }

  private static void check(
      Backend backend, ActivationKind kind, int rows, int cols, boolean withBias, long seed) {
    int n = rows * cols;
    // Away from 0 so that z + bias cannot land on a kink by rounding.
    float[] z = Check.awayFromZero(seed, n, -5, 5, 1e-3);
    float[] bias = withBias ? Check.uniform(seed + 1, cols, -0.5, 0.5) : null;
    float[] slopes =
        switch (kind) {
          case PRELU -> Check.uniform(seed + 2, cols, 0.01, 0.5);
          case RRELU -> Check.uniform(seed + 2, n, 0.125, 0.333);
          default -> null;
        };
    float[] gradOut = Check.uniform(seed + 3, n, -2, 2);
    float[] shifted = new float[n];
    double[] value = new double[n];
    double[] grad = new double[n];
    double[] valueTol = new double[n];
    double[] gradTol = new double[n];
    for (int i = 0; i < n; i++) {
      int col = i % cols;
      // The kernel adds the bias in float32; that sum is exact to compare.
      shifted[i] = bias == null ? z[i] : z[i] + bias[col];
      double slope = kind == ActivationKind.PRELU ? slopes[col] : slopes != null ? slopes[i] : 0;
      value[i] = ReferenceActivations.value(kind, shifted[i], ALPHA, slope);
      double d = ReferenceActivations.derivative(kind, shifted[i], ALPHA, slope);
      grad[i] = gradOut[i] * d;
      valueTol[i] = tolerance(value[i], 2);
      gradTol[i] = tolerance(grad[i], Math.abs(gradOut[i]));
    }
    String what = kind + (withBias ? " with bias" : " without bias") + " [" + rows + ", " + cols;
    try (TensorScope s = new TensorScope(backend)) {
      Tensor tz = s.matrix(z, rows, cols);
      Tensor tb = bias == null ? null : s.vector(bias);
      Tensor ts =
          slopes == null
              ? null
              : kind == ActivationKind.PRELU ? s.vector(slopes) : s.matrix(slopes, rows, cols);
      Tensor out = s.zeros(rows, cols);
      backend.biasActivationForward(kind, ALPHA, ts, tz, tb, out);
      Check.assertExact(what + "]: z updated in place to z + bias", shifted, tz.toArray());
      Check.assertClose(what + "]: forward", value, out.toArray(), valueTol);

      Tensor tg = s.matrix(gradOut, rows, cols);
      Tensor gradIn = s.zeros(rows, cols);
      backend.activationBackward(kind, ALPHA, ts, tz, out, tg, gradIn);
      Check.assertClose(what + "]: backward", grad, gradIn.toArray(), gradTol);
      // gradIn may alias gradOut.
      backend.activationBackward(kind, ALPHA, ts, tz, out, tg, tg);
      Check.assertClose(what + "]: backward in place", grad, tg.toArray(), gradTol);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void linearMayWriteInPlace(Backend backend) {
    float[] z = Check.uniform(3, 21, -1, 1);
    float[] bias = Check.uniform(4, 7, -1, 1);
    float[] expected = new float[21];
    for (int i = 0; i < 21; i++) {
      expected[i] = z[i] + bias[i % 7];
    }
    try (TensorScope s = new TensorScope(backend)) {
      Tensor tz = s.matrix(z, 3, 7);
      backend.biasActivationForward(ActivationKind.LINEAR, 0f, null, tz, s.vector(bias), tz);
      Check.assertExact("LINEAR with out aliasing z", expected, tz.toArray());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void kinksFollowPyTorch(Backend backend) {
    // At exactly z = 0: relu' = 0, abs' = 0, leaky/prelu/rrelu' = the slope; f(0) = 0.
    ActivationKind[] kinds = {
      ActivationKind.RELU,
      ActivationKind.ABS,
      ActivationKind.LEAKY_RELU,
      ActivationKind.PRELU,
      ActivationKind.RRELU
    };
    float[] expected = {0f, 0f, ALPHA, 0.25f, 0.25f};
    for (int k = 0; k < kinds.length; k++) {
      try (TensorScope s = new TensorScope(backend)) {
        Tensor z = s.zeros(1, 2);
        Tensor slopes =
            kinds[k] == ActivationKind.PRELU || kinds[k] == ActivationKind.RRELU
                ? s.vector(0.25f, 0.25f)
                : null;
        Tensor out = s.zeros(1, 2);
        backend.biasActivationForward(kinds[k], ALPHA, slopes, z, null, out);
        Check.assertExact(kinds[k] + " f(0)", new float[] {0f, 0f}, out.toArray());
        Tensor gradIn = s.zeros(1, 2);
        backend.activationBackward(
            kinds[k], ALPHA, slopes, z, out, s.matrix(new float[] {1f, 1f}, 1, 2), gradIn);
        Check.assertExact(
            kinds[k] + " f'(0)", new float[] {expected[k], expected[k]}, gradIn.toArray());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void reluDerivativeAtSpecialValues(Backend backend) {
    float[] z = {
      Float.NEGATIVE_INFINITY,
      -1f,
      -Float.MIN_VALUE,
      -0f,
      0f,
      Float.MIN_VALUE,
      1f,
      Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NaN,
      -Float.NaN
    };
    float[] derivative = {0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0};
    float[] g = new float[z.length];
    float[] expected = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      g[i] = i % 2 == 0 ? 1.5f + i : -2.5f - i;
      expected[i] = derivative[i] * g[i];
    }
    try (TensorScope s = new TensorScope(backend)) {
      Tensor gradIn = s.zeros(1, z.length);
      backend.activationBackward(
          ActivationKind.RELU,
          0f,
          null,
          s.matrix(z, 1, z.length),
          s.zeros(1, z.length),
          s.matrix(g, 1, z.length),
          gradIn);
      float[] got = gradIn.toArray();
      for (int i = 0; i < z.length; i++) {
        // A signed zero where the derivative is 0 is fine: compare numerically.
        assertEquals(expected[i], got[i], 0f, "relu'(" + z[i] + ") * " + g[i]);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void preluSlopeGradient(Backend backend) {
    for (int[] shape : SHAPES) {
      int rows = shape[0];
      int cols = shape[1];
      float[] z = Check.uniform(rows + 5L * cols, rows * cols, -2, 2);
      float[] gradOut = Check.uniform(rows + 7L * cols, rows * cols, -2, 2);
      float[] previous = Check.uniform(11, cols, -1, 1);
      for (float beta : new float[] {0f, 1f}) {
        double[] expected = new double[cols];
        double[] tolerance = new double[cols];
        for (int j = 0; j < cols; j++) {
          double total = beta * (double) previous[j];
          double magnitude = Math.abs(total);
          for (int i = 0; i < rows; i++) {
            double term = gradOut[i * cols + j] * Math.min(0.0, z[i * cols + j]);
            total += term;
            magnitude += Math.abs(term);
          }
          expected[j] = total;
          // rows products and rows + 1 additions in float32, in any order.
          tolerance[j] = 2 * (rows + 2) * EPS * magnitude;
        }
        try (TensorScope s = new TensorScope(backend)) {
          Tensor grad = s.vector(previous);
          backend.preluSlopeGradient(
              s.matrix(z, rows, cols), s.matrix(gradOut, rows, cols), beta, grad);
          Check.assertClose(
              "preluSlopeGradient beta=" + beta + " [" + rows + ", " + cols + "]",
              expected,
              grad.toArray(),
              tolerance);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void maxoutForwardAndBackward(Backend backend) {
    int[][] cases = {{1, 1, 1}, {7, 3, 5}, {513, 7, 2}, {5, 1, 7}};
    for (int[] c : cases) {
      int rows = c[0];
      int units = c[1];
      int pieces = c[2];
      int width = units * pieces;
      // Distinct values so the winner is unambiguous.
      float[] z = Check.uniform(rows * 31L + pieces, rows * width, -3, 3);
      float[] gradOut = Check.uniform(rows * 37L + pieces, rows * units, -1, 1);
      float[] out = new float[rows * units];
      float[] argmax = new float[rows * units];
      float[] gradIn = new float[rows * width];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < units; j++) {
          int best = 0;
          for (int k = 1; k < pieces; k++) {
            if (z[i * width + j * pieces + k] > z[i * width + j * pieces + best]) {
              best = k;
            }
          }
          out[i * units + j] = z[i * width + j * pieces + best];
          argmax[i * units + j] = best;
          gradIn[i * width + j * pieces + best] = gradOut[i * units + j];
        }
      }
      String what = "maxout rows=" + rows + " units=" + units + " pieces=" + pieces;
      try (TensorScope s = new TensorScope(backend)) {
        Tensor tOut = s.zeros(rows, units);
        Tensor tArg = s.zeros(rows, units);
        backend.maxoutForward(s.matrix(z, rows, width), pieces, tOut, tArg);
        Check.assertExact(what + " out", out, tOut.toArray());
        Check.assertExact(what + " argmax", argmax, tArg.toArray());
        Tensor tGradIn = s.matrix(Check.uniform(1, rows * width, 5, 6), rows, width);
        backend.maxoutBackward(s.matrix(gradOut, rows, units), tArg, pieces, tGradIn);
        Check.assertExact(what + " backward", gradIn, tGradIn.toArray());
      }
    }
  }
}
