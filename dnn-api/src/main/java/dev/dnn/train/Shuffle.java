package dev.dnn.train;

import dev.dnn.internal.random.RandomStreams;
import dev.dnn.random.Philox;

/** The per-epoch example order: a Fisher-Yates shuffle driven by Philox, identical everywhere. */
final class Shuffle {
  private Shuffle() {}

  /** A permutation of {@code [0, n)} for {@code epoch} of a run seeded with {@code seed}. */
  static int[] order(int n, long seed, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long stream = RandomStreams.stream(RandomStreams.SHUFFLE, epoch, 0);
    for (int i = n - 1; i > 0; i--) {
      // 64 random bits make the modulo bias negligible (below 2^-32 for any int bound).
      long bits =
          ((Philox.bits(seed, stream, 2L * i) & 0xFFFFFFFFL) << 32)
              | (Philox.bits(seed, stream, 2L * i + 1) & 0xFFFFFFFFL);
      int j = (int) Long.remainderUnsigned(bits, i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
