package dev.dnn.cpu;

import dev.dnn.backend.FiniteFloats;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FiniteCheck} on float vectors, in the plain form's way: a finite value times zero is zero,
 * an infinite or NaN one NaN, so lanes of partial sums stay zero exactly when every value is
 * finite. A 512-row batch of the Tuned network's inputs, copied and checked in 4,096-float blocks
 * on one thread, took 53 us against 117 us with the plain form (the copy alone 38 us). Runs the
 * plain form until {@code vectors} is on (the warm-up has had this compiled). Stateless.
 */
final class VectorFiniteCheck implements FiniteCheck {
  private static final VectorSpecies<Float> FLOATS = VectorKernels.FLOATS;
  private static final int LANES = FLOATS.length();

  private final VectorSwitch vectors;

  VectorFiniteCheck(VectorSwitch vectors) {
    this.vectors = vectors;
  }

  @Override
  public boolean all(float[] values, int from, int count) {
    if (!vectors.on()) {
      return FiniteFloats.all(values, from, count);
    }
    Objects.checkFromIndexSize(from, count, values.length);
    FloatVector s0 = FloatVector.zero(FLOATS);
    FloatVector s1 = FloatVector.zero(FLOATS);
    int end = from + count;
    int i = from;
    for (; i + 2 * LANES <= end; i += 2 * LANES) {
      s0 = s0.add(FloatVector.fromArray(FLOATS, values, i).mul(0f));
      s1 = s1.add(FloatVector.fromArray(FLOATS, values, i + LANES).mul(0f));
    }
    float tail = 0f;
    for (; i < end; i++) {
      tail += values[i] * 0f;
    }
    return s0.add(s1).reduceLanes(VectorOperators.ADD) + tail == 0f;
  }
}
