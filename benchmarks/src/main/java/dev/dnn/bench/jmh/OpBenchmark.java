package dev.dnn.bench.jmh;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.AdaGradStep;
import dev.dnn.backend.AdamStep;
import dev.dnn.backend.Backend;
import dev.dnn.backend.MomentumStep;
import dev.dnn.backend.NadamStep;
import dev.dnn.backend.RmsPropStep;
import dev.dnn.backend.SgdStep;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused kernels of one training step, one at a time, on each backend: bias + activation
 * forward, activation backward, softmax + cross-entropy, sigmoid + binary cross-entropy, dropout
 * forward and backward, column sums, batch norm, sums and squared norms, and the optimizer updates.
 * Activations are {@code [rows, cols]} (by default the first hidden layer of a 784-500-... network
 * at batch 512); the updates run on that layer's {@code 784 x cols} weights. Every operation ends
 * with {@link Backend#synchronize()} so a GPU's asynchronous work is timed in full.
 *
 * <p>Where no GPU is usable, run with {@code -p backend=cpu}: setting up {@code cuda} fails with
 * the reason.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class OpBenchmark {
  /** The backend: {@code cpu} or {@code cuda}. */
  @Param({"cpu", "cuda"})
  public String backend;

  /** Rows of the activation tensors (the batch size). */
  @Param({"512"})
  public int rows;

  /** Columns of the activation tensors (the layer width). */
  @Param({"500"})
  public int cols;

  /** Classes of the softmax + cross-entropy benchmark. */
  @Param({"10"})
  public int classes;

  private Backend b;
  private Tensor z;
  private Tensor bias;
  private Tensor biasGrad;
  private Tensor gamma;
  private Tensor runningMean;
  private Tensor runningVar;
  private Tensor savedMean;
  private Tensor savedInvStd;
  private Tensor gradGamma;
  private Tensor out;
  private Tensor gradOut;
  private Tensor gradIn;
  private Tensor mask;
  private Tensor logits;
  private Tensor labels;
  private Tensor gradLogits;
  private Tensor lossSum;
  private Tensor targets;
  private Tensor weights;
  private Tensor weightGrad;
  private Tensor m;
  private Tensor v;
  private int adamStep;

  /** Opens the backend and fills the operands with fixed random values. */
  @Setup(Level.Trial)
  public void setUp() {
    b = BenchmarkBackends.open(backend);
    Random random = new Random(42);
    Shape activations = Shape.matrix(rows, cols);
    z = BenchmarkBackends.uniform(b, activations, random, -2, 2);
    bias = BenchmarkBackends.uniform(b, Shape.vector(cols), random, -1e-6f, 1e-6f);
    biasGrad = b.zeros(Shape.vector(cols));
    gamma = BenchmarkBackends.uniform(b, Shape.vector(cols), random, 0.5f, 1.5f);
    runningMean = b.zeros(Shape.vector(cols));
    runningVar = BenchmarkBackends.uniform(b, Shape.vector(cols), random, 1, 1);
    savedMean = b.zeros(Shape.vector(cols));
    savedInvStd = BenchmarkBackends.uniform(b, Shape.vector(cols), random, 1, 1);
    gradGamma = b.zeros(Shape.vector(cols));
    out = b.zeros(activations);
    gradOut = BenchmarkBackends.uniform(b, activations, random, -1, 1);
    gradIn = b.zeros(activations);
    mask = b.zeros(activations);
    logits = BenchmarkBackends.uniform(b, Shape.matrix(rows, classes), random, -3, 3);
    labels = BenchmarkBackends.labels(b, rows, classes, random);
    gradLogits = b.zeros(Shape.matrix(rows, classes));
    lossSum = b.zeros(Shape.vector(1));
    targets = BenchmarkBackends.uniform(b, activations, random, 0, 1);
    Shape weightShape = Shape.matrix(784, cols);
    weights = BenchmarkBackends.uniform(b, weightShape, random, -0.05f, 0.05f);
    weightGrad = BenchmarkBackends.uniform(b, weightShape, random, -1e-3f, 1e-3f);
    m = b.zeros(weightShape);
    v = b.zeros(weightShape);
    b.synchronize();
  }

  /** Frees everything. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (b != null) {
      b.close();
    }
  }

  /** Bias + ReLU, fused. (The bias is tiny so that repeating it leaves z about the same.) */
  @Benchmark
  public void biasReluForward() {
    b.biasActivationForward(ActivationKind.RELU, 0f, null, z, bias, out);
    b.synchronize();
  }

  /** Bias + tanh, fused. */
  @Benchmark
  public void biasTanhForward() {
    b.biasActivationForward(ActivationKind.TANH, 0f, null, z, bias, out);
    b.synchronize();
  }

  /** Bias + sigmoid, fused. */
  @Benchmark
  public void biasSigmoidForward() {
    b.biasActivationForward(ActivationKind.SIGMOID, 0f, null, z, bias, out);
    b.synchronize();
  }

  /** Bias + softplus, fused. */
  @Benchmark
  public void biasSoftplusForward() {
    b.biasActivationForward(ActivationKind.SOFTPLUS, 0f, null, z, bias, out);
    b.synchronize();
  }

  /** Bias + ELU (alpha 1), fused. */
  @Benchmark
  public void biasEluForward() {
    b.biasActivationForward(ActivationKind.ELU, 1f, null, z, bias, out);
    b.synchronize();
  }

  /** Upstream gradient times the ReLU derivative. */
  @Benchmark
  public void reluBackward() {
    b.activationBackward(ActivationKind.RELU, 0f, null, z, out, gradOut, gradIn);
    b.synchronize();
  }

  /** Upstream gradient times the tanh derivative (from the stored output). */
  @Benchmark
  public void tanhBackward() {
    b.activationBackward(ActivationKind.TANH, 0f, null, z, out, gradOut, gradIn);
    b.synchronize();
  }

  /** Softmax + cross-entropy: loss and gradient in one pass. */
  @Benchmark
  public void softmaxCrossEntropy() {
    b.softmaxCrossEntropy(logits, labels, gradLogits, lossSum);
    b.synchronize();
  }

  /** Inverted dropout forward with a fresh Philox mask (keep 0.8). */
  @Benchmark
  public void dropoutForward() {
    b.dropoutForward(z, 0.8f, 7L, 3L, mask, out);
    b.synchronize();
  }

  /** Dropout backward: the gradient through the mask. */
  @Benchmark
  public void dropoutBackward() {
    b.dropoutBackward(gradOut, mask, gradIn);
    b.synchronize();
  }

  /** Column sums of the upstream gradient: a layer's bias gradient. */
  @Benchmark
  public void columnSums() {
    b.columnSums(gradOut, 0f, biasGrad);
    b.synchronize();
  }

  /** Batch normalization forward in training mode (batch statistics, running averages). */
  @Benchmark
  public void batchNormForward() {
    b.batchNormForward(
        z, gamma, bias, runningMean, runningVar, 0.1f, 1e-5f, true, savedMean, savedInvStd, out);
    b.synchronize();
  }

  /** Batch normalization backward, from the statistics the forward saved. */
  @Benchmark
  public void batchNormBackward() {
    b.batchNormBackward(z, gradOut, gamma, savedMean, savedInvStd, gradIn, gradGamma, biasGrad);
    b.synchronize();
  }

  /** The sum of the activations. */
  @Benchmark
  public float sum() {
    float s = b.sum(gradOut);
    b.synchronize();
    return s;
  }

  /** The squared norm of the weight gradient (as gradient clipping takes it). */
  @Benchmark
  public float squaredNorm() {
    float s = b.squaredNorm(weightGrad);
    b.synchronize();
    return s;
  }

  /** One Adam update of a 784 x cols weight matrix with its two moment tensors. */
  @Benchmark
  public void adamUpdate() {
    b.adamUpdate(
        weights, weightGrad, m, v, new AdamStep(1e-3f, 0.9f, 0.999f, 1e-8f, ++adamStep, 0f, 0f));
    b.synchronize();
  }

  /** Sigmoid + binary cross-entropy over the activations, targets in [0, 1). */
  @Benchmark
  public void sigmoidBinaryCrossEntropy() {
    b.sigmoidBinaryCrossEntropy(z, targets, gradIn, lossSum);
    b.synchronize();
  }

  /** One SGD update of the weights. */
  @Benchmark
  public void sgdUpdate() {
    b.sgdUpdate(weights, weightGrad, new SgdStep(1e-3f, 0f, 0f));
    b.synchronize();
  }

  /** One Nesterov momentum update of the weights. */
  @Benchmark
  public void nesterovUpdate() {
    b.momentumUpdate(weights, weightGrad, m, new MomentumStep(1e-3f, 0.9f, true, 0f, 0f));
    b.synchronize();
  }

  /** One AdaGrad update of the weights. */
  @Benchmark
  public void adaGradUpdate() {
    b.adaGradUpdate(weights, weightGrad, v, new AdaGradStep(1e-3f, 1e-10f, 0f, 0f));
    b.synchronize();
  }

  /** One RMSProp update of the weights. */
  @Benchmark
  public void rmsPropUpdate() {
    b.rmsPropUpdate(weights, weightGrad, v, new RmsPropStep(1e-3f, 0.99f, 1e-8f, 0f, 0f));
    b.synchronize();
  }

  /** One Nadam update of the weights (a fixed momentum schedule). */
  @Benchmark
  public void nadamUpdate() {
    b.nadamUpdate(
        weights,
        weightGrad,
        m,
        v,
        new NadamStep(2e-3f, 0.9, 0.999, 1e-8f, 1e-4f, 1e-3f, 0.01f, 0f, 0f));
    b.synchronize();
  }
}
