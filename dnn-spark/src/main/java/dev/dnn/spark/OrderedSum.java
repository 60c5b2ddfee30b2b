package dev.dnn.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The value a {@code treeAggregate} builds: workers' {@link Contribution}s summed along a fixed
 * binary tree over partition indices (0+1, 2+3, then (0+1)+(2+3), ...), whatever order tasks finish
 * in and whichever reducer meets which. Floating-point addition is not associative, so this is what
 * makes a round's sum, and with it a retried or recovered run, bit-for-bit reproducible. Two nodes
 * are added only when they are siblings; others wait, in this value, until their sibling arrives.
 * Mutable, confined to one aggregation.
 */
final class OrderedSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int partitions;
  // Node (level, index) covers partitions [index * 2^level, (index + 1) * 2^level).
  private final Map<Long, Contribution> nodes = new HashMap<>();

  OrderedSum(int partitions) {
    this.partitions = partitions;
  }

  /** Adds the contribution of partition {@code partition}. */
  OrderedSum add(int partition, Contribution contribution) {
    insert(0, partition, contribution);
    return this;
  }

  /** Adds every node of {@code other}. */
  OrderedSum merge(OrderedSum other) {
    other.nodes.forEach((key, c) -> insert((int) (key >>> 32), (int) (long) key, c));
    return this;
  }

  private void insert(int level, int index, Contribution c) {
    while ((1L << level) < partitions) {
      int sibling = index ^ 1;
      long siblingStart = (long) sibling << level;
      if (siblingStart >= partitions) {
        // No partitions under the sibling: this node stands for its parent alone.
      } else {
        Contribution other = nodes.remove(key(level, sibling));
        if (other == null) {
          nodes.put(key(level, index), c);
          return;
        }
        Contribution left = (index & 1) == 0 ? c : other;
        Contribution right = (index & 1) == 0 ? other : c;
        c = left.add(right);
      }
      level++;
      index >>= 1;
    }
    if (nodes.put(key(level, index), c) != null) {
      throw new IllegalStateException("partition contributed twice to one round");
    }
  }

  private static long key(int level, int index) {
    return ((long) level << 32) | (index & 0xFFFFFFFFL);
  }

  /**
   * The sum over all partitions.
   *
   * @throws IllegalStateException if some partition's contribution is missing
   */
  Contribution total() {
    int root = 0;
    while ((1L << root) < partitions) {
      root++;
    }
    Contribution c = nodes.get(key(root, 0));
    if (c == null || nodes.size() != 1) {
      throw new IllegalStateException(
          "the round's sum is incomplete: partial sums " + nodes.keySet() + " remain");
    }
    return c;
  }
}
