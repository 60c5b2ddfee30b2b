package dev.dnn.data;

/**
 * Scales each feature to mean 0 and standard deviation 1 over the training data. A constant feature
 * (standard deviation below {@value #MIN_STD}) is only centred, not blown up.
 *
 * <p>Fixed once fitted and safe to share between threads (as long as no one writes the arrays of
 * its {@link #params()}).
 */
public final class Standardizer implements FeatureScaler {
  /** Standard deviations below this count as zero. */
  public static final double MIN_STD = 1e-6;

  private final ScalerParams params;

  private Standardizer(ScalerParams params) {
    this.params = params;
  }

  /** Fits means and standard deviations on {@code train} (in float64). */
  public static Standardizer fit(DataSet train) {
    int features = train.featureCount();
    int n = train.size();
    if (n == 0) {
      throw new IllegalArgumentException("cannot fit a scaler on an empty data set");
    }
    float[] x = train.featuresView();
    double[] mean = new double[features];
    for (int i = 0; i < x.length; i++) {
      mean[i % features] += x[i];
    }
    for (int f = 0; f < features; f++) {
      mean[f] /= n;
    }
    // Two passes: the one-pass formula loses digits when the mean is large.
    double[] var = new double[features];
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - mean[i % features];
      var[i % features] += d * d;
    }
    float[] offset = new float[features];
    float[] scale = new float[features];
    for (int f = 0; f < features; f++) {
      double std = Math.sqrt(var[f] / n);
      offset[f] = (float) mean[f];
      scale[f] = std < MIN_STD ? 1f : (float) (1.0 / std);
    }
    return new Standardizer(new ScalerParams("standardize", offset, scale));
  }

  @Override
  public ScalerParams params() {
    return params;
  }
}
