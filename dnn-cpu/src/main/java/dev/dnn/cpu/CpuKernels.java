package dev.dnn.cpu;

/**
 * The kernels of one CPU backend, one object per op family (mirroring {@code native/src/*.cu}), in
 * the form its {@link KernelPath} allows: GEMM, activations, softmax cross-entropy, Adam, batch
 * norm, dropout and the double-accumulated reductions (column sums, sums, squared norms) have
 * Vector API forms; the other families are plain loops that C2 vectorizes itself and serve both
 * paths.
 */
final class CpuKernels {
  final KernelPath path;
  final GemmKernel gemm;
  final ActivationKernels activations;
  final ElementwiseKernels elementwise;
  final ReductionKernels reductions;
  final BatchNormKernels batchNorm;
  final LossKernels losses;
  final DropoutKernels dropout;
  final OptimizerKernels optimizers;
  final FiniteCheck finite;

  CpuKernels(KernelPath path, Parallel parallel) {
    this.path = path;
    VectorForms vector = path.vector();
    this.gemm = vector != null ? vector.gemm(parallel) : new PackedGemm(parallel);
    this.activations =
        vector != null ? vector.activations(parallel) : new ActivationKernels(parallel);
    this.elementwise = new ElementwiseKernels(parallel);
    this.reductions = vector != null ? vector.reductions(parallel) : new ReductionKernels(parallel);
    // No vector form: widening floats to doubles with the GEMM's one float species (see
    // VectorKernels.FLOATS) ran batch normalization slower than these plain loops (BENCHMARKS.md,
    // "The warm-up failure explained").
    this.batchNorm = new BatchNormKernels(parallel);
    this.losses = vector != null ? vector.losses(parallel) : new LossKernels(parallel);
    this.dropout = vector != null ? vector.dropout(parallel) : new DropoutKernels(parallel);
    this.optimizers = vector != null ? vector.optimizers(parallel) : new OptimizerKernels(parallel);
    this.finite = vector != null ? vector.finiteCheck() : FiniteCheck.PLAIN;
  }
}
