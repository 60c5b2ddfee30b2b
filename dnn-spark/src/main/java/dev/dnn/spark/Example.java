package dev.dnn.spark;

import java.io.Serializable;

/**
 * One checked input row on its way to a shard: its key (input partition and position, which fixes
 * its place in the shard whatever order a shuffle delivers it in), features, label and whether it
 * is held out for validation. Immutable.
 */
final class Example implements Serializable {
  private static final long serialVersionUID = 1L;

  final long key;
  final float[] features;
  final float label;
  final boolean validation;

  Example(long key, float[] features, float label, boolean validation) {
    this.key = key;
    this.features = features;
    this.label = label;
    this.validation = validation;
  }

  /** The key of row {@code index} of input partition {@code partition}. */
  static long key(int partition, long index) {
    return ((long) partition << 40) | index;
  }
}
