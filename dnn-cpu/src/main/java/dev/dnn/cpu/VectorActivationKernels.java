package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The activations whose plain-Java form C2 does not vectorize, on the Vector API: tanh through
 * {@code lanewise(TANH)} and the logistic function through {@code lanewise(EXP)} (both compile to
 * the JDK's vectorized math library on x86, a few ulps from the exact value, within the conformance
 * tolerance of 32 float epsilons). Other kinds, whose plain loops C2 already vectorizes, and the
 * tails of ranges keep the plain-Java form.
 */
final class VectorActivationKernels extends ActivationKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  VectorActivationKernels(Parallel parallel) {
    super(parallel);
  }

  @Override
  void forwardRange(
      ActivationKind kind,
      float alpha,
      float[] slopes,
      float[] z,
      float[] out,
      int cols,
      int from,
      int to) {
    int end = from + SPECIES.loopBound(to - from);
    switch (kind) {
      case TANH -> {
        for (int i = from; i < end; i += SPECIES.length()) {
          FloatVector.fromArray(SPECIES, z, i).lanewise(VectorOperators.TANH).intoArray(out, i);
        }
      }
      case SIGMOID -> {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int i = from; i < end; i += SPECIES.length()) {
          // 1 / (1 + e^-z): e^-z overflows to infinity for z below -88, giving 0 as it should.
          FloatVector e = FloatVector.fromArray(SPECIES, z, i).neg().lanewise(VectorOperators.EXP);
          one.div(e.add(one)).intoArray(out, i);
        }
      }
      default -> end = from;
    }
    super.forwardRange(kind, alpha, slopes, z, out, cols, end, to);
  }
}
