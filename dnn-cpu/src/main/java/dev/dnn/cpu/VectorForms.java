package dev.dnn.cpu;

/**
 * The op families that have a Vector API form. Implemented by {@code VectorKernels}, which is
 * loaded by name only once {@link KernelPath} has found {@code jdk.incubator.vector} readable, so
 * nothing that links against the incubator module is loaded without it.
 */
interface VectorForms {
  /**
   * The same forms with their vector code always on, not only once {@code VectorWarmUp} has had it
   * compiled: for tests that compare the vector forms with the plain ones.
   */
  VectorForms alwaysOn();

  /** The vector GEMM. */
  GemmKernel gemm(Parallel parallel);

  /** The vector activations. */
  ActivationKernels activations(Parallel parallel);

  /** The vector column sums, sums and squared norms. */
  ReductionKernels reductions(Parallel parallel);

  /** The vector dropout. */
  DropoutKernels dropout(Parallel parallel);

  /** The vector losses. */
  LossKernels losses(Parallel parallel);

  /** The vector check that a prediction's input rows are finite. */
  FiniteCheck finiteCheck();

  /** The vector optimizer updates. */
  OptimizerKernels optimizers(Parallel parallel);

  /** The vector shape, for {@code Backend.description()}: for example "512-bit float vectors". */
  String shape();
}
