package dev.dnn.cpu;

import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exponentials of softmax + cross-entropy on the Vector API, over all the logits of a chunk of
 * rows at once, so that ten classes fill a vector as well as a thousand; and the terms of sigmoid +
 * binary cross-entropy, their logarithm from {@link VectorMath#log1pUnit} (a first vector form, on
 * {@code lanewise(EXP)} and {@code LOG1P}, was fast but not repeatable). The rest of each loss is
 * the plain form's, and {@link VectorMath} gives {@link ScalarMath}'s bits, so both paths give the
 * same loss and gradient, bit for bit. Mean squared error keeps its plain form: it has no
 * exponential.
 */
final class VectorLossKernels extends LossKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  /**
   * Whether the vector forms run: after the warm-up's second phase ({@link VectorWarmUp}), the
   * plain ones (the same bits) till then.
   */
  private final VectorSwitch vectors;

  /**
   * Kernels whose vector forms run when {@code vectors} says so: {@link
   * VectorSwitch#AFTER_LOSS_WARM_UP} for the backend, {@link VectorSwitch#ON} for the warm-up and
   * tests.
   */
  VectorLossKernels(Parallel parallel, VectorSwitch vectors) {
    super(parallel);
    this.vectors = vectors;
  }

  @Override
  void exponentials(float[] e) {
    if (!vectors.on()) {
      super.exponentials(e);
      return;
    }
    int end = SPECIES.loopBound(e.length);
    for (int k = 0; k < end; k += LANES) {
      VectorMath.exp(FloatVector.fromArray(SPECIES, e, k)).intoArray(e, k);
    }
    for (int k = end; k < e.length; k++) {
      e[k] = ScalarMath.exp(e[k]);
    }
  }

  @Override
  void binaryCrossEntropyTerms(
      float[] logits,
      float[] targets,
      float[] grad,
      float scale,
      float[] terms,
      int first,
      int from,
      int to) {
    if (!vectors.on()) {
      super.binaryCrossEntropyTerms(logits, targets, grad, scale, terms, first, from, to);
      return;
    }
    int end = from + SPECIES.loopBound(to - from);
    for (int i = from; i < end; i += LANES) {
      FloatVector z = FloatVector.fromArray(SPECIES, logits, i);
      FloatVector t = FloatVector.fromArray(SPECIES, targets, i);
      FloatVector e = VectorMath.exp(z.abs().neg());
      FloatVector tail = VectorMath.log1pUnit(e);
      t.neg().fma(z, z.max(0f)).add(tail).intoArray(terms, i - first);
      FloatVector numerator = FloatVector.broadcast(SPECIES, 1f).blend(e, z.compare(LT, 0f));
      numerator.div(e.add(1f)).sub(t).mul(scale).intoArray(grad, i);
    }
    super.binaryCrossEntropyTerms(logits, targets, grad, scale, terms, first, end, to);
  }
}
