package dev.dnn.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Adam update on the Vector API, the same float operations in the same order as the plain form
 * (whose double square root, rounded to float, is the correctly rounded float one), so both paths
 * give the same bits. The other optimizers keep their plain form, which C2 vectorizes.
 */
final class VectorOptimizerKernels extends OptimizerKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  VectorOptimizerKernels(Parallel parallel) {
    super(parallel);
  }

  @Override
  void adamRange(
      float[] p,
      float[] grad,
      float[] m,
      float[] v,
      float lr,
      float beta1,
      float beta2,
      float eps,
      int step,
      float l2,
      float wd,
      int from,
      int to) {
    float bc1 = (float) (1.0 - Math.pow(beta1, step));
    float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
    float stepSize = lr / bc1;
    float decay = lr * wd;
    int end = from + SPECIES.loopBound(to - from);
    for (int i = from; i < end; i += SPECIES.length()) {
      FloatVector old = FloatVector.fromArray(SPECIES, p, i);
      FloatVector g = FloatVector.fromArray(SPECIES, grad, i).add(old.mul(l2));
      FloatVector mi = FloatVector.fromArray(SPECIES, m, i).mul(beta1).add(g.mul(1f - beta1));
      FloatVector vi =
          FloatVector.fromArray(SPECIES, v, i).mul(beta2).add(g.mul(1f - beta2).mul(g));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector denom = vi.sqrt().div(sqrtBc2).add(eps);
      old.sub(mi.mul(stepSize).div(denom)).sub(old.mul(decay)).intoArray(p, i);
    }
    super.adamRange(p, grad, m, v, lr, beta1, beta2, eps, step, l2, wd, end, to);
  }
}
