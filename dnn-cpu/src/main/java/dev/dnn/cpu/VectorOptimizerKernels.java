package dev.dnn.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Adam update on the Vector API, the same float operations in the same order as the plain form
 * (whose double square root, rounded to float, is the correctly rounded float one), so both paths
 * give the same bits. The other optimizers keep their plain form, which C2 vectorizes: measured in
 * BENCHMARKS.md, they run at the memory bandwidth already, as Adam's two forms both do.
 */
final class VectorOptimizerKernels extends OptimizerKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /**
   * Whether the vector form runs: once compiled ({@link VectorWarmUp}), the plain one till then.
   */
  private final VectorSwitch vectors;

  /** Kernels whose vector form runs when {@code vectors} says so (tests). */
  VectorOptimizerKernels(Parallel parallel, VectorSwitch vectors) {
    super(parallel);
    this.vectors = vectors;
  }

  @Override
  void adamRange(float[] p, float[] grad, float[] m, float[] v, AdamTerms h, int from, int to) {
    if (!vectors.on()) {
      super.adamRange(p, grad, m, v, h, from, to);
      return;
    }
    int end = from + SPECIES.loopBound(to - from);
    for (int i = from; i < end; i += SPECIES.length()) {
      FloatVector old = FloatVector.fromArray(SPECIES, p, i);
      FloatVector g = FloatVector.fromArray(SPECIES, grad, i).add(old.mul(h.l2()));
      FloatVector mi =
          FloatVector.fromArray(SPECIES, m, i).mul(h.beta1()).add(g.mul(1f - h.beta1()));
      FloatVector vi =
          FloatVector.fromArray(SPECIES, v, i).mul(h.beta2()).add(g.mul(1f - h.beta2()).mul(g));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector denom = vi.sqrt().div(h.sqrtBc2()).add(h.eps());
      old.sub(mi.mul(h.stepSize()).div(denom)).sub(old.mul(h.decay())).intoArray(p, i);
    }
    super.adamRange(p, grad, m, v, h, end, to);
  }
}
