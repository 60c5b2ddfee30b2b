package dev.dnn.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * How a regression model's targets were scaled for training, so that its outputs can be given back
 * in the target's own units: the network learns {@code (y - offset) * scale} and a prediction is
 * {@code z / scale + offset}. Standardized targets ({@link #standardize}) keep the loss and the
 * gradients near 1 whatever the target's units (prices of 10^5 would otherwise make the first
 * steps' gradients 10^10 times too large). Immutable, so it may be shared between threads.
 *
 * @param offset subtracted from each target
 * @param scale then multiplied into it; positive
 */
public record TargetScaling(float[] offset, float[] scale) {
  /** Checks that both arrays have one finite entry per target and that the scales are positive. */
  public TargetScaling {
    Objects.requireNonNull(offset, "offset");
    Objects.requireNonNull(scale, "scale");
    if (offset.length != scale.length || offset.length == 0) {
      throw new IllegalArgumentException(
          "offset has " + offset.length + " targets, scale " + scale.length);
    }
    for (int t = 0; t < offset.length; t++) {
      if (!Float.isFinite(offset[t]) || !(scale[t] > 0) || !Float.isFinite(scale[t])) {
        throw new IllegalArgumentException(
            "target " + t + " has offset " + offset[t] + " and scale " + scale[t]);
      }
    }
    offset = offset.clone();
    scale = scale.clone();
  }

  /**
   * Fits mean 0 and standard deviation 1 on the targets of {@code train} (in float64); a constant
   * target is only centred.
   *
   * @throws IllegalArgumentException if {@code train} has no float targets or no examples
   */
  public static TargetScaling standardize(DataSet train) {
    if (!train.hasTargets() || train.isClassification()) {
      throw new IllegalArgumentException("target scaling needs float targets (regression)");
    }
    if (train.size() == 0) {
      throw new IllegalArgumentException("cannot fit a target scaling on an empty data set");
    }
    int width = train.targetCount();
    float[] y = train.targets();
    double[] mean = new double[width];
    for (int i = 0; i < y.length; i++) {
      mean[i % width] += y[i];
    }
    double[] var = new double[width];
    for (int t = 0; t < width; t++) {
      mean[t] /= train.size();
    }
    for (int i = 0; i < y.length; i++) {
      double d = y[i] - mean[i % width];
      var[i % width] += d * d;
    }
    float[] offset = new float[width];
    float[] scale = new float[width];
    for (int t = 0; t < width; t++) {
      double std = Math.sqrt(var[t] / train.size());
      offset[t] = (float) mean[t];
      scale[t] = std < Standardizer.MIN_STD ? 1f : (float) (1.0 / std);
    }
    return new TargetScaling(offset, scale);
  }

  /** The number of targets. */
  public int width() {
    return offset.length;
  }

  @Override
  public float[] offset() {
    return offset.clone();
  }

  @Override
  public float[] scale() {
    return scale.clone();
  }

  /** Scales {@code values} (rows of {@link #width()} targets) in place for training. */
  public void toNetwork(float[] values, int count) {
    int w = offset.length;
    for (int i = 0; i < count * w; i++) {
      int t = i % w;
      values[i] = (values[i] - offset[t]) * scale[t];
    }
  }

  /** Turns network outputs (rows of {@link #width()}) back into target units, in place. */
  public void toTarget(float[] values, int from, int count) {
    int w = offset.length;
    for (int i = 0; i < count * w; i++) {
      int t = i % w;
      values[from + i] = values[from + i] / scale[t] + offset[t];
    }
  }

  /** A copy of {@code data} whose targets are scaled for training. */
  public DataSet apply(DataSet data) {
    if (!data.hasTargets() || data.isClassification() || data.targetCount() != width()) {
      throw new IllegalArgumentException(
          "target scaling of " + width() + " targets does not fit " + data);
    }
    float[] y = data.targets().clone();
    toNetwork(y, data.size());
    return DataSet.regression(data.featuresView(), data.featureCount(), y, data.targetCount());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TargetScaling s
        && Arrays.equals(offset, s.offset)
        && Arrays.equals(scale, s.scale);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(offset) + Arrays.hashCode(scale);
  }

  @Override
  public String toString() {
    return "TargetScaling[" + offset.length + " targets]";
  }
}
