package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The losses of both kernel paths (plain Java, and the Vector API forms of softmax + cross-entropy
 * and sigmoid + binary cross-entropy on {@link VectorMath}) against a float64 reference. Both
 * softmax forms round {@code logit - max} to float, which scales the error of its exponential by up
 * to {@code |logit - max|} (12 here) epsilons; the vector exponential adds about one ulp. Both
 * binary cross-entropy forms round each loss term in float (a few ulps of {@code |z| + 1}).
 * Tolerances: 32 epsilons relative plus 32 epsilons of the term's scale, as the conformance
 * suite's. And the two paths against each other: the same bits, loss and gradient (they share the
 * algorithm, and {@link VectorMath} gives {@link ScalarMath}'s bits).
 */
class LossPathsAgreeTest {
  private static final double EPS = 0x1p-23; // float32 machine epsilon

  private static Parallel parallel;
  private static VectorForms vector;

  @BeforeAll
  static void open() {
    parallel = new Parallel(2);
    vector = KernelPath.found().vector();
    vector = vector == null ? null : vector.alwaysOn();
  }

  @AfterAll
  static void close() {
    parallel.close();
  }

  /** Class counts below, at and above a vector's lanes, and rows beyond one summing chunk. */
  @ParameterizedTest
  @CsvSource({"7, 10", "3, 16", "5, 37", "1000, 10"})
  void softmaxCrossEntropyAgreesWithTheReference(int rows, int cols) {
    assumeTrue(vector != null, "the Vector API is not readable in this JVM");
    Random random = new Random(rows * 31L + cols);
    float[] logits = new float[rows * cols];
    float[] labels = new float[rows];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (random.nextFloat() * 2f - 1f) * 6f;
    }
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(cols);
    }
    double[] refGrad = new double[logits.length];
    double refLoss = 0;
    for (int i = 0; i < rows; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, logits[i * cols + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += Math.exp(logits[i * cols + j] - max);
      }
      double logSum = max + Math.log(sum);
      int label = (int) labels[i];
      refLoss += logSum - logits[i * cols + label];
      for (int j = 0; j < cols; j++) {
        double p = Math.exp(logits[i * cols + j] - logSum);
        refGrad[i * cols + j] = (j == label ? p - 1 : p) / rows;
      }
    }
    float[][] grads = new float[2][];
    double[] losses = new double[2];
    LossKernels[] forms = {new LossKernels(parallel), vector.losses(parallel)};
    for (int f = 0; f < forms.length; f++) {
      LossKernels kernels = forms[f];
      float[] grad = new float[logits.length];
      double loss = kernels.softmaxCrossEntropy(logits, labels, grad, rows, cols);
      grads[f] = grad;
      losses[f] = loss;
      String form = kernels.getClass().getSimpleName();
      assertEquals(refLoss, loss, 32 * EPS * (Math.abs(refLoss) + rows), form + " loss");
      for (int k = 0; k < grad.length; k++) {
        double tolerance = 32 * EPS * (Math.abs(refGrad[k]) + 1.0 / rows);
        assertEquals(refGrad[k], grad[k], tolerance, form + " gradient at " + k);
      }
    }
    assertEquals(losses[0], losses[1], 0.0, "the two paths' losses");
    assertArrayEquals(grads[0], grads[1], "the two paths' gradients");
  }

  @ParameterizedTest
  @CsvSource({"37", "4096", "10000"})
  void sigmoidBinaryCrossEntropyAgreesWithTheReference(int n) {
    assumeTrue(vector != null, "the Vector API is not readable in this JVM");
    Random random = new Random(n);
    float[] logits = new float[n];
    float[] targets = new float[n];
    double scale = 0;
    for (int i = 0; i < n; i++) {
      // Beyond +-88 e^-|z| underflows: the loss must still be finite and the gradient exact.
      logits[i] = i % 97 == 0 ? (i % 2 == 0 ? 100f : -100f) : (random.nextFloat() * 2f - 1f) * 8f;
      targets[i] = random.nextFloat();
      scale += Math.abs(logits[i]) + 1;
    }
    double refLoss = 0;
    double[] refGrad = new double[n];
    for (int i = 0; i < n; i++) {
      double z = logits[i];
      double t = targets[i];
      refLoss += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
      refGrad[i] = (1 / (1 + Math.exp(-z)) - t) / n;
    }
    float[][] grads = new float[2][];
    double[] losses = new double[2];
    LossKernels[] forms = {new LossKernels(parallel), vector.losses(parallel)};
    for (int f = 0; f < forms.length; f++) {
      LossKernels kernels = forms[f];
      float[] grad = new float[n];
      double loss = kernels.sigmoidBinaryCrossEntropy(logits, targets, grad);
      grads[f] = grad;
      losses[f] = loss;
      String form = kernels.getClass().getSimpleName();
      assertEquals(refLoss, loss, 32 * EPS * scale, form + " loss");
      for (int i = 0; i < n; i++) {
        double tolerance = 32 * EPS * (Math.abs(refGrad[i]) + 1.0 / n);
        assertEquals(refGrad[i], grad[i], tolerance, form + " gradient at " + i);
      }
    }
    assertEquals(losses[0], losses[1], 0.0, "the two paths' losses");
    assertArrayEquals(grads[0], grads[1], "the two paths' gradients");
  }
}
