package dev.dnn.cuda;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.AdaGradStep;
import dev.dnn.backend.AdamStep;
import dev.dnn.backend.Backend;
import dev.dnn.backend.KernelChecks;
import dev.dnn.backend.MemoryStats;
import dev.dnn.backend.MomentumStep;
import dev.dnn.backend.NadamStep;
import dev.dnn.backend.RmsPropStep;
import dev.dnn.backend.SgdStep;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;

/**
 * The kernel contract on an NVIDIA GPU. All work is queued on one non-blocking stream: GEMMs
 * through cuBLAS (one handle bound to the stream), everything else through the kernels of {@code
 * native/include/dnn_kernels.h}. Device memory comes from a caching {@link MemoryPool}. Only the
 * methods that return a host value or copy to the host wait for the stream. The device itself is
 * reached through a {@link DeviceRuntime}, so that the same code also runs, for testing, on the
 * host emulator of {@link HostEmulatorProvider}.
 *
 * <p>This class keeps the life cycle and hands each op to the class of its family: {@link
 * CublasGemm}, and the launchers of {@code native/src/*.cu} ({@link ElementwiseLaunches}, {@link
 * ActivationLaunches}, {@link LossLaunches}, {@link ReductionLaunches}, {@link BatchNormLaunches},
 * {@link OptimizerLaunches}), each of which checks its arguments with {@link KernelChecks} and the
 * status of every launch; copies to and from the host go through {@link HostTransfers}.
 *
 * <p>Not thread-safe ({@link #isThreadSafe()} is false): threads share one backend by taking turns
 * on its monitor ({@code synchronized (backend)}), as a model's predictions and a trainer's steps
 * do. On a device other than 0, issue operations from the thread that created the backend (the CUDA
 * runtime keeps the current device per thread).
 */
public final class CudaBackend implements Backend {
  private final DeviceRuntime runtime;
  private final MemoryPool pool;
  private final DeviceContext device;
  private final ElementwiseLaunches elementwise;
  private final CublasGemm gemm;
  private final ActivationLaunches activations;
  private final BatchNormLaunches batchNorm;
  private final OptimizerLaunches optimizers;
  // The fields below hold native memory: null until created, and each freed by releaseAll.
  private final HostTransfers transfers;
  private final CudaTensor scalar; // device result of sum and squaredNorm
  // The kernels' scratch for one total per launch (sums and loss sums): zeroed once, and left
  // ready for the next launch by each one. The one stream keeps launches from sharing it at once.
  private final CudaTensor reductionScratch;
  private final CudaTensor badLabelRow; // see LossLaunches; held here so the block stays live
  private final LossLaunches losses;
  private final ReductionLaunches reductions;

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
    this.device = new DeviceContext(this, runtime);
    this.elementwise = new ElementwiseLaunches(device);
    this.gemm = new CublasGemm(device, elementwise);
    this.activations = new ActivationLaunches(device);
    this.batchNorm = new BatchNormLaunches(device);
    this.optimizers = new OptimizerLaunches(device);
    try {
      // The kernels library links its own runtime, with its own notion of the current device.
      CudaException.checkCuda(
          DnnKernels.setDevice(runtime.device()), "dnn_set_device(" + runtime.device() + ")");
      this.transfers = new HostTransfers(device, this::synchronize);
      this.scalar = new CudaTensor(this, pool, Shape.vector(1));
      this.badLabelRow = new CudaTensor(this, pool, Shape.vector(1));
      this.reductionScratch =
          new CudaTensor(this, pool, Shape.vector(DnnKernels.REDUCTION_SCRATCH_FLOATS));
      runtime.memset(
          reductionScratch.address(), 0, (long) DnnKernels.REDUCTION_SCRATCH_FLOATS * Float.BYTES);
      this.losses = new LossLaunches(device, reductionScratch.address(), badLabelRow.address());
      this.reductions = new ReductionLaunches(device, reductionScratch.address());
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
    KernelChecks.fromHost(data, shape);
    CudaTensor t = allocate(shape);
    copyFromHost(data, 0, t);
    return t;
  }

  @Override
  public void copyFromHost(float[] src, int srcOffset, Tensor dst) {
    transfers.copyFromHost(src, srcOffset, dst);
  }

  @Override
  public void copyToHost(Tensor src, float[] dst, int dstOffset) {
    transfers.copyToHost(src, dst, dstOffset);
  }

  @Override
  public void synchronize() {
    device.ensureOpen();
    runtime.synchronize();
    pool.throwIfOverrun();
    losses.checkLabels();
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
    if (device.closed()) {
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
    device.markClosed();
    Throwable[] first = {failure};
    attempt(first, pool::freeAll);
    attempt(first, runtime::close);
    if (transfers != null) {
      transfers.close();
    }
    if (losses != null) {
      losses.close();
    }
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

  private CudaTensor allocate(Shape shape) {
    device.ensureOpen();
    return new CudaTensor(this, pool, shape);
  }

  private float readScalar() {
    float[] value = new float[1];
    copyToHost(scalar, value, 0);
    return value[0];
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
    gemm.gemm(transposeA, transposeB, alpha, a, b, beta, c);
  }

  // ---------------------------------------------------------------- element-wise

  @Override
  public void fill(Tensor t, float value) {
    elementwise.fill(t, value);
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    elementwise.copy(src, dst);
  }

  @Override
  public void scale(Tensor t, float alpha) {
    elementwise.scale(t, alpha);
  }

  @Override
  public void axpy(float alpha, Tensor x, Tensor y) {
    elementwise.axpy(alpha, x, y);
  }

  @Override
  public void add(Tensor a, Tensor b, Tensor out) {
    elementwise.add(a, b, out);
  }

  @Override
  public void multiply(Tensor a, Tensor b, Tensor out) {
    elementwise.multiply(a, b, out);
  }

  @Override
  public void columnSums(Tensor x, float beta, Tensor out) {
    reductions.columnSums(x, beta, out);
  }

  @Override
  public void fillUniform(Tensor t, float low, float high, long seed, long stream) {
    elementwise.fillUniform(t, low, high, seed, stream);
  }

  // ---------------------------------------------------------------- activations

  @Override
  public void biasActivationForward(
      ActivationKind kind, float alpha, Tensor slopes, Tensor z, Tensor bias, Tensor out) {
    activations.biasActivationForward(kind, alpha, slopes, z, bias, out);
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
    activations.activationBackward(kind, alpha, slopes, z, out, gradOut, gradIn);
  }

  @Override
  public void preluSlopeGradient(Tensor z, Tensor gradOut, float beta, Tensor gradSlopes) {
    activations.preluSlopeGradient(z, gradOut, beta, gradSlopes);
  }

  @Override
  public void maxoutForward(Tensor z, int pieces, Tensor out, Tensor argmax) {
    activations.maxoutForward(z, pieces, out, argmax);
  }

  @Override
  public void maxoutBackward(Tensor gradOut, Tensor argmax, int pieces, Tensor gradIn) {
    activations.maxoutBackward(gradOut, argmax, pieces, gradIn);
  }

  // ---------------------------------------------------------------- dropout

  @Override
  public void dropoutForward(
      Tensor x, float keepProbability, long seed, long stream, Tensor mask, Tensor out) {
    elementwise.dropoutForward(x, keepProbability, seed, stream, mask, out);
  }

  @Override
  public void dropoutBackward(Tensor gradOut, Tensor mask, Tensor gradIn) {
    elementwise.dropoutBackward(gradOut, mask, gradIn);
  }

  // ---------------------------------------------------------------- losses

  @Override
  public void softmax(Tensor logits, Tensor out) {
    losses.softmax(logits, out);
  }

  @Override
  public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor gradLogits, Tensor lossSum) {
    losses.softmaxCrossEntropy(logits, labels, gradLogits, lossSum);
  }

  @Override
  public void sigmoidBinaryCrossEntropy(
      Tensor logits, Tensor targets, Tensor gradLogits, Tensor lossSum) {
    losses.sigmoidBinaryCrossEntropy(logits, targets, gradLogits, lossSum);
  }

  @Override
  public void meanSquaredError(Tensor predictions, Tensor targets, Tensor grad, Tensor lossSum) {
    losses.meanSquaredError(predictions, targets, grad, lossSum);
  }

  // ---------------------------------------------------------------- reductions

  @Override
  public float sum(Tensor t) {
    reductions.sum(t, scalar.address());
    return readScalar();
  }

  @Override
  public float squaredNorm(Tensor t) {
    reductions.squaredNorm(t, scalar.address());
    return readScalar();
  }

  @Override
  public void argmaxRows(Tensor x, Tensor out) {
    reductions.argmaxRows(x, out);
  }

  @Override
  public void countCorrect(Tensor scores, Tensor labels, Tensor count) {
    reductions.countCorrect(scores, labels, count);
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
    batchNorm.forward(
        x,
        gamma,
        beta,
        runningMean,
        runningVar,
        momentum,
        epsilon,
        training,
        savedMean,
        savedInvStd,
        out);
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
    batchNorm.backward(x, gradOut, gamma, savedMean, savedInvStd, gradIn, gradGamma, gradBeta);
  }

  // ---------------------------------------------------------------- optimizer updates

  @Override
  public void sgdUpdate(Tensor param, Tensor grad, SgdStep step) {
    optimizers.sgd(param, grad, step);
  }

  @Override
  public void momentumUpdate(Tensor param, Tensor grad, Tensor velocity, MomentumStep step) {
    optimizers.momentum(param, grad, velocity, step);
  }

  @Override
  public void adaGradUpdate(Tensor param, Tensor grad, Tensor sumSquares, AdaGradStep step) {
    optimizers.adaGrad(param, grad, sumSquares, step);
  }

  @Override
  public void rmsPropUpdate(Tensor param, Tensor grad, Tensor meanSquares, RmsPropStep step) {
    optimizers.rmsProp(param, grad, meanSquares, step);
  }

  @Override
  public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
    optimizers.adam(param, grad, m, v, step);
  }

  @Override
  public void nadamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, NadamStep step) {
    optimizers.nadam(param, grad, m, v, step);
  }
}
