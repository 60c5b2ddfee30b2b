package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/**
 * Seeded inputs and element-wise comparisons against float64 references.
 *
 * <p>Tolerances are expressed in units of {@link #EPS}, the unit roundoff of float32 (2^-24, about
 * 6e-8): one correctly rounded float32 operation has a relative error of at most EPS.
 */
final class Check {
  /** Unit roundoff of float32. */
  static final double EPS = 0x1.0p-24;

  private Check() {}

  /** Uniform numbers in [low, high), reproducible from {@code seed}. */
  static float[] uniform(long seed, int n, double low, double high) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) (low + (high - low) * random.nextDouble());
    }
    return data;
  }

  /** Uniform numbers in [low, high) whose magnitude is at least {@code gap} (away from kinks). */
  static float[] awayFromZero(long seed, int n, double low, double high, double gap) {
    float[] data = uniform(seed, n, low, high);
    for (int i = 0; i < n; i++) {
      if (Math.abs(data[i]) < gap) {
        data[i] = (float) (data[i] < 0 ? -gap : gap);
      }
    }
    return data;
  }

  /** Random class indices in [0, classes), as floats. */
  static float[] labels(long seed, int n, int classes) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(classes);
    }
    return labels;
  }

  static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  /** A tolerance of {@code ulps * EPS * |expected|} per element. */
  static double[] relative(double[] expected, double ulps) {
    double[] tol = new double[expected.length];
    for (int i = 0; i < expected.length; i++) {
      tol[i] = ulps * EPS * Math.abs(expected[i]);
    }
    return tol;
  }

  /** Exact equality, element by element (for operations that only move or pick numbers). */
  static void assertExact(String what, float[] expected, float[] actual) {
    assertClose(what, toDouble(expected), actual, new double[expected.length]);
  }

  /** Every element within its own tolerance; reports the first few failures with indices. */
  static void assertClose(String what, double[] expected, float[] actual, double[] tolerance) {
    if (expected.length != actual.length) {
      fail(what + ": expected " + expected.length + " elements, got " + actual.length);
    }
    StringBuilder failures = new StringBuilder();
    int count = 0;
    for (int i = 0; i < expected.length; i++) {
      double error = Math.abs(actual[i] - expected[i]);
      boolean ok = error <= tolerance[i] || (Double.isNaN(expected[i]) && Float.isNaN(actual[i]));
      if (!ok || Float.isNaN(actual[i]) != Double.isNaN(expected[i])) {
        if (count < 5) {
          failures.append(
              String.format(
                  "%n  [%d] expected %.9g got %.9g (error %.3g, tolerance %.3g)",
                  i, expected[i], actual[i], error, tolerance[i]));
        }
        count++;
      }
    }
    if (count > 0) {
      fail(what + ": " + count + " of " + expected.length + " elements wrong" + failures);
    }
  }

  /** One scalar within tolerance. */
  static void assertClose(String what, double expected, double actual, double tolerance) {
    if (!(Math.abs(actual - expected) <= tolerance)) {
      fail(
          String.format(
              "%s: expected %.9g got %.9g (error %.3g, tolerance %.3g)",
              what, expected, actual, Math.abs(actual - expected), tolerance));
    }
  }
}
