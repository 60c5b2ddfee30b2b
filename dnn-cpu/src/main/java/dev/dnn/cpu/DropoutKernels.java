package dev.dnn.cpu;

import dev.dnn.random.Philox;

/**
 * Inverted dropout forward and backward, masks from the shared Philox stream. Element {@code i}
 * takes {@code Philox.uniform(seed, stream, i)}, whichever thread computes it.
 */
class DropoutKernels {
  private final Parallel parallel;

  DropoutKernels(Parallel parallel) {
    this.parallel = parallel;
  }

  final void forward(
      float[] x, float keepProbability, long seed, long stream, float[] mask, float[] out) {
    parallel.forRange(
        x.length,
        16,
        (from, to) -> forwardRange(x, keepProbability, seed, stream, mask, out, from, to));
  }

  /**
   * The forward over elements {@code [from, to)}: the uniforms into {@code mask}, then the kept and
   * scaled mask over them. Overridden by the Vector API form, which gives the same bits.
   */
  void forwardRange(
      float[] x,
      float keepProbability,
      long seed,
      long stream,
      float[] mask,
      float[] out,
      int from,
      int to) {
    Philox.fillUniform(seed, stream, from, mask, from, to - from);
    keepRange(x, keepProbability, mask, out, from, to);
  }

  /** Turns the uniforms in {@code mask[from..to)} into the kept and scaled mask, and applies it. */
  static void keepRange(
      float[] x, float keepProbability, float[] mask, float[] out, int from, int to) {
    float kept = 1f / keepProbability;
    for (int i = from; i < to; i++) {
      // kept where u < p, else 0, without a branch: a random keep/drop branch mispredicts
      // often and cost ten times this loop. p - u is exactly 0 or has the sign of p - u (no
      // two floats differ by 0), and two scalings by 2^126 push any positive difference,
      // even the smallest subnormal, past 1.
      float step = Math.min(1f, Math.max(0f, (keepProbability - mask[i]) * 0x1p126f * 0x1p126f));
      float scale = kept * step;
      mask[i] = scale;
      out[i] = x[i] * scale;
    }
  }

  /** {@code gradIn = gradOut * mask}: one plain loop on both paths, which C2 vectorizes. */
  final void backward(float[] gradOut, float[] mask, float[] gradIn) {
    parallel.forRange(
        gradOut.length,
        1,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            gradIn[i] = gradOut[i] * mask[i];
          }
        });
  }
}
