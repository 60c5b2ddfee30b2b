package dev.dnn.cpu;

import jdk.incubator.vector.FloatVector;

/** The Vector API forms; loaded reflectively by {@link KernelPath} (see {@link VectorForms}). */
final class VectorKernels implements VectorForms {
  /** Public for the reflective load. */
  public VectorKernels() {
    if (FloatVector.SPECIES_PREFERRED.vectorBitSize() < 128) {
      throw new UnsupportedOperationException(
          "the preferred float vector has only "
              + FloatVector.SPECIES_PREFERRED.vectorBitSize()
              + " bits");
    }
  }

  @Override
  public GemmKernel gemm(Parallel parallel) {
    return new VectorGemm(parallel);
  }

  @Override
  public ActivationKernels activations(Parallel parallel) {
    return new VectorActivationKernels(parallel);
  }

  @Override
  public ReductionKernels reductions(Parallel parallel) {
    return new VectorReductionKernels(parallel);
  }

  @Override
  public BatchNormKernels batchNorm(Parallel parallel) {
    return new VectorBatchNormKernels(parallel);
  }

  @Override
  public DropoutKernels dropout(Parallel parallel) {
    return new VectorDropoutKernels(parallel);
  }

  @Override
  public LossKernels losses(Parallel parallel) {
    return new VectorLossKernels(parallel);
  }

  @Override
  public OptimizerKernels optimizers(Parallel parallel) {
    return new VectorOptimizerKernels(parallel);
  }

  @Override
  public String shape() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit float vectors";
  }
}
