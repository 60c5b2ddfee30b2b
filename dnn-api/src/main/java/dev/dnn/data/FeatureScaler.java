package dev.dnn.data;

/**
 * A per-feature affine map {@code x' = (x - offset) * scale}, fitted on training data and applied
 * unchanged to development, test and inference data. Its parameters ({@link #params()}) can be
 * stored with a model so that inference scales inputs exactly as training did.
 *
 * <p>The library's scalers ({@link Standardizer}, {@link MinMaxScaler}) are fixed once fitted and
 * safe to share between threads.
 */
public interface FeatureScaler {
  /** The fitted parameters. */
  ScalerParams params();

  /** Scales {@code rows} rows of {@code featureCount} features in place. */
  default void applyInPlace(float[] rows, int featureCount) {
    ScalerParams p = params();
    if (featureCount != p.offset().length || rows.length % featureCount != 0) {
      throw new IllegalArgumentException(
          p.kind()
              + " was fitted on "
              + p.offset().length
              + " features; got "
              + rows.length
              + " values of "
              + featureCount
              + " features");
    }
    float[] offset = p.offset();
    float[] scale = p.scale();
    for (int i = 0; i < rows.length; i++) {
      int f = i % featureCount;
      rows[i] = (rows[i] - offset[f]) * scale[f];
    }
  }

  /** A scaled copy of {@code data} (the original is unchanged). */
  default DataSet apply(DataSet data) {
    float[] copy = data.featuresView().clone();
    applyInPlace(copy, data.featureCount());
    return data.withFeatures(copy, data.featureCount());
  }

  /** The scaler described by stored parameters. */
  static FeatureScaler of(ScalerParams params) {
    return () -> params;
  }
}
