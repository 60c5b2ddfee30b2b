package dev.dnn.spark;

import dev.dnn.internal.random.RandomStreams;
import dev.dnn.random.Philox;

/**
 * The randomness of a training task, a pure function of (seed, epoch or step, partition) through
 * dnn's Philox generator: the order a worker visits its shard in each epoch, and the seed of its
 * dropout masks. A retried or recomputed task therefore draws exactly the same numbers.
 */
final class ShardOrder {
  private ShardOrder() {}

  /**
   * The order in which worker {@code partition} visits its {@code rows} training rows in {@code
   * epoch}: a Fisher-Yates shuffle driven by Philox words.
   */
  static int[] permutation(long seed, int epoch, int partition, int rows) {
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    long stream = RandomStreams.stream(RandomStreams.SHUFFLE, epoch, partition);
    for (int i = rows - 1; i > 0; i--) {
      // Multiply-shift maps 32 random bits to [0, i]; the bias is below 2^-32 * rows.
      long bits = Philox.bits(seed, stream, i) & 0xFFFFFFFFL;
      int j = (int) ((bits * (i + 1)) >>> 32);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /**
   * The seed of worker {@code partition}'s dropout masks and random slopes; with the global step
   * number as the pass's step, masks differ between workers and rounds and repeat on a retry.
   */
  static long taskSeed(long seed, int partition) {
    long mixed = Philox.bits(seed, RandomStreams.stream(RandomStreams.DROPOUT, 0xFFFFFF, 0), 0);
    return seed ^ ((mixed & 0xFFFFFFFFL) << 32) ^ ((partition + 1L) * 0x9E3779B97F4A7C15L);
  }
}
