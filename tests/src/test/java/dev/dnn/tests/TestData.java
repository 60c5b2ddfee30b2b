package dev.dnn.tests;

import java.util.Random;

/** Small deterministic inputs for tests. */
final class TestData {
  private TestData() {}

  /** {@code n} values from {@code N(0, 1)}. */
  static float[] gaussian(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  /** {@code n} values from {@code U(0, 1)}. */
  static float[] uniform(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextFloat();
    }
    return values;
  }

  /** {@code n} class labels in {@code [0, classes)}, as floats. */
  static float[] labels(int n, int classes, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextInt(classes);
    }
    return values;
  }
}
