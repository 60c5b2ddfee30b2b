package dev.dnn.cpu;

import dev.dnn.random.Philox;
import java.util.Arrays;

/**
 * Fill, copy, scale, axpy, add and multiply over whole arrays, split over threads (the family of
 * {@code native/src/elementwise.cu}). These simple loops are auto-vectorized by C2, so one form
 * serves both kernel paths.
 */
class ElementwiseKernels {
  final Parallel parallel;

  ElementwiseKernels(Parallel parallel) {
    this.parallel = parallel;
  }

  void fill(float[] d, float value) {
    parallel.forRange(d.length, 1, (from, to) -> Arrays.fill(d, from, to, value));
  }

  void copy(float[] s, float[] d) {
    parallel.forRange(s.length, 1, (from, to) -> System.arraycopy(s, from, d, from, to - from));
  }

  void scale(float[] d, float alpha) {
    parallel.forRange(
        d.length,
        1,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            d[i] *= alpha;
          }
        });
  }

  void axpy(float alpha, float[] x, float[] y) {
    parallel.forRange(
        x.length,
        1,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            y[i] += alpha * x[i];
          }
        });
  }

  void add(float[] a, float[] b, float[] out) {
    parallel.forRange(
        a.length,
        1,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            out[i] = a[i] + b[i];
          }
        });
  }

  void multiply(float[] a, float[] b, float[] out) {
    parallel.forRange(
        a.length,
        1,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            out[i] = a[i] * b[i];
          }
        });
  }

  /** Uniform values in [low, high) from the counter-based generator: element i uses counter i. */
  void fillUniform(float[] d, float low, float high, long seed, long stream) {
    float range = high - low;
    parallel.forRange(
        d.length,
        16,
        (from, to) -> {
          Philox.fillUniform(seed, stream, from, d, from, to - from);
          for (int i = from; i < to; i++) {
            d[i] = low + range * d[i];
          }
        });
  }
}
