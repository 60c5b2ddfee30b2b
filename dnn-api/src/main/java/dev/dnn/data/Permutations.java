package dev.dnn.data;

import dev.dnn.random.Philox;

/** Random permutations addressed by {@code (seed, stream)}, the same on every run and machine. */
final class Permutations {
  private Permutations() {}

  /** A random permutation of {@code 0 .. n-1} (Fisher-Yates driven by Philox words). */
  static int[] random(int n, long seed, long stream) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    shuffle(order, seed, stream);
    return order;
  }

  /** Shuffles {@code values} in place. */
  static void shuffle(int[] values, long seed, long stream) {
    for (int i = values.length - 1; i > 0; i--) {
      // Multiply-shift maps 32 random bits to [0, i]; the bias is below 2^-32 * n, negligible.
      long bits = Philox.bits(seed, stream, i) & 0xFFFFFFFFL;
      int j = (int) ((bits * (i + 1)) >>> 32);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}
