package dev.dnn.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API forms; loaded reflectively by {@link KernelPath} (see {@link VectorForms}). */
final class VectorKernels implements VectorForms {
  /**
   * The one float species of every vector kernel. A kernel that used a narrower one (to widen
   * floats to a double vector of as many lanes, say) would let the JDK's shared vector methods
   * ({@code FloatVector.fromArray}, {@code intoArray}) see two vector classes: C2 then compiles the
   * GEMM's tiles, when their profile already holds both, with a branch per class around each vector
   * operation and the vectors boxed. That code ran the tiles 15 to 1000 times slower, for the rest
   * of the JVM, in some runs out of ten (the warm-up then never turned the vector forms on, or
   * turned them on and the epoch took 14 s instead of 1.2). The reductions widen floats to doubles
   * from whole vectors of this species, half by half, instead; batch normalization, slower that way
   * than in plain loops, has no vector form.
   */
  static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  /**
   * Whether the GEMM, Adam and the reductions run their vector forms: after the warm-up's first
   * phase, or always ({@link #alwaysOn}).
   */
  private final VectorSwitch vectors;

  /** Whether the losses do: after the warm-up's second phase, or always. */
  private final VectorSwitch lossVectors;

  /** Whether the other forms' switches are {@link VectorSwitch#ON} instead of on request. */
  private final boolean alwaysOn;

  /** Kernels that run their vector forms once warmed up. Public for the reflective load. */
  public VectorKernels() {
    this(VectorSwitch.AFTER_WARM_UP, VectorSwitch.AFTER_LOSS_WARM_UP, false);
  }

  private VectorKernels(VectorSwitch vectors, VectorSwitch lossVectors, boolean alwaysOn) {
    this.vectors = vectors;
    this.lossVectors = lossVectors;
    this.alwaysOn = alwaysOn;
    if (FloatVector.SPECIES_PREFERRED.vectorBitSize() < 128) {
      throw new UnsupportedOperationException(
          "the preferred float vector has only "
              + FloatVector.SPECIES_PREFERRED.vectorBitSize()
              + " bits");
    }
  }

  @Override
  public VectorForms alwaysOn() {
    return new VectorKernels(VectorSwitch.ON, VectorSwitch.ON, true);
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

  /** The family's on-request switch, or {@link VectorSwitch#ON} for {@link #alwaysOn}. */
  private VectorSwitch onRequest(VectorWarmUp.Family family) {
    return alwaysOn ? VectorSwitch.ON : started(family.vectors);
  }

  @Override
  public FiniteCheck finiteCheck() {
    return new VectorFiniteCheck(started(lossVectors));
  }

  @Override
  public GemmKernel gemm(Parallel parallel) {
    return new VectorGemm(parallel, started(vectors));
  }

  @Override
  public ActivationKernels activations(Parallel parallel) {
    return new VectorActivationKernels(parallel, onRequest(VectorWarmUp.Family.ACTIVATIONS));
  }

  @Override
  public ReductionKernels reductions(Parallel parallel) {
    return new VectorReductionKernels(parallel, started(vectors));
  }

  @Override
  public DropoutKernels dropout(Parallel parallel) {
    return new VectorDropoutKernels(parallel, onRequest(VectorWarmUp.Family.DROPOUT));
  }

  @Override
  public LossKernels losses(Parallel parallel) {
    return new VectorLossKernels(parallel, started(lossVectors));
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
