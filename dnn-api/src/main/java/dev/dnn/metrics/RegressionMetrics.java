package dev.dnn.metrics;

/**
 * How close a regression model's answers are to the targets, in the target's own units: root mean
 * squared error, mean absolute error and the coefficient of determination R² = 1 - SSE / SST (1 is
 * perfect, 0 is no better than always answering the mean, negative is worse). With several targets
 * per example, all values are pooled. Immutable and safe to share between threads.
 *
 * @param rmse the root of the mean squared difference
 * @param mae the mean absolute difference
 * @param r2 1 - (sum of squared errors) / (sum of squared deviations from the targets' mean); NaN
 *     when the targets are all equal
 * @param count the number of values compared
 */
public record RegressionMetrics(double rmse, double mae, double r2, long count) {
  /**
   * The metrics of {@code answers} against {@code targets} (same length, row-major with {@code
   * width} values per example), summed in float64.
   *
   * @throws IllegalArgumentException if the lengths differ or there is nothing to compare
   */
  public static RegressionMetrics of(float[] answers, float[] targets, int width) {
    if (answers.length != targets.length || targets.length == 0 || width < 1) {
      throw new IllegalArgumentException(
          answers.length + " answers for " + targets.length + " targets of width " + width);
    }
    double sse = 0;
    double sae = 0;
    double mean = 0;
    for (float t : targets) {
      mean += t;
    }
    mean /= targets.length;
    double sst = 0;
    for (int i = 0; i < targets.length; i++) {
      double e = (double) answers[i] - targets[i];
      sse += e * e;
      sae += Math.abs(e);
      double d = targets[i] - mean;
      sst += d * d;
    }
    int n = targets.length;
    return new RegressionMetrics(
        Math.sqrt(sse / n), sae / n, sst == 0 ? Double.NaN : 1 - sse / sst, n);
  }
}
