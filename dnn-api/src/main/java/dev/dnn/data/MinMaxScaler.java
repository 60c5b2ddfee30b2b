package dev.dnn.data;

/**
 * Scales each feature linearly so that its training minimum maps to 0 and its maximum to 1. Other
 * data may fall outside [0, 1]. A constant feature is only shifted to 0.
 *
 * <p>Fixed once fitted and safe to share between threads (as long as no one writes the arrays of
 * its {@link #params()}).
 */
public final class MinMaxScaler implements FeatureScaler {
  private final ScalerParams params;

  private MinMaxScaler(ScalerParams params) {
    this.params = params;
  }

  /** Fits minima and maxima on {@code train}. */
  public static MinMaxScaler fit(DataSet train) {
    int features = train.featureCount();
    if (train.size() == 0) {
      throw new IllegalArgumentException("cannot fit a scaler on an empty data set");
    }
    float[] x = train.featuresView();
    float[] min = new float[features];
    float[] max = new float[features];
    System.arraycopy(x, 0, min, 0, features);
    System.arraycopy(x, 0, max, 0, features);
    for (int i = features; i < x.length; i++) {
      int f = i % features;
      min[f] = Math.min(min[f], x[i]);
      max[f] = Math.max(max[f], x[i]);
    }
    float[] scale = new float[features];
    for (int f = 0; f < features; f++) {
      double range = (double) max[f] - min[f];
      scale[f] = range > 0 ? (float) (1.0 / range) : 1f;
    }
    return new MinMaxScaler(new ScalerParams("min-max", min, scale));
  }

  @Override
  public ScalerParams params() {
    return params;
  }
}
