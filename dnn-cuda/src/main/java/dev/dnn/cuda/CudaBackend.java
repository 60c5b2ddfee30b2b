package dev.dnn.cuda;

import static dev.dnn.backend.KernelChecks.expectScalar;
import static dev.dnn.backend.KernelChecks.expectSize;
import static dev.dnn.backend.KernelChecks.maxout;
import static dev.dnn.backend.KernelChecks.sameSize;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.backend.MemoryStats;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * The kernel contract on an NVIDIA GPU. All work is queued on one non-blocking stream: GEMMs
 * through cuBLAS (one handle bound to the stream), everything else through the kernels of {@code
 * native/include/dnn_kernels.h}. Device memory comes from a caching {@link MemoryPool}. Only the
 * methods that return a host value or copy to the host wait for the stream. The device itself is
 * reached through a {@link DeviceRuntime}, so that the same code also runs, for testing, on the
 * host emulator of {@link HostEmulatorProvider}.
 *
 * <p>Not thread-safe: use one backend from one thread at a time, as the model and trainer do. On a
 * device other than 0, issue operations from the thread that created the backend (the CUDA runtime
 * keeps the current device per thread).
 */
public final class CudaBackend implements Backend {
  private final DeviceRuntime runtime;
  private final MemoryPool pool;
  private final long streamAddress;
  private final CudaTensor scalar; // device scratch for sum and squaredNorm
  // The kernels' scratch for one total per launch (sums and loss sums): zeroed once, and left
  // ready for the next launch by each one. The one stream keeps launches from sharing it at once.
  private final CudaTensor reductionScratch;
  // Device int: 1 + the first row whose label softmaxCrossEntropy rejected, 0 when none.
  private final CudaTensor badLabelRow;
  private final IntPointer hostBadLabelRow = new IntPointer(1L);
  private int pendingLabelClasses; // > 0 while a softmaxCrossEntropy awaits its label check
  private FloatPointer staging = new FloatPointer(1024L);
  private boolean closed;

  /**
   * Opens a backend on {@code device}.
   *
   * @param allowTf32 let cuBLAS round GEMM inputs to TF32 on tensor cores (faster on Ampere and
   *     later, about 3 decimal digits of precision); false keeps full float32 GEMMs
   */
  public CudaBackend(int device, boolean allowTf32) {
    this(openCuda(device, allowTf32));
  }

  private static DeviceRuntime openCuda(int device, boolean allowTf32) {
    KernelLibrary.bindCuda();
    return new CudaRuntime(device, allowTf32);
  }

  /** A backend on {@code runtime}, whose kernels library must already be bound; takes it over. */
  CudaBackend(DeviceRuntime runtime) {
    this.runtime = runtime;
    this.pool = new MemoryPool(runtime);
    this.streamAddress = runtime.stream();
    try {
      // The kernels library links its own runtime, with its own notion of the current device.
      CudaException.checkCuda(
          DnnKernels.setDevice(runtime.device()), "dnn_set_device(" + runtime.device() + ")");
      this.scalar = new CudaTensor(this, pool, Shape.vector(1));
      this.badLabelRow = new CudaTensor(this, pool, Shape.vector(1));
      runtime.memset(badLabelRow.address(), 0, Integer.BYTES);
      this.reductionScratch =
          new CudaTensor(this, pool, Shape.vector(DnnKernels.REDUCTION_SCRATCH_FLOATS));
      runtime.memset(
          reductionScratch.address(), 0, (long) DnnKernels.REDUCTION_SCRATCH_FLOATS * Float.BYTES);
    } catch (RuntimeException | Error e) {
      // What was created before the failure (stream, cuBLAS handle, pool blocks, host buffers)
      // would otherwise leak: the caller never gets an object to close.
      releaseAll(e);
      throw e;
    }
  }

  // ---------------------------------------------------------------- identity and memory

  /** {@code cuda}, or {@code cuda-emulator} on the host emulator. */
  @Override
  public String name() {
    return runtime.backendName();
  }

  @Override
  public String description() {
    return runtime.description();
  }

  /** The device ordinal this backend runs on. */
  public int device() {
    return runtime.device();
  }

  /** Whether GEMMs may use TF32 tensor cores. */
  public boolean tf32() {
    return runtime.tf32();
  }

  @Override
  public Tensor zeros(Shape shape) {
    CudaTensor t = allocate(shape);
    fill(t, 0f);
    return t;
  }

  @Override
  public Tensor fromHost(float[] data, Shape shape) {
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(
          "fromHost: " + data.length + " floats for shape " + shape + " of " + shape.size());
    }
    CudaTensor t = allocate(shape);
    copyFromHost(data, 0, t);
    return t;
  }

  @Override
  public void copyFromHost(float[] src, int srcOffset, Tensor dst) {
    long address = address(dst, "copyFromHost", "dst");
    int n = dst.size();
    if (srcOffset < 0 || (long) srcOffset + n > src.length) {
      throw new IllegalArgumentException(
          "copyFromHost: "
              + n
              + " floats from offset "
              + srcOffset
              + " exceed the host array of "
              + src.length);
    }
    if (n == 0) {
      return;
    }
    FloatPointer host = staging(n);
    host.position(0).put(src, srcOffset, n);
    runtime.copyToDevice(host, address, (long) n * Float.BYTES);
    synchronize(); // the staging buffer is reused by the next copy
  }

  @Override
  public void copyToHost(Tensor src, float[] dst, int dstOffset) {
    long address = address(src, "copyToHost", "src");
    int n = src.size();
    if (dstOffset < 0 || (long) dstOffset + n > dst.length) {
      throw new IllegalArgumentException(
          "copyToHost: "
              + n
              + " floats to offset "
              + dstOffset
              + " exceed the host array of "
              + dst.length);
    }
    if (n == 0) {
      return;
    }
    FloatPointer host = staging(n);
    runtime.copyToHost(address, host.position(0), (long) n * Float.BYTES);
    synchronize();
    host.position(0).get(dst, dstOffset, n);
  }

  @Override
  public void synchronize() {
    ensureOpen();
    runtime.synchronize();
    pool.throwIfOverrun();
    if (pendingLabelClasses > 0) {
      checkLabels();
    }
  }

  /**
   * Reports a label that an earlier softmaxCrossEntropy found outside the classes. The kernel
   * cannot throw, so it flags the row on the device and the next wait for the stream reads it.
   */
  private void checkLabels() {
    int classes = pendingLabelClasses;
    pendingLabelClasses = 0;
    long flag = badLabelRow.address();
    runtime.copyToHost(flag, hostBadLabelRow, Integer.BYTES);
    runtime.synchronize();
    int row = hostBadLabelRow.get(0);
    if (row != 0) {
      runtime.memset(flag, 0, Integer.BYTES);
      throw new IllegalArgumentException(
          "softmaxCrossEntropy: the label of row "
              + (row - 1)
              + " is not a class index in [0, "
              + classes
              + ") (the loss of that row is NaN)");
    }
  }

  @Override
  public MemoryStats memoryStats() {
    return pool.stats();
  }

  /** Returns the cached, unused device blocks to the driver. */
  public void emptyCache() {
    synchronize();
    pool.emptyCache();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    // Queued kernels may still use the blocks freed below; a failure here is also the last chance
    // to report an asynchronous kernel error instead of dropping it.
    RuntimeException failure = null;
    try {
      runtime.synchronize();
    } catch (RuntimeException e) {
      failure = e;
    }
    releaseAll(failure);
    if (failure != null) {
      throw failure;
    }
    pool.throwIfOverrun(); // tensors still open were checked as their blocks were freed
  }

  /**
   * Frees every resource that exists, each step attempted even if an earlier one failed; a failure
   * is added to {@code failure} as suppressed, or thrown if there is no {@code failure} to add to.
   */
  private void releaseAll(Throwable failure) {
    closed = true;
    Throwable[] first = {failure};
    attempt(first, pool::freeAll);
    attempt(first, runtime::close);
    staging.close();
    hostBadLabelRow.close();
    if (failure == null && first[0] != null) {
      throw (RuntimeException) first[0];
    }
  }

  private static void attempt(Throwable[] first, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      if (first[0] == null) {
        first[0] = e;
      } else {
        first[0].addSuppressed(e);
      }
    }
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
    long pa = address(a, "gemm", "A");
    long pb = address(b, "gemm", "B");
    long pc = address(c, "gemm", "C");
    int m = transposeA ? a.shape().cols() : a.shape().rows();
    int k = transposeA ? a.shape().rows() : a.shape().cols();
    int kb = transposeB ? b.shape().cols() : b.shape().rows();
    int n = transposeB ? b.shape().rows() : b.shape().cols();
    if (k != kb || c.shape().rows() != m || c.shape().cols() != n) {
      throw new IllegalArgumentException(
          "gemm: op(A) of "
              + a.shape()
              + (transposeA ? "^T" : "")
              + " times op(B) of "
              + b.shape()
              + (transposeB ? "^T" : "")
              + " does not fit C of "
              + c.shape());
    }
    if (c == a || c == b) {
      // cuBLAS reads A and B while it writes C: an aliased C gives silently wrong results.
      throw new IllegalArgumentException("gemm: C must not alias A or B");
    }
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) { // an empty product: C = beta * C
      if (beta == 0f) {
        fill(c, 0f);
      } else {
        scale(c, beta);
      }
      return;
    }
    // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap the operands.
    runtime.gemm(
        transposeB,
        transposeA,
        n,
        m,
        k,
        alpha,
        pb,
        b.shape().cols(),
        pa,
        a.shape().cols(),
        beta,
        pc,
        n);
  }

  // ---------------------------------------------------------------- element-wise

  @Override
  public void fill(Tensor t, float value) {
    launch(DnnKernels.fill(address(t, "fill", "t"), t.size(), value, streamAddress), "fill");
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    sameSize("copy", src, dst);
    launch(
        DnnKernels.copy(
            address(src, "copy", "src"), address(dst, "copy", "dst"), src.size(), streamAddress),
        "copy");
  }

  @Override
  public void scale(Tensor t, float alpha) {
    launch(DnnKernels.scale(address(t, "scale", "t"), t.size(), alpha, streamAddress), "scale");
  }

  @Override
  public void axpy(float alpha, Tensor x, Tensor y) {
    sameSize("axpy", x, y);
    launch(
        DnnKernels.axpy(
            alpha, address(x, "axpy", "x"), address(y, "axpy", "y"), x.size(), streamAddress),
        "axpy");
  }

  @Override
  public void add(Tensor a, Tensor b, Tensor out) {
    sameSize("add", a, b);
    sameSize("add", a, out);
    launch(
        DnnKernels.add(
            address(a, "add", "a"),
            address(b, "add", "b"),
            address(out, "add", "out"),
            a.size(),
            streamAddress),
        "add");
  }

  @Override
  public void multiply(Tensor a, Tensor b, Tensor out) {
    sameSize("multiply", a, b);
    sameSize("multiply", a, out);
    launch(
        DnnKernels.multiply(
            address(a, "multiply", "a"),
            address(b, "multiply", "b"),
            address(out, "multiply", "out"),
            a.size(),
            streamAddress),
        "multiply");
  }

  @Override
  public void columnSums(Tensor x, float beta, Tensor out) {
    int rows = x.shape().rows();
    int cols = x.shape().cols();
    expectSize("columnSums", "out", out, cols, x);
    launch(
        DnnKernels.columnSums(
            address(x, "columnSums", "x"),
            rows,
            cols,
            beta,
            address(out, "columnSums", "out"),
            streamAddress),
        "columnSums");
  }

  @Override
  public void fillUniform(Tensor t, float low, float high, long seed, long stream) {
    launch(
        DnnKernels.fillUniform(
            address(t, "fillUniform", "t"), t.size(), low, high, seed, stream, streamAddress),
        "fillUniform");
  }

  // ---------------------------------------------------------------- activations

  @Override
  public void biasActivationForward(
      ActivationKind kind, float alpha, Tensor slopes, Tensor z, Tensor bias, Tensor out) {
    String op = "biasActivationForward(" + kind + ")";
    sameSize(op, z, out);
    if (out == z && kind != ActivationKind.LINEAR) {
      throw new IllegalArgumentException(op + ": out may alias z only for LINEAR");
    }
    int rows = z.shape().rows();
    int cols = z.shape().cols();
    if (bias != null) {
      expectSize(op, "bias", bias, cols, z);
    }
    long slopesAddress = slopes(op, kind, slopes, z);
    launch(
        DnnKernels.biasActivationForward(
            kind.code(),
            alpha,
            slopesAddress,
            address(z, op, "z"),
            bias == null ? 0L : address(bias, op, "bias"),
            address(out, op, "out"),
            rows,
            cols,
            streamAddress),
        op);
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
    sameSize(op, z, out);
    sameSize(op, z, gradOut);
    sameSize(op, z, gradIn);
    long slopesAddress = slopes(op, kind, slopes, z);
    launch(
        DnnKernels.activationBackward(
            kind.code(),
            alpha,
            slopesAddress,
            address(z, op, "z"),
            address(out, op, "out"),
            address(gradOut, op, "gradOut"),
            address(gradIn, op, "gradIn"),
            z.shape().rows(),
            z.shape().cols(),
            streamAddress),
        op);
  }

  @Override
  public void preluSlopeGradient(Tensor z, Tensor gradOut, float beta, Tensor gradSlopes) {
    String op = "preluSlopeGradient";
    sameSize(op, z, gradOut);
    expectSize(op, "gradSlopes", gradSlopes, z.shape().cols(), z);
    launch(
        DnnKernels.preluSlopeGradient(
            address(z, op, "z"),
            address(gradOut, op, "gradOut"),
            z.shape().rows(),
            z.shape().cols(),
            beta,
            address(gradSlopes, op, "gradSlopes"),
            streamAddress),
        op);
  }

  @Override
  public void maxoutForward(Tensor z, int pieces, Tensor out, Tensor argmax) {
    String op = "maxoutForward";
    int rows = maxout(op, z, pieces, out);
    sameSize(op, out, argmax);
    launch(
        DnnKernels.maxoutForward(
            address(z, op, "z"),
            rows,
            out.shape().cols(),
            pieces,
            address(out, op, "out"),
            address(argmax, op, "argmax"),
            streamAddress),
        op);
  }

  @Override
  public void maxoutBackward(Tensor gradOut, Tensor argmax, int pieces, Tensor gradIn) {
    String op = "maxoutBackward";
    int rows = maxout(op, gradIn, pieces, gradOut);
    sameSize(op, gradOut, argmax);
    launch(
        DnnKernels.maxoutBackward(
            address(gradOut, op, "gradOut"),
            address(argmax, op, "argmax"),
            rows,
            gradOut.shape().cols(),
            pieces,
            address(gradIn, op, "gradIn"),
            streamAddress),
        op);
  }

  // ---------------------------------------------------------------- dropout

  @Override
  public void dropoutForward(
      Tensor x, float keepProbability, long seed, long stream, Tensor mask, Tensor out) {
    String op = "dropoutForward";
    if (!(keepProbability > 0f && keepProbability <= 1f)) {
      throw new IllegalArgumentException(
          op + ": keep probability " + keepProbability + " is not in (0, 1]");
    }
    sameSize(op, x, mask);
    sameSize(op, x, out);
    launch(
        DnnKernels.dropoutForward(
            address(x, op, "x"),
            x.size(),
            keepProbability,
            seed,
            stream,
            address(mask, op, "mask"),
            address(out, op, "out"),
            streamAddress),
        op);
  }

  @Override
  public void dropoutBackward(Tensor gradOut, Tensor mask, Tensor gradIn) {
    String op = "dropoutBackward";
    sameSize(op, gradOut, mask);
    sameSize(op, gradOut, gradIn);
    launch(
        DnnKernels.dropoutBackward(
            address(gradOut, op, "gradOut"),
            address(mask, op, "mask"),
            address(gradIn, op, "gradIn"),
            gradOut.size(),
            streamAddress),
        op);
  }

  // ---------------------------------------------------------------- losses

  @Override
  public void softmax(Tensor logits, Tensor out) {
    sameSize("softmax", logits, out);
    launch(
        DnnKernels.softmax(
            address(logits, "softmax", "logits"),
            address(out, "softmax", "out"),
            logits.shape().rows(),
            logits.shape().cols(),
            streamAddress),
        "softmax");
  }

  @Override
  public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor gradLogits, Tensor lossSum) {
    String op = "softmaxCrossEntropy";
    sameSize(op, logits, gradLogits);
    expectSize(op, "labels", labels, logits.shape().rows(), logits);
    expectScalar(op, "lossSum", lossSum);
    launch(
        DnnKernels.softmaxCrossEntropy(
            address(logits, op, "logits"),
            address(labels, op, "labels"),
            address(gradLogits, op, "gradLogits"),
            address(lossSum, op, "lossSum"),
            badLabelRow.address(),
            logits.shape().rows(),
            logits.shape().cols(),
            reductionScratch.address(),
            streamAddress),
        op);
    pendingLabelClasses = Math.max(pendingLabelClasses, logits.shape().cols());
  }

  @Override
  public void sigmoidBinaryCrossEntropy(
      Tensor logits, Tensor targets, Tensor gradLogits, Tensor lossSum) {
    String op = "sigmoidBinaryCrossEntropy";
    sameSize(op, logits, targets);
    sameSize(op, logits, gradLogits);
    expectScalar(op, "lossSum", lossSum);
    launch(
        DnnKernels.sigmoidBinaryCrossEntropy(
            address(logits, op, "logits"),
            address(targets, op, "targets"),
            address(gradLogits, op, "gradLogits"),
            address(lossSum, op, "lossSum"),
            logits.size(),
            reductionScratch.address(),
            streamAddress),
        op);
  }

  @Override
  public void meanSquaredError(Tensor predictions, Tensor targets, Tensor grad, Tensor lossSum) {
    String op = "meanSquaredError";
    sameSize(op, predictions, targets);
    sameSize(op, predictions, grad);
    expectScalar(op, "lossSum", lossSum);
    launch(
        DnnKernels.meanSquaredError(
            address(predictions, op, "predictions"),
            address(targets, op, "targets"),
            address(grad, op, "grad"),
            address(lossSum, op, "lossSum"),
            predictions.size(),
            reductionScratch.address(),
            streamAddress),
        op);
  }

  // ---------------------------------------------------------------- reductions

  @Override
  public float sum(Tensor t) {
    launch(
        DnnKernels.sum(
            address(t, "sum", "t"),
            t.size(),
            scalar.address(),
            reductionScratch.address(),
            streamAddress),
        "sum");
    return readScalar();
  }

  @Override
  public float squaredNorm(Tensor t) {
    launch(
        DnnKernels.squaredNorm(
            address(t, "squaredNorm", "t"),
            t.size(),
            scalar.address(),
            reductionScratch.address(),
            streamAddress),
        "squaredNorm");
    return readScalar();
  }

  @Override
  public void argmaxRows(Tensor x, Tensor out) {
    expectSize("argmaxRows", "out", out, x.shape().rows(), x);
    launch(
        DnnKernels.argmaxRows(
            address(x, "argmaxRows", "x"),
            x.shape().rows(),
            x.shape().cols(),
            address(out, "argmaxRows", "out"),
            streamAddress),
        "argmaxRows");
  }

  @Override
  public void countCorrect(Tensor scores, Tensor labels, Tensor count) {
    String op = "countCorrect";
    expectSize(op, "labels", labels, scores.shape().rows(), scores);
    expectScalar(op, "count", count);
    launch(
        DnnKernels.countCorrect(
            address(scores, op, "scores"),
            address(labels, op, "labels"),
            scores.shape().rows(),
            scores.shape().cols(),
            address(count, op, "count"),
            streamAddress),
        op);
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
    int n = x.shape().rows();
    int c = x.shape().cols();
    sameSize(op, x, out);
    expectSize(op, "gamma", gamma, c, x);
    expectSize(op, "beta", beta, c, x);
    expectSize(op, "runningMean", runningMean, c, x);
    expectSize(op, "runningVar", runningVar, c, x);
    if (training) {
      expectSize(op, "savedMean", savedMean, c, x);
      expectSize(op, "savedInvStd", savedInvStd, c, x);
      if (n < 2) {
        // As the CPU backend: the kernel would return without writing out for 0 rows, and the
        // running variance of 1 row has no unbiased estimate.
        throw new IllegalArgumentException(
            op + ": training needs more than one row per feature to estimate a variance, got " + x);
      }
      launch(
          DnnKernels.batchNormForwardTraining(
              address(x, op, "x"),
              n,
              c,
              address(gamma, op, "gamma"),
              address(beta, op, "beta"),
              address(runningMean, op, "runningMean"),
              address(runningVar, op, "runningVar"),
              momentum,
              epsilon,
              address(savedMean, op, "savedMean"),
              address(savedInvStd, op, "savedInvStd"),
              address(out, op, "out"),
              streamAddress),
          op);
    } else {
      launch(
          DnnKernels.batchNormForwardInference(
              address(x, op, "x"),
              n,
              c,
              address(gamma, op, "gamma"),
              address(beta, op, "beta"),
              address(runningMean, op, "runningMean"),
              address(runningVar, op, "runningVar"),
              epsilon,
              address(out, op, "out"),
              streamAddress),
          op);
    }
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
    int n = x.shape().rows();
    int c = x.shape().cols();
    sameSize(op, x, gradOut);
    sameSize(op, x, gradIn);
    expectSize(op, "gamma", gamma, c, x);
    expectSize(op, "savedMean", savedMean, c, x);
    expectSize(op, "savedInvStd", savedInvStd, c, x);
    expectSize(op, "gradGamma", gradGamma, c, x);
    expectSize(op, "gradBeta", gradBeta, c, x);
    launch(
        DnnKernels.batchNormBackward(
            address(x, op, "x"),
            address(gradOut, op, "gradOut"),
            n,
            c,
            address(gamma, op, "gamma"),
            address(savedMean, op, "savedMean"),
            address(savedInvStd, op, "savedInvStd"),
            address(gradIn, op, "gradIn"),
            address(gradGamma, op, "gradGamma"),
            address(gradBeta, op, "gradBeta"),
            streamAddress),
        op);
  }

  // ---------------------------------------------------------------- optimizer updates

  @Override
  public void sgdUpdate(
      Tensor param, Tensor grad, float learningRate, float l2, float weightDecay) {
    String op = "sgdUpdate";
    sameSize(op, param, grad);
    launch(
        DnnKernels.sgdUpdate(
            address(param, op, "param"),
            address(grad, op, "grad"),
            param.size(),
            learningRate,
            l2,
            weightDecay,
            streamAddress),
        op);
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
    sameSize(op, param, grad);
    sameSize(op, param, velocity);
    launch(
        DnnKernels.momentumUpdate(
            address(param, op, "param"),
            address(grad, op, "grad"),
            address(velocity, op, "velocity"),
            param.size(),
            learningRate,
            momentum,
            nesterov ? 1 : 0,
            l2,
            weightDecay,
            streamAddress),
        op);
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
    sameSize(op, param, grad);
    sameSize(op, param, sumSquares);
    launch(
        DnnKernels.adaGradUpdate(
            address(param, op, "param"),
            address(grad, op, "grad"),
            address(sumSquares, op, "sumSquares"),
            param.size(),
            learningRate,
            epsilon,
            l2,
            weightDecay,
            streamAddress),
        op);
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
    sameSize(op, param, grad);
    sameSize(op, param, meanSquares);
    launch(
        DnnKernels.rmsPropUpdate(
            address(param, op, "param"),
            address(grad, op, "grad"),
            address(meanSquares, op, "meanSquares"),
            param.size(),
            learningRate,
            rho,
            epsilon,
            l2,
            weightDecay,
            streamAddress),
        op);
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
    if (step < 1) {
      throw new IllegalArgumentException(op + ": step " + step + " must be at least 1");
    }
    sameSize(op, param, grad);
    sameSize(op, param, m);
    sameSize(op, param, v);
    float biasCorrection1 = (float) (1.0 - Math.pow(beta1, step));
    float biasCorrection2 = (float) (1.0 - Math.pow(beta2, step));
    launch(
        DnnKernels.adamUpdate(
            address(param, op, "param"),
            address(grad, op, "grad"),
            address(m, op, "m"),
            address(v, op, "v"),
            param.size(),
            learningRate,
            beta1,
            beta2,
            epsilon,
            biasCorrection1,
            biasCorrection2,
            l2,
            weightDecay,
            streamAddress),
        op);
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
    sameSize(op, param, grad);
    sameSize(op, param, m);
    sameSize(op, param, v);
    launch(
        DnnKernels.nadamUpdate(
            address(param, op, "param"),
            address(grad, op, "grad"),
            address(m, op, "m"),
            address(v, op, "v"),
            param.size(),
            learningRate,
            beta1,
            beta2,
            epsilon,
            gradStep,
            momentumStep,
            biasCorrection2,
            l2,
            weightDecay,
            streamAddress),
        op);
  }

  // ---------------------------------------------------------------- helpers

  private CudaTensor allocate(Shape shape) {
    ensureOpen();
    return new CudaTensor(this, pool, shape);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the CUDA backend is closed");
    }
  }

  /** The device address of a tensor of this backend, or a clear error naming the operand. */
  private long address(Tensor t, String op, String operand) {
    ensureOpen();
    if (t == null) {
      throw new IllegalArgumentException(op + ": " + operand + " is null");
    }
    if (!(t instanceof CudaTensor cuda) || cuda.backend() != this) {
      throw new IllegalArgumentException(
          op + ": " + operand + " " + t + " does not belong to this CUDA backend");
    }
    if (cuda.isClosed()) {
      throw new IllegalArgumentException(op + ": " + operand + " " + t.shape() + " is closed");
    }
    return cuda.address();
  }

  private static void launch(int status, String op) {
    CudaException.checkCuda(status, op + " kernel launch");
  }

  private long slopes(String op, ActivationKind kind, Tensor slopes, Tensor z) {
    if (kind == ActivationKind.PRELU) {
      expectSize(op, "slopes", slopes, z.shape().cols(), z);
    } else if (kind == ActivationKind.RRELU) {
      expectSize(op, "slopes", slopes, z.size(), z);
    } else {
      return 0L;
    }
    return address(slopes, op, "slopes");
  }

  private float readScalar() {
    float[] value = new float[1];
    copyToHost(scalar, value, 0);
    return value[0];
  }

  /** A host staging buffer of at least n floats, grown (never shrunk) on demand. */
  private FloatPointer staging(int n) {
    if (staging.capacity() < n) {
      // Allocate before closing: if the allocation fails, the old buffer must stay usable rather
      // than leave a freed pointer in the field for the next copy to write through.
      FloatPointer larger = new FloatPointer(Math.max((long) n, staging.capacity() * 2));
      staging.close();
      staging = larger;
    }
    return staging;
  }
}
