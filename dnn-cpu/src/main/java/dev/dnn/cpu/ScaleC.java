package dev.dnn.cpu;

import java.util.Arrays;

/** {@code C = beta C} before or instead of a product; beta 0 writes zeros without reading C. */
final class ScaleC {
  private ScaleC() {}

  static void scale(Parallel parallel, float[] c, int size, float beta, boolean threaded) {
    if (beta == 1f) {
      return;
    }
    Parallel.RangeBody body =
        beta == 0f
            ? (from, to) -> Arrays.fill(c, from, to, 0f)
            : (from, to) -> {
              for (int i = from; i < to; i++) {
                c[i] *= beta;
              }
            };
    if (threaded) {
      parallel.forRange(size, 1, body);
    } else {
      body.run(0, size);
    }
  }
}
