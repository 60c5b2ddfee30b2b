package dev.dnn.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * One worker's share of the data as dnn float blocks, built once per partition and cached: training
 * rows (features row-major, labels or targets) and the rows held out for validation. Rows are in
 * key order, so a shard rebuilt after a lost executor is identical. Not modified after {@link #of};
 * safe to share between threads.
 */
final class Shard implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition;
  final int featureCount;
  final int rows;
  final float[] features;
  final float[] labels;
  final int validationRows;
  final float[] validationFeatures;
  final float[] validationLabels;

  private Shard(
      int partition,
      int featureCount,
      int rows,
      float[] features,
      float[] labels,
      int validationRows,
      float[] validationFeatures,
      float[] validationLabels) {
    this.partition = partition;
    this.featureCount = featureCount;
    this.rows = rows;
    this.features = features;
    this.labels = labels;
    this.validationRows = validationRows;
    this.validationFeatures = validationFeatures;
    this.validationLabels = validationLabels;
  }

  /** The shard of partition {@code partition} holding {@code examples} (in any order). */
  static Shard of(int partition, int featureCount, Iterator<Example> examples) {
    List<Example> train = new ArrayList<>();
    List<Example> validation = new ArrayList<>();
    while (examples.hasNext()) {
      Example e = examples.next();
      (e.validation ? validation : train).add(e);
    }
    Comparator<Example> byKey = Comparator.comparingLong(e -> e.key);
    train.sort(byKey);
    validation.sort(byKey);
    float[] tf = new float[Math.multiplyExact(train.size(), featureCount)];
    float[] tl = new float[train.size()];
    pack(train, featureCount, tf, tl);
    float[] vf = new float[Math.multiplyExact(validation.size(), featureCount)];
    float[] vl = new float[validation.size()];
    pack(validation, featureCount, vf, vl);
    return new Shard(partition, featureCount, train.size(), tf, tl, validation.size(), vf, vl);
  }

  private static void pack(List<Example> examples, int width, float[] features, float[] labels) {
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      System.arraycopy(e.features, 0, features, i * width, width);
      labels[i] = e.label;
    }
  }

  /** The largest label among training and validation rows, or -1 if there are none. */
  float maxLabel() {
    float max = -1;
    for (float l : labels) {
      max = Math.max(max, l);
    }
    for (float l : validationLabels) {
      max = Math.max(max, l);
    }
    return max;
  }
}
