package dev.dnn.spark;

import org.apache.spark.Partitioner;

/**
 * Deals rows to shards round-robin by their key: row {@code i} of input partition {@code p} goes to
 * shard {@code (p + i) mod shards}, so shards differ in size by at most the number of input
 * partitions, and the same row always lands in the same shard (a recomputed shard after a lost
 * executor holds the same rows).
 */
final class ShardPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;

  private final int shards;

  ShardPartitioner(int shards) {
    this.shards = shards;
  }

  @Override
  public int numPartitions() {
    return shards;
  }

  @Override
  public int getPartition(Object key) {
    long k = (Long) key;
    long partition = k >>> 40;
    long index = k & ((1L << 40) - 1);
    return (int) Math.floorMod(partition + index, (long) shards);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ShardPartitioner p && p.shards == shards;
  }

  @Override
  public int hashCode() {
    return shards;
  }
}
