package dev.dnn.cpu;

import jdk.incubator.vector.FloatVector;

/** The Vector API forms; loaded reflectively by {@link KernelPath} (see {@link VectorForms}). */
final class VectorKernels implements VectorForms {
  /**
   * Whether the kernels run their vector forms: after the warm-up, or always ({@link #alwaysOn}).
   */
  private final VectorSwitch vectors;

  /** Kernels that run their vector forms once warmed up. Public for the reflective load. */
  public VectorKernels() {
    this(VectorSwitch.AFTER_WARM_UP);
  }

  private VectorKernels(VectorSwitch vectors) {
    this.vectors = vectors;
    if (FloatVector.SPECIES_PREFERRED.vectorBitSize() < 128) {
      throw new UnsupportedOperationException(
          "the preferred float vector has only "
              + FloatVector.SPECIES_PREFERRED.vectorBitSize()
              + " bits");
    }
  }

  @Override
  public VectorForms alwaysOn() {
    return new VectorKernels(VectorSwitch.ON);
  }

  /** Starts the warm-up that turns the kernels' vector forms on, unless they are always on. */
  private VectorSwitch started() {
    if (vectors == VectorSwitch.AFTER_WARM_UP) {
      VectorWarmUp.startOnce();
    }
    return vectors;
  }

  @Override
  public GemmKernel gemm(Parallel parallel) {
    return new VectorGemm(parallel, started());
  }

  @Override
  public ActivationKernels activations(Parallel parallel) {
    return new VectorActivationKernels(parallel, started());
  }

  @Override
  public ReductionKernels reductions(Parallel parallel) {
    return new VectorReductionKernels(parallel, started());
  }

  @Override
  public BatchNormKernels batchNorm(Parallel parallel) {
    return new VectorBatchNormKernels(parallel, started());
  }

  @Override
  public DropoutKernels dropout(Parallel parallel) {
    return new VectorDropoutKernels(parallel, started());
  }

  @Override
  public LossKernels losses(Parallel parallel) {
    return new VectorLossKernels(parallel, started());
  }

  @Override
  public OptimizerKernels optimizers(Parallel parallel) {
    return new VectorOptimizerKernels(parallel, started());
  }

  @Override
  public String shape() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit float vectors";
  }
}
