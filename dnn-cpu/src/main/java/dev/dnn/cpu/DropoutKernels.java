package dev.dnn.cpu;

import dev.dnn.random.Philox;

/** Inverted dropout forward and backward, masks from the shared Philox stream. */
final class DropoutKernels {
  private final Parallel parallel;

  DropoutKernels(Parallel parallel) {
    this.parallel = parallel;
  }

  void forward(
      float[] x, float keepProbability, long seed, long stream, float[] mask, float[] out) {
    float kept = 1f / keepProbability;
    parallel.forRange(
        x.length,
        16,
        (from, to) -> {
          Philox.fillUniform(seed, stream, from, mask, from, to - from);
          for (int i = from; i < to; i++) {
            // kept where u < p, else 0, without a branch: a random keep/drop branch mispredicts
            // often and cost ten times this loop. p - u is exactly 0 or has the sign of p - u (no
            // two floats differ by 0), and two scalings by 2^126 push any positive difference,
            // even the smallest subnormal, past 1.
            float step =
                Math.min(1f, Math.max(0f, (keepProbability - mask[i]) * 0x1p126f * 0x1p126f));
            float scale = kept * step;
            mask[i] = scale;
            out[i] = x[i] * scale;
          }
        });
  }

  void backward(float[] gradOut, float[] mask, float[] gradIn) {
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
