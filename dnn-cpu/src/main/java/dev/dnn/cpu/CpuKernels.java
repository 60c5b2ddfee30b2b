package dev.dnn.cpu;

/**
 * The kernels of one CPU backend, one object per op family (mirroring {@code native/src/*.cu}), in
 * the form its {@link KernelPath} allows. Batch norm and the optimizer updates are plain Java on
 * both paths ({@link BatchNormKernels}, {@link OptimizerKernels}): they are bound by memory
 * traffic, which C2's own vectorization of their loops already meets.
 */
final class CpuKernels {
  final KernelPath path;
  final GemmKernel gemm;
  final ActivationKernels activations;
  final ElementwiseKernels elementwise;
  final ReductionKernels reductions;
  final LossKernels losses;
  final DropoutKernels dropout;
  final OptimizerKernels optimizers;

  CpuKernels(KernelPath path, Parallel parallel) {
    this.path = path;
    VectorForms vector = path.vector();
    this.gemm = vector != null ? vector.gemm(parallel) : new PackedGemm(parallel);
    this.activations =
        vector != null ? vector.activations(parallel) : new ActivationKernels(parallel);
    this.elementwise = new ElementwiseKernels(parallel);
    this.reductions = new ReductionKernels(parallel);
    this.losses = new LossKernels(parallel);
    this.dropout = new DropoutKernels(parallel);
    this.optimizers = new OptimizerKernels(parallel);
  }
}
