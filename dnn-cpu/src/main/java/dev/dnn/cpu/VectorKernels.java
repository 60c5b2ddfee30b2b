package dev.dnn.cpu;

import jdk.incubator.vector.FloatVector;

/** The Vector API forms; loaded reflectively by {@link KernelPath} (see {@link VectorForms}). */
final class VectorKernels implements VectorForms {
  /**
   * Whether the GEMM, Adam and the reductions run their vector forms: after the warm-up's first
   * phase, or always ({@link #alwaysOn}).
   */
  private final VectorSwitch vectors;

  /**
   * Whether the losses, the activations, dropout and batch normalization do: after the warm-up's
   * second phase, or always.
   */
  private final VectorSwitch layerVectors;

  /** Kernels that run their vector forms once warmed up. Public for the reflective load. */
  public VectorKernels() {
    this(VectorSwitch.AFTER_WARM_UP, VectorSwitch.AFTER_LAYER_WARM_UP);
  }

  private VectorKernels(VectorSwitch vectors, VectorSwitch layerVectors) {
    this.vectors = vectors;
    this.layerVectors = layerVectors;
    if (FloatVector.SPECIES_PREFERRED.vectorBitSize() < 128) {
      throw new UnsupportedOperationException(
          "the preferred float vector has only "
              + FloatVector.SPECIES_PREFERRED.vectorBitSize()
              + " bits");
    }
  }

  @Override
  public VectorForms alwaysOn() {
    return new VectorKernels(VectorSwitch.ON, VectorSwitch.ON);
  }

  /**
   * {@code vectors}, having started the warm-up that turns the kernels' vector forms on unless they
   * are always on.
   */
  private static VectorSwitch started(VectorSwitch vectors) {
    if (vectors != VectorSwitch.ON) {
      VectorWarmUp.startOnce();
    }
    return vectors;
  }

  @Override
  public GemmKernel gemm(Parallel parallel) {
    return new VectorGemm(parallel, started(vectors));
  }

  @Override
  public ActivationKernels activations(Parallel parallel) {
    return new VectorActivationKernels(parallel, started(layerVectors));
  }

  @Override
  public ReductionKernels reductions(Parallel parallel) {
    return new VectorReductionKernels(parallel, started(vectors));
  }

  @Override
  public BatchNormKernels batchNorm(Parallel parallel) {
    return new VectorBatchNormKernels(parallel, started(layerVectors));
  }

  @Override
  public DropoutKernels dropout(Parallel parallel) {
    return new VectorDropoutKernels(parallel, started(layerVectors));
  }

  @Override
  public LossKernels losses(Parallel parallel) {
    return new VectorLossKernels(parallel, started(layerVectors));
  }

  @Override
  public OptimizerKernels optimizers(Parallel parallel) {
    return new VectorOptimizerKernels(parallel, started(vectors));
  }

  @Override
  public String shape() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit float vectors";
  }
}
