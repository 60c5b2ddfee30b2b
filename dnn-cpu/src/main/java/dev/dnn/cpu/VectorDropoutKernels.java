package dev.dnn.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dropout forward on the Vector API: the uniforms from {@link VectorPhilox} (the plain Philox's
 * bits), then the plain form's branch-free keep step, the same float operations lane for lane, so
 * both paths give the same masks and outputs. It works through a range in pieces that stay in the
 * first-level cache between the two passes.
 */
final class VectorDropoutKernels extends DropoutKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  /** Elements per piece: 8 KiB of uniforms, read back by the keep step while in cache. */
  private static final int PIECE = 2048;

  /**
   * Whether the vector forms run: once the warm-up has compiled them, at the first call's request
   * ({@link VectorSwitch#request}), the plain ones (the same bits) till then.
   */
  private final VectorSwitch vectors;

  /**
   * Kernels whose vector forms run when {@code vectors} says so: on request ({@link
   * VectorWarmUp.Family}) for the backend, {@link VectorSwitch#ON} for the warm-up and tests.
   */
  VectorDropoutKernels(Parallel parallel, VectorSwitch vectors) {
    super(parallel);
    this.vectors = vectors;
  }

  @Override
  void forwardRange(
      float[] x,
      float keepProbability,
      long seed,
      long stream,
      float[] mask,
      float[] out,
      int from,
      int to) {
    if (!vectors.on()) {
      vectors.request();
      super.forwardRange(x, keepProbability, seed, stream, mask, out, from, to);
      return;
    }
    // Pieces end at multiples of PIECE, so only the range's own ends are off a vector step.
    long[] words = VectorPhilox.scratch();
    for (int start = from; start < to; ) {
      int end = Math.min(to, (start / PIECE + 1) * PIECE);
      VectorPhilox.fillUniform(seed, stream, start, mask, start, end - start, words);
      keepVector(x, keepProbability, mask, out, start, end);
      start = end;
    }
  }

  /** {@link DropoutKernels#keepRange} on vectors: {@code kept * min(1, max(0, (p - u) 2^252))}. */
  private static void keepVector(
      float[] x, float keepProbability, float[] mask, float[] out, int from, int to) {
    float kept = 1f / keepProbability;
    int end = from + SPECIES.loopBound(to - from);
    for (int i = from; i < end; i += LANES) {
      FloatVector u = FloatVector.fromArray(SPECIES, mask, i);
      FloatVector difference = u.broadcast(keepProbability).sub(u);
      FloatVector step = difference.mul(0x1p126f).mul(0x1p126f).max(0f).min(1f);
      FloatVector scale = step.mul(kept);
      scale.intoArray(mask, i);
      FloatVector.fromArray(SPECIES, x, i).mul(scale).intoArray(out, i);
    }
    keepRange(x, keepProbability, mask, out, end, to);
  }
}
