package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;
import dev.dnn.tensor.Tensor;

/**
 * The kernel contract in Java: float arrays on the heap, a size-keyed array pool, argument checks,
 * and dispatch to one kernel object per op family ({@link CpuKernels}), in their Vector API form
 * when the JVM allows it and their plain-Java form otherwise ({@link KernelPath}; {@link
 * #description()} says which). Operations run synchronously on the calling thread (helped by the
 * workers).
 *
 * <p>The thread count defaults to the number of available processors and can be set with the system
 * property {@value #THREADS_PROPERTY} or the constructor.
 */
public final class CpuBackend extends CpuMemory {
  /** System property that sets the number of threads (default: all available processors). */
  public static final String THREADS_PROPERTY = "dnn.cpu.threads";

  private final CpuKernels kernels;

  /** A backend with {@link #defaultThreads()} threads. */
  public CpuBackend() {
    this(defaultThreads());
  }

  /**
   * A backend with the given number of threads, at least 1 and at most 8 per available processor
   * (at least 64), on the kernel path found. Its worker threads are daemons, stopped by {@link
   * #close} or, if it is never closed, after it becomes unreachable.
   */
  public CpuBackend(int threads) {
    this(threads, KernelPath.found());
  }

  /** A backend on the given kernel path: tests compare the two paths in one JVM. */
  CpuBackend(int threads, KernelPath path) {
    super(new Parallel(threads));
    this.kernels = new CpuKernels(path, parallel);
  }

  /** Whether the Vector API kernels run (false: the plain-Java ones). */
  public boolean vectorized() {
    return kernels.path.vector() != null;
  }

  /** The value of {@value #THREADS_PROPERTY}, or the number of available processors. */
  public static int defaultThreads() {
    String value = System.getProperty(THREADS_PROPERTY);
    if (value == null || value.isBlank()) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      int threads = Integer.parseInt(value.trim());
      if (threads < 1) {
        throw new NumberFormatException("must be at least 1");
      }
      if (threads > Parallel.MAX_THREADS) {
        throw new IllegalArgumentException(
            "system property "
                + THREADS_PROPERTY
                + "="
                + threads
                + " exceeds the limit of "
                + Parallel.MAX_THREADS
                + " threads (8 per available processor, at least 64)");
      }
      return threads;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "system property " + THREADS_PROPERTY + "='" + value + "' is not a positive integer", e);
    }
  }

  /** The number of threads this backend computes with. */
  public int threads() {
    return parallel.threads();
  }

  // ---------------------------------------------------------------- identity

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public String description() {
    return "pure Java, "
        + kernels.path.description()
        + ", "
        + threads()
        + " threads, Java "
        + System.getProperty("java.version")
        + " on "
        + System.getProperty("os.arch");
  }

  @Override
  public String toString() {
    return name();
  }

  // ---------------------------------------------------------------- dense algebra

  @Override
  public void gemm(
      boolean transposeA,
      boolean transposeB,
      float alpha,
      Tensor a,
      Tensor b,
      float beta,
      Tensor c) {
    float[] da = data(a, "gemm");
    float[] db = data(b, "gemm");
    float[] dc = data(c, "gemm");
    int m = transposeA ? a.shape().cols() : a.shape().rows();
    int k = transposeA ? a.shape().rows() : a.shape().cols();
    int kb = transposeB ? b.shape().cols() : b.shape().rows();
    int n = transposeB ? b.shape().rows() : b.shape().cols();
    if (k != kb || c.shape().rows() != m || c.shape().cols() != n) {
      throw new IllegalArgumentException(
          "gemm: op(A) "
              + (transposeA ? "A^T" : "A")
              + " of "
              + a.shape()
              + " times "
              + (transposeB ? "B^T" : "B")
              + " of "
              + b.shape()
              + " does not give C of "
              + c.shape());
    }
    if (dc == da || dc == db) {
      throw new IllegalArgumentException("gemm: C must not alias A or B");
    }
    kernels.gemm.multiply(transposeA, transposeB, m, n, k, alpha, da, db, beta, dc);
  }

  // ---------------------------------------------------------------- element-wise

  @Override
  public void fill(Tensor t, float value) {
    kernels.elementwise.fill(data(t, "fill"), value);
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    sameSize("copy", src, dst);
    kernels.elementwise.copy(data(src, "copy"), data(dst, "copy"));
  }

  @Override
  public void scale(Tensor t, float alpha) {
    kernels.elementwise.scale(data(t, "scale"), alpha);
  }

  @Override
  public void axpy(float alpha, Tensor x, Tensor y) {
    sameSize("axpy", x, y);
    kernels.elementwise.axpy(alpha, data(x, "axpy"), data(y, "axpy"));
  }

  @Override
  public void add(Tensor a, Tensor b, Tensor out) {
    sameSize("add", a, b, out);
    kernels.elementwise.add(data(a, "add"), data(b, "add"), data(out, "add"));
  }

  @Override
  public void multiply(Tensor a, Tensor b, Tensor out) {
    sameSize("multiply", a, b, out);
    kernels.elementwise.multiply(data(a, "multiply"), data(b, "multiply"), data(out, "multiply"));
  }

  @Override
  public void columnSums(Tensor x, float beta, Tensor out) {
    float[] dx = data(x, "columnSums");
    float[] dout = data(out, "columnSums");
    int cols = x.shape().cols();
    if (out.size() != cols) {
      throw new IllegalArgumentException(
          "columnSums: out " + out.shape() + " must have " + cols + " elements for x " + x.shape());
    }
    kernels.reductions.columnSums(dx, x.shape().rows(), cols, beta, dout);
  }

  @Override
  public void fillUniform(Tensor t, float low, float high, long seed, long stream) {
    kernels.elementwise.fillUniform(data(t, "fillUniform"), low, high, seed, stream);
  }

  // ---------------------------------------------------------------- activations

  @Override
  public void biasActivationForward(
      ActivationKind kind, float alpha, Tensor slopes, Tensor z, Tensor bias, Tensor out) {
    String op = "biasActivationForward(" + kind + ")";
    sameSize(op, z, out);
    float[] dz = data(z, op);
    float[] dout = data(out, op);
    int cols = z.shape().cols();
    if (dz == dout && kind != ActivationKind.LINEAR) {
      throw new IllegalArgumentException(
          op + ": out may alias z only for LINEAR, since z keeps the pre-activation");
    }
    float[] dbias = null;
    if (bias != null) {
      dbias = data(bias, op);
      if (bias.size() != cols) {
        throw new IllegalArgumentException(
            op + ": bias " + bias.shape() + " must have " + cols + " elements for z " + z.shape());
      }
    }
    float[] dslopes = slopes(kind, slopes, z, op);
    kernels.activations.biasForward(kind, alpha, dslopes, dz, dbias, dout, z.shape().rows(), cols);
  }

  @Override
  public void activationBackward(
      ActivationKind kind,
      float alpha,
      Tensor slopes,
      Tensor z,
      Tensor out,
      Tensor gradOut,
      Tensor gradIn) {
    String op = "activationBackward(" + kind + ")";
    sameSize(op, z, out, gradOut, gradIn);
    kernels.activations.backward(
        kind,
        alpha,
        slopes(kind, slopes, z, op),
        data(z, op),
        data(out, op),
        data(gradOut, op),
        data(gradIn, op),
        z.shape().cols());
  }

  @Override
  public void preluSlopeGradient(Tensor z, Tensor gradOut, float beta, Tensor gradSlopes) {
    String op = "preluSlopeGradient";
    sameSize(op, z, gradOut);
    int cols = z.shape().cols();
    if (gradSlopes.size() != cols) {
      throw new IllegalArgumentException(
          op + ": gradSlopes " + gradSlopes.shape() + " must have " + cols + " for z " + z.shape());
    }
    kernels.activations.preluSlopeGradient(
        data(z, op), data(gradOut, op), z.shape().rows(), cols, beta, data(gradSlopes, op));
  }

  @Override
  public void maxoutForward(Tensor z, int pieces, Tensor out, Tensor argmax) {
    String op = "maxoutForward";
    sameSize(op, out, argmax);
    int rows = z.shape().rows();
    int cols = out.shape().cols();
    if (pieces < 1 || z.shape().cols() != cols * pieces || out.shape().rows() != rows) {
      throw new IllegalArgumentException(
          op + ": z " + z.shape() + " with " + pieces + " pieces does not give out " + out.shape());
    }
    kernels.activations.maxoutForward(
        data(z, op), rows, cols, pieces, data(out, op), data(argmax, op));
  }

  @Override
  public void maxoutBackward(Tensor gradOut, Tensor argmax, int pieces, Tensor gradIn) {
    String op = "maxoutBackward";
    sameSize(op, gradOut, argmax);
    int rows = gradOut.shape().rows();
    int cols = gradOut.shape().cols();
    if (pieces < 1 || gradIn.shape().cols() != cols * pieces || gradIn.shape().rows() != rows) {
      throw new IllegalArgumentException(
          op
              + ": gradOut "
              + gradOut.shape()
              + " with "
              + pieces
              + " pieces does not give gradIn "
              + gradIn.shape());
    }
    kernels.activations.maxoutBackward(
        data(gradOut, op), data(argmax, op), rows, cols, pieces, data(gradIn, op));
  }

  // ---------------------------------------------------------------- dropout

  @Override
  public void dropoutForward(
      Tensor x, float keepProbability, long seed, long stream, Tensor mask, Tensor out) {
    String op = "dropoutForward";
    sameSize(op, x, mask, out);
    if (!(keepProbability > 0f && keepProbability <= 1f)) {
      throw new IllegalArgumentException(
          op + ": keep probability must be in (0, 1], got " + keepProbability);
    }
    kernels.dropout.forward(
        data(x, op), keepProbability, seed, stream, data(mask, op), data(out, op));
  }

  @Override
  public void dropoutBackward(Tensor gradOut, Tensor mask, Tensor gradIn) {
    String op = "dropoutBackward";
    sameSize(op, gradOut, mask, gradIn);
    kernels.dropout.backward(data(gradOut, op), data(mask, op), data(gradIn, op));
  }

  // ---------------------------------------------------------------- losses

  @Override
  public void softmax(Tensor logits, Tensor out) {
    sameSize("softmax", logits, out);
    kernels.losses.softmax(
        data(logits, "softmax"),
        logits.shape().rows(),
        logits.shape().cols(),
        data(out, "softmax"));
  }

  @Override
  public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor gradLogits, Tensor lossSum) {
    String op = "softmaxCrossEntropy";
    sameSize(op, logits, gradLogits);
    int rows = logits.shape().rows();
    if (labels.size() != rows) {
      throw new IllegalArgumentException(
          op + ": labels " + labels.shape() + " must hold one class per row of " + logits.shape());
    }
    float[] dloss = lossCell(lossSum, op);
    double loss =
        kernels.losses.softmaxCrossEntropy(
            data(logits, op), data(labels, op), data(gradLogits, op), rows, logits.shape().cols());
    dloss[0] += (float) loss;
  }

  @Override
  public void sigmoidBinaryCrossEntropy(
      Tensor logits, Tensor targets, Tensor gradLogits, Tensor lossSum) {
    String op = "sigmoidBinaryCrossEntropy";
    sameSize(op, logits, targets, gradLogits);
    float[] dloss = lossCell(lossSum, op);
    double loss =
        kernels.losses.sigmoidBinaryCrossEntropy(
            data(logits, op), data(targets, op), data(gradLogits, op));
    dloss[0] += (float) loss;
  }

  @Override
  public void meanSquaredError(Tensor predictions, Tensor targets, Tensor grad, Tensor lossSum) {
    String op = "meanSquaredError";
    sameSize(op, predictions, targets, grad);
    float[] dloss = lossCell(lossSum, op);
    double loss =
        kernels.losses.meanSquaredError(data(predictions, op), data(targets, op), data(grad, op));
    dloss[0] += (float) loss;
  }

  // ---------------------------------------------------------------- reductions

  @Override
  public float sum(Tensor t) {
    return kernels.reductions.sum(data(t, "sum"));
  }

  @Override
  public float squaredNorm(Tensor t) {
    return kernels.reductions.squaredNorm(data(t, "squaredNorm"));
  }

  @Override
  public void argmaxRows(Tensor x, Tensor out) {
    int rows = x.shape().rows();
    if (out.size() != rows) {
      throw new IllegalArgumentException(
          "argmaxRows: out " + out.shape() + " must have one element per row of " + x.shape());
    }
    kernels.reductions.argmaxRows(
        data(x, "argmaxRows"), rows, x.shape().cols(), data(out, "argmaxRows"));
  }

  @Override
  public void countCorrect(Tensor scores, Tensor labels, Tensor count) {
    String op = "countCorrect";
    int rows = scores.shape().rows();
    if (labels.size() != rows || count.size() < 1) {
      throw new IllegalArgumentException(
          op
              + ": labels "
              + labels.shape()
              + " must have one element per row of "
              + scores.shape()
              + " and count "
              + count.shape()
              + " at least one");
    }
    float[] dc = data(count, op);
    dc[0] +=
        (float)
            kernels.reductions.countCorrect(
                data(scores, op), data(labels, op), rows, scores.shape().cols());
  }

  // ---------------------------------------------------------------- batch normalization

  @Override
  public void batchNormForward(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float epsilon,
      boolean training,
      Tensor savedMean,
      Tensor savedInvStd,
      Tensor out) {
    String op = "batchNormForward";
    sameSize(op, x, out);
    int rows = x.shape().rows();
    int cols = x.shape().cols();
    perColumn(op, x, gamma, beta, runningMean, runningVar, savedMean, savedInvStd);
    if (training && rows < 2) {
      throw new IllegalArgumentException(
          op + ": training needs more than one row per feature to estimate a variance, got " + x);
    }
    BatchNormKernels.forward(
        parallel,
        data(x, op),
        data(gamma, op),
        data(beta, op),
        data(runningMean, op),
        data(runningVar, op),
        momentum,
        epsilon,
        training,
        data(savedMean, op),
        data(savedInvStd, op),
        data(out, op),
        rows,
        cols);
  }

  @Override
  public void batchNormBackward(
      Tensor x,
      Tensor gradOut,
      Tensor gamma,
      Tensor savedMean,
      Tensor savedInvStd,
      Tensor gradIn,
      Tensor gradGamma,
      Tensor gradBeta) {
    String op = "batchNormBackward";
    sameSize(op, x, gradOut, gradIn);
    perColumn(op, x, gamma, savedMean, savedInvStd, gradGamma, gradBeta);
    BatchNormKernels.backward(
        parallel,
        data(x, op),
        data(gradOut, op),
        data(gamma, op),
        data(savedMean, op),
        data(savedInvStd, op),
        data(gradIn, op),
        data(gradGamma, op),
        data(gradBeta, op),
        x.shape().rows(),
        x.shape().cols());
  }

  // ---------------------------------------------------------------- optimizer updates

  @Override
  public void sgdUpdate(
      Tensor param, Tensor grad, float learningRate, float l2, float weightDecay) {
    String op = "sgdUpdate";
    sameSize(op, param, grad);
    float[] p = data(param, op);
    float[] g = data(grad, op);
    kernels.optimizers.sgd(p, g, learningRate, l2, weightDecay);
  }

  @Override
  public void momentumUpdate(
      Tensor param,
      Tensor grad,
      Tensor velocity,
      float learningRate,
      float momentum,
      boolean nesterov,
      float l2,
      float weightDecay) {
    String op = "momentumUpdate";
    sameSize(op, param, grad, velocity);
    float[] p = data(param, op);
    float[] g = data(grad, op);
    float[] v = data(velocity, op);
    kernels.optimizers.momentum(p, g, v, learningRate, momentum, nesterov, l2, weightDecay);
  }

  @Override
  public void adaGradUpdate(
      Tensor param,
      Tensor grad,
      Tensor sumSquares,
      float learningRate,
      float epsilon,
      float l2,
      float weightDecay) {
    String op = "adaGradUpdate";
    sameSize(op, param, grad, sumSquares);
    float[] p = data(param, op);
    float[] g = data(grad, op);
    float[] s = data(sumSquares, op);
    kernels.optimizers.adaGrad(p, g, s, learningRate, epsilon, l2, weightDecay);
  }

  @Override
  public void rmsPropUpdate(
      Tensor param,
      Tensor grad,
      Tensor meanSquares,
      float learningRate,
      float rho,
      float epsilon,
      float l2,
      float weightDecay) {
    String op = "rmsPropUpdate";
    sameSize(op, param, grad, meanSquares);
    float[] p = data(param, op);
    float[] g = data(grad, op);
    float[] s = data(meanSquares, op);
    kernels.optimizers.rmsProp(p, g, s, learningRate, rho, epsilon, l2, weightDecay);
  }

  @Override
  public void adamUpdate(
      Tensor param,
      Tensor grad,
      Tensor m,
      Tensor v,
      float learningRate,
      float beta1,
      float beta2,
      float epsilon,
      int step,
      float l2,
      float weightDecay) {
    String op = "adamUpdate";
    sameSize(op, param, grad, m, v);
    if (step < 1) {
      throw new IllegalArgumentException(op + ": step must be at least 1, got " + step);
    }
    float[] p = data(param, op);
    float[] g = data(grad, op);
    float[] dm = data(m, op);
    float[] dv = data(v, op);
    kernels.optimizers.adam(
        p, g, dm, dv, learningRate, beta1, beta2, epsilon, step, l2, weightDecay);
  }

  @Override
  public void nadamUpdate(
      Tensor param,
      Tensor grad,
      Tensor m,
      Tensor v,
      float learningRate,
      float beta1,
      float beta2,
      float epsilon,
      float gradStep,
      float momentumStep,
      float biasCorrection2,
      float l2,
      float weightDecay) {
    String op = "nadamUpdate";
    sameSize(op, param, grad, m, v);
    float[] p = data(param, op);
    float[] g = data(grad, op);
    float[] dm = data(m, op);
    float[] dv = data(v, op);
    kernels.optimizers.nadam(
        p,
        g,
        dm,
        dv,
        learningRate,
        beta1,
        beta2,
        epsilon,
        gradStep,
        momentumStep,
        biasCorrection2,
        l2,
        weightDecay);
  }
}
