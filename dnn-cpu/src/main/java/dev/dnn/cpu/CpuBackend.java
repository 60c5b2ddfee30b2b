package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.AdaGradStep;
import dev.dnn.backend.AdamStep;
import dev.dnn.backend.KernelChecks;
import dev.dnn.backend.MomentumStep;
import dev.dnn.backend.NadamStep;
import dev.dnn.backend.RmsPropStep;
import dev.dnn.backend.SgdStep;
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
 *
 * <p>Safe for concurrent use ({@link #isThreadSafe()} is true): the array pool is synchronized,
 * kernels keep their scratch per thread or per call, and work from a second caller while the
 * workers are busy runs on that caller's thread.
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

  @Override
  FiniteCheck finiteCheck() {
    return kernels.finite;
  }

  /** Whether the Vector API kernels run (false: the plain-Java ones). */
  public boolean vectorized() {
    return kernels.path.vector() != null;
  }

  /** The value of {@value #THREADS_PROPERTY}, or the number of available processors. */
  public static int defaultThreads() {
    return ThreadCount.fromProperty(THREADS_PROPERTY);
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

  /**
   * True: tensors come from synchronized pools, kernels keep their scratch per thread or per call,
   * and work from a second caller while the workers are busy runs on that caller's thread.
   */
  @Override
  public boolean isThreadSafe() {
    return true;
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
    int k = KernelChecks.gemm(transposeA, transposeB, a, b, c);
    float[] da = data(a, "gemm", "A");
    CpuTensor tb = tensor(b, "gemm", "B");
    float[] dc = data(c, "gemm", "C");
    int m = c.shape().rows();
    int n = c.shape().cols();
    // A layer's weights multiplied unchanged again (predictions) are read from panels packed once.
    PackedB packed =
        transposeA || transposeB ? null : WeightPanels.lookup(kernels.gemm, tb, m, k, n);
    if (packed != null) {
      kernels.gemm.multiply(m, n, k, alpha, da, packed, beta, dc);
      return;
    }
    kernels.gemm.multiply(transposeA, transposeB, m, n, k, alpha, da, tb.readData(), beta, dc);
  }

  // ---------------------------------------------------------------- element-wise

  @Override
  public void fill(Tensor t, float value) {
    kernels.elementwise.fill(data(t, "fill", "t"), value);
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    KernelChecks.copy(src, dst);
    kernels.elementwise.copy(data(src, "copy", "src"), data(dst, "copy", "dst"));
  }

  @Override
  public void scale(Tensor t, float alpha) {
    kernels.elementwise.scale(data(t, "scale", "t"), alpha);
  }

  @Override
  public void axpy(float alpha, Tensor x, Tensor y) {
    KernelChecks.axpy(x, y);
    kernels.elementwise.axpy(alpha, data(x, "axpy", "x"), data(y, "axpy", "y"));
  }

  @Override
  public void add(Tensor a, Tensor b, Tensor out) {
    KernelChecks.add(a, b, out);
    kernels.elementwise.add(data(a, "add", "a"), data(b, "add", "b"), data(out, "add", "out"));
  }

  @Override
  public void multiply(Tensor a, Tensor b, Tensor out) {
    String op = "multiply";
    KernelChecks.multiply(a, b, out);
    kernels.elementwise.multiply(data(a, op, "a"), data(b, op, "b"), data(out, op, "out"));
  }

  @Override
  public void columnSums(Tensor x, float beta, Tensor out) {
    String op = "columnSums";
    KernelChecks.columnSums(x, out);
    kernels.reductions.columnSums(
        data(x, op, "x"), x.shape().rows(), x.shape().cols(), beta, data(out, op, "out"));
  }

  @Override
  public void fillUniform(Tensor t, float low, float high, long seed, long stream) {
    kernels.elementwise.fillUniform(data(t, "fillUniform", "t"), low, high, seed, stream);
  }

  // ---------------------------------------------------------------- activations

  @Override
  public void biasActivationForward(
      ActivationKind kind, float alpha, Tensor slopes, Tensor z, Tensor bias, Tensor out) {
    String op = KernelChecks.biasActivationForwardOp(kind);
    KernelChecks.biasActivationForward(op, kind, slopes, z, bias, out);
    kernels.activations.biasForward(
        kind,
        alpha,
        slopes(kind, slopes, op),
        data(z, op, "z"),
        bias == null ? null : readData(bias, op, "bias"),
        data(out, op, "out"),
        z.shape().rows(),
        z.shape().cols());
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
    String op = KernelChecks.activationBackwardOp(kind);
    KernelChecks.activationBackward(op, kind, slopes, z, out, gradOut, gradIn);
    kernels.activations.backward(
        kind,
        alpha,
        slopes(kind, slopes, op),
        data(z, op, "z"),
        data(out, op, "out"),
        data(gradOut, op, "gradOut"),
        data(gradIn, op, "gradIn"),
        z.shape().cols());
  }

  @Override
  public void preluSlopeGradient(Tensor z, Tensor gradOut, float beta, Tensor gradSlopes) {
    String op = "preluSlopeGradient";
    KernelChecks.preluSlopeGradient(z, gradOut, gradSlopes);
    kernels.activations.preluSlopeGradient(
        data(z, op, "z"),
        data(gradOut, op, "gradOut"),
        z.shape().rows(),
        z.shape().cols(),
        beta,
        data(gradSlopes, op, "gradSlopes"));
  }

  @Override
  public void maxoutForward(Tensor z, int pieces, Tensor out, Tensor argmax) {
    String op = "maxoutForward";
    int rows = KernelChecks.maxoutForward(z, pieces, out, argmax);
    kernels.activations.maxoutForward(
        data(z, op, "z"),
        rows,
        out.shape().cols(),
        pieces,
        data(out, op, "out"),
        data(argmax, op, "argmax"));
  }

  @Override
  public void maxoutBackward(Tensor gradOut, Tensor argmax, int pieces, Tensor gradIn) {
    String op = "maxoutBackward";
    int rows = KernelChecks.maxoutBackward(gradOut, argmax, pieces, gradIn);
    kernels.activations.maxoutBackward(
        data(gradOut, op, "gradOut"),
        data(argmax, op, "argmax"),
        rows,
        gradOut.shape().cols(),
        pieces,
        data(gradIn, op, "gradIn"));
  }

  /** The slopes array of a PReLU or RReLU (checked by KernelChecks); null for other kinds. */
  private float[] slopes(ActivationKind kind, Tensor slopes, String op) {
    return kind.usesSlopes() ? data(slopes, op, "slopes") : null;
  }

  // ---------------------------------------------------------------- dropout

  @Override
  public void dropoutForward(
      Tensor x, float keepProbability, long seed, long stream, Tensor mask, Tensor out) {
    String op = "dropoutForward";
    KernelChecks.dropoutForward(x, keepProbability, mask, out);
    kernels.dropout.forward(
        data(x, op, "x"),
        keepProbability,
        seed,
        stream,
        data(mask, op, "mask"),
        data(out, op, "out"));
  }

  @Override
  public void dropoutBackward(Tensor gradOut, Tensor mask, Tensor gradIn) {
    String op = "dropoutBackward";
    KernelChecks.dropoutBackward(gradOut, mask, gradIn);
    kernels.dropout.backward(
        data(gradOut, op, "gradOut"), data(mask, op, "mask"), data(gradIn, op, "gradIn"));
  }

  // ---------------------------------------------------------------- losses

  @Override
  public void softmax(Tensor logits, Tensor out) {
    String op = "softmax";
    KernelChecks.softmax(logits, out);
    kernels.losses.softmax(
        data(logits, op, "logits"),
        logits.shape().rows(),
        logits.shape().cols(),
        data(out, op, "out"));
  }

  @Override
  public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor gradLogits, Tensor lossSum) {
    String op = "softmaxCrossEntropy";
    KernelChecks.softmaxCrossEntropy(logits, labels, gradLogits, lossSum);
    float[] dloss = data(lossSum, op, "lossSum");
    double loss =
        kernels.losses.softmaxCrossEntropy(
            data(logits, op, "logits"),
            data(labels, op, "labels"),
            data(gradLogits, op, "gradLogits"),
            logits.shape().rows(),
            logits.shape().cols());
    dloss[0] += (float) loss;
  }

  @Override
  public void sigmoidBinaryCrossEntropy(
      Tensor logits, Tensor targets, Tensor gradLogits, Tensor lossSum) {
    String op = "sigmoidBinaryCrossEntropy";
    KernelChecks.sigmoidBinaryCrossEntropy(logits, targets, gradLogits, lossSum);
    float[] dloss = data(lossSum, op, "lossSum");
    double loss =
        kernels.losses.sigmoidBinaryCrossEntropy(
            data(logits, op, "logits"),
            data(targets, op, "targets"),
            data(gradLogits, op, "gradLogits"));
    dloss[0] += (float) loss;
  }

  @Override
  public void meanSquaredError(Tensor predictions, Tensor targets, Tensor grad, Tensor lossSum) {
    String op = "meanSquaredError";
    KernelChecks.meanSquaredError(predictions, targets, grad, lossSum);
    float[] dloss = data(lossSum, op, "lossSum");
    double loss =
        kernels.losses.meanSquaredError(
            data(predictions, op, "predictions"),
            data(targets, op, "targets"),
            data(grad, op, "grad"));
    dloss[0] += (float) loss;
  }

  // ---------------------------------------------------------------- reductions

  @Override
  public float sum(Tensor t) {
    return kernels.reductions.sum(data(t, "sum", "t"));
  }

  @Override
  public float squaredNorm(Tensor t) {
    return kernels.reductions.squaredNorm(data(t, "squaredNorm", "t"));
  }

  @Override
  public void argmaxRows(Tensor x, Tensor out) {
    String op = "argmaxRows";
    KernelChecks.argmaxRows(x, out);
    kernels.reductions.argmaxRows(
        data(x, op, "x"), x.shape().rows(), x.shape().cols(), data(out, op, "out"));
  }

  @Override
  public void countCorrect(Tensor scores, Tensor labels, Tensor count) {
    String op = "countCorrect";
    KernelChecks.countCorrect(scores, labels, count);
    float[] dc = data(count, op, "count");
    dc[0] +=
        (float)
            kernels.reductions.countCorrect(
                data(scores, op, "scores"),
                data(labels, op, "labels"),
                scores.shape().rows(),
                scores.shape().cols());
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
    KernelChecks.batchNormForward(
        x, gamma, beta, runningMean, runningVar, training, savedMean, savedInvStd, out);
    kernels.batchNorm.forward(
        data(x, op, "x"),
        data(gamma, op, "gamma"),
        data(beta, op, "beta"),
        data(runningMean, op, "runningMean"),
        data(runningVar, op, "runningVar"),
        momentum,
        epsilon,
        training,
        // Inference leaves the saved statistics alone, and may pass none.
        training ? data(savedMean, op, "savedMean") : null,
        training ? data(savedInvStd, op, "savedInvStd") : null,
        data(out, op, "out"),
        x.shape().rows(),
        x.shape().cols());
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
    KernelChecks.batchNormBackward(
        x, gradOut, gamma, savedMean, savedInvStd, gradIn, gradGamma, gradBeta);
    kernels.batchNorm.backward(
        data(x, op, "x"),
        data(gradOut, op, "gradOut"),
        data(gamma, op, "gamma"),
        data(savedMean, op, "savedMean"),
        data(savedInvStd, op, "savedInvStd"),
        data(gradIn, op, "gradIn"),
        data(gradGamma, op, "gradGamma"),
        data(gradBeta, op, "gradBeta"),
        x.shape().rows(),
        x.shape().cols());
  }

  // ---------------------------------------------------------------- optimizer updates

  @Override
  public void sgdUpdate(Tensor param, Tensor grad, SgdStep step) {
    String op = "sgdUpdate";
    KernelChecks.sgdUpdate(param, grad, step);
    float[] p = data(param, op, "param");
    float[] g = data(grad, op, "grad");
    kernels.optimizers.sgd(p, g, step);
  }

  @Override
  public void momentumUpdate(Tensor param, Tensor grad, Tensor velocity, MomentumStep step) {
    String op = "momentumUpdate";
    KernelChecks.momentumUpdate(param, grad, velocity, step);
    float[] p = data(param, op, "param");
    float[] g = data(grad, op, "grad");
    float[] v = data(velocity, op, "velocity");
    kernels.optimizers.momentum(p, g, v, step);
  }

  @Override
  public void adaGradUpdate(Tensor param, Tensor grad, Tensor sumSquares, AdaGradStep step) {
    String op = "adaGradUpdate";
    KernelChecks.adaGradUpdate(param, grad, sumSquares, step);
    float[] p = data(param, op, "param");
    float[] g = data(grad, op, "grad");
    float[] s = data(sumSquares, op, "sumSquares");
    kernels.optimizers.adaGrad(p, g, s, step);
  }

  @Override
  public void rmsPropUpdate(Tensor param, Tensor grad, Tensor meanSquares, RmsPropStep step) {
    String op = "rmsPropUpdate";
    KernelChecks.rmsPropUpdate(param, grad, meanSquares, step);
    float[] p = data(param, op, "param");
    float[] g = data(grad, op, "grad");
    float[] s = data(meanSquares, op, "meanSquares");
    kernels.optimizers.rmsProp(p, g, s, step);
  }

  @Override
  public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
    String op = "adamUpdate";
    KernelChecks.adamUpdate(param, grad, m, v, step);
    float[] p = data(param, op, "param");
    float[] g = data(grad, op, "grad");
    float[] dm = data(m, op, "m");
    float[] dv = data(v, op, "v");
    kernels.optimizers.adam(p, g, dm, dv, step);
  }

  @Override
  public void nadamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, NadamStep step) {
    String op = "nadamUpdate";
    KernelChecks.nadamUpdate(param, grad, m, v, step);
    float[] p = data(param, op, "param");
    float[] g = data(grad, op, "grad");
    float[] dm = data(m, op, "m");
    float[] dv = data(v, op, "v");
    kernels.optimizers.nadam(p, g, dm, dv, step);
  }
}
