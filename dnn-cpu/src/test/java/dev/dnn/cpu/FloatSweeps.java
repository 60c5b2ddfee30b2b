package dev.dnn.cpu;

import java.util.Arrays;

/** The inputs {@link ScalarMathTest} and {@link VectorMathTest} sweep the functions over. */
final class FloatSweeps {
  static final float[] EDGES = {
    0f,
    -0f,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MIN_NORMAL,
    -Float.MIN_NORMAL,
    1e-30f,
    -1e-30f,
    1e-7f,
    -1e-7f,
    1e-3f,
    -1e-3f,
    0.34657f,
    -0.34657f,
    0.5f,
    -0.5f,
    1f,
    -1f,
    9f,
    -9f,
    9.01f,
    -9.01f,
    20f,
    -20f,
    30f,
    -30f,
    87.3f,
    -87.3f,
    88f,
    -88f,
    88.72f,
    -88.72f,
    88.73f,
    -88.73f,
    89f,
    -89f,
    103.9f,
    -103.9f,
    104f,
    -104f,
    200f,
    -200f,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    Float.NaN
  };

  private FloatSweeps() {}

  /** Every float at a stride (all magnitudes, subnormals included), the edges, and a dense part. */
  static float[] exp() {
    float[] x = concat(EDGES, everyFloat(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY));
    return concat(x, dense(-110f, 95f, 1 << 20));
  }

  static float[] expm1NonPositive() {
    float[] x = concat(nonPositive(EDGES), everyFloat(Float.NEGATIVE_INFINITY, -0f));
    return concat(x, dense(-35f, 0f, 1 << 20));
  }

  static float[] tanh() {
    float[] x = concat(EDGES, everyFloat(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY));
    return concat(x, dense(-12f, 12f, 1 << 20));
  }

  static float[] tanhAboveTheSwitch() {
    return concat(everyFloat(0.625f, Float.POSITIVE_INFINITY), dense(0.625f, 12f, 1 << 20));
  }

  static float[] log1pUnit() {
    float[] y =
        concat(
            new float[] {0f, Float.MIN_VALUE, 1e-30f, 0.41421f, 0.41422f, 1f}, everyFloat(0f, 1f));
    return concat(y, dense(0f, 1f, 1 << 20));
  }

  /** Every 1021st float from {@code from} to {@code to} in the order of their values. */
  static float[] everyFloat(float from, float to) {
    long first = order(from);
    long last = order(to);
    int stride = 1021;
    float[] x = new float[(int) ((last - first) / stride + 1)];
    for (int i = 0; i < x.length; i++) {
      long k = first + (long) i * stride;
      x[i] = Float.intBitsToFloat((int) (k >= 0 ? k : Integer.MIN_VALUE - k - 1));
    }
    return x;
  }

  /** A float's place in value order: non-negative floats by their bits, negatives below them. */
  static long order(float v) {
    int bits = Float.floatToRawIntBits(v);
    return bits >= 0 ? bits : (long) Integer.MIN_VALUE - bits - 1;
  }

  static float[] dense(float from, float to, int count) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = from + (to - from) * i / (count - 1);
    }
    return x;
  }

  static float[] nonPositive(float[] values) {
    float[] kept = new float[values.length];
    int n = 0;
    for (float v : values) {
      if (!(v > 0f)) {
        kept[n++] = v;
      }
    }
    return Arrays.copyOf(kept, n);
  }

  static float[] concat(float[] a, float[] b) {
    float[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
