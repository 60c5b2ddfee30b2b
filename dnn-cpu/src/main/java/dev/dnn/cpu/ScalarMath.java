package dev.dnn.cpu;

/**
 * {@link VectorMath}'s functions on one float, with the same operations in the same order, so that
 * the plain-Java kernels (and the vector kernels' tails) give the bits the vector kernels give: a
 * seeded run trains to the same figures on either path, compiled or not. Plain Java: this class
 * must load where {@code jdk.incubator.vector} is absent, and {@link VectorMath} takes its
 * constants from here. Accuracy as {@link VectorMath}'s: exp and expm1 within 1.5 ulps, tanh within
 * 3, log1p within 2.5 ({@code ScalarMathTest} checks the bits against the vector forms).
 *
 * <p>Stateless: safe for concurrent use.
 */
final class ScalarMath {
  static final float LOG2E = (float) (1 / Math.log(2));
  static final float ROUNDER = 0x1.8p23f; // t + ROUNDER has round(t) in its low bits
  static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
  static final float LN2_HIGH = 0x1.62e4p-1f; // few bits: n * LN2_HIGH is exact
  static final float LN2_LOW = (float) (Math.log(2) - 0x1.62e4p-1);
  static final float SQRT2 = (float) Math.sqrt(2);

  /** e^x below ln(smallest subnormal / 2) rounds to 0; above ln(Float.MAX_VALUE), infinity. */
  static final float EXP_LOWEST = -104f;

  static final float EXP_HIGHEST = 89f;

  /** e^x - 1 rounds to -1 below this. */
  static final float EXPM1_LOWEST = -30f;

  /** Where tanh switches from its expm1 form to its exp form. */
  static final float TANH_SWITCH = 0.625f;

  /** 1/8!, 1/7!, ..., 1/2!: e^r - 1 - r = r^2 (1/2 + r (1/6 + ...)), Horner's order. */
  static final float[] EXPM1_TAYLOR = {
    1f / 40320, 1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f
  };

  /** 2/11, 2/9, ..., 2/3: log1p(f) = 2s + s^3 (2/3 + s^2 (2/5 + ...)), s = f / (2 + f). */
  static final float[] ATANH_SERIES = {2f / 11, 2f / 9, 2f / 7, 2f / 5, 2f / 3};

  private ScalarMath() {}

  /** e^x, as {@link VectorMath#exp}. */
  static float exp(float x) {
    float clamped = Math.min(Math.max(x, EXP_LOWEST), EXP_HIGHEST); // NaN stays NaN
    float shifted = clamped * LOG2E + ROUNDER;
    float n = shifted - ROUNDER;
    float r = reduce(clamped, n);
    float p = expm1Reduced(r) + 1f;
    int exponent = Float.floatToRawIntBits(shifted) - ROUNDER_BITS;
    int half = exponent >> 1;
    return p * powerOfTwo(half) * powerOfTwo(exponent - half);
  }

  /** e^x - 1 for x at most 0, as {@link VectorMath#expm1NonPositive}. */
  static float expm1NonPositive(float x) {
    float clamped = Math.max(x, EXPM1_LOWEST);
    float shifted = clamped * LOG2E + ROUNDER;
    float n = shifted - ROUNDER;
    float q = expm1Reduced(reduce(clamped, n));
    float scale = powerOfTwo(Float.floatToRawIntBits(shifted) - ROUNDER_BITS);
    return Math.fma(q, scale, scale - 1f);
  }

  /** tanh x, as {@link VectorMath#tanh}. */
  static float tanh(float x) {
    float magnitude = abs(x);
    float a = Math.max(magnitude * -2f, EXPM1_LOWEST);
    float shifted = a * LOG2E + ROUNDER;
    float q = expm1Reduced(reduce(a, shifted - ROUNDER));
    float scale = powerOfTwo(Float.floatToRawIntBits(shifted) - ROUNDER_BITS);
    float u = Math.fma(q, scale, scale - 1f);
    float t = Math.fma(q, scale, scale);
    boolean large = magnitude >= TANH_SWITCH;
    float quotient = (large ? t + t : -u) / (large ? t + 1f : u + 2f);
    float result = abs(large ? -quotient + 1f : quotient); // abs: +0 at +0
    int sign = Float.floatToRawIntBits(x) & Integer.MIN_VALUE;
    return Float.intBitsToFloat(Float.floatToRawIntBits(result) | sign);
  }

  /** ln(1 + y) for y in [0, 1], as {@link VectorMath#log1pUnit}. */
  static float log1pUnit(float y) {
    boolean halve = y > SQRT2 - 1f;
    float f = halve ? (y - 1f) * 0.5f : y;
    float s = f / (f + 2f);
    float s2 = s * s;
    float series = ATANH_SERIES[0];
    for (int i = 1; i < ATANH_SERIES.length; i++) {
      series = Math.fma(series, s2, ATANH_SERIES[i]);
    }
    float log = Math.fma(s * s2, series, s + s);
    float k = halve ? 1f : 0f;
    return Math.fma(k, LN2_HIGH, Math.fma(k, LN2_LOW, log));
  }

  /** 1 / (1 + e^-x), as the vector kernels compute it: 0 below x = -88, as it should be. */
  static float sigmoid(float x) {
    return 1f / (exp(-x) + 1f);
  }

  /** |x| by clearing the sign bit, as the Vector API's {@code abs} does (NaN included). */
  static float abs(float x) {
    return Float.intBitsToFloat(Float.floatToRawIntBits(x) & Integer.MAX_VALUE);
  }

  /** x - n ln 2, in two steps (Cody and Waite) so that the reduction adds no rounding error. */
  private static float reduce(float x, float n) {
    float r = Math.fma(n, -LN2_HIGH, x);
    return Math.fma(n, -LN2_LOW, r);
  }

  /** e^r - 1 for |r| at most ln 2 / 2: r + r^2 (1/2 + r/6 + ... + r^6/8!). */
  private static float expm1Reduced(float r) {
    float p = EXPM1_TAYLOR[0];
    for (int i = 1; i < EXPM1_TAYLOR.length; i++) {
      p = Math.fma(p, r, EXPM1_TAYLOR[i]);
    }
    return Math.fma(r * r, p, r);
  }

  /** 2^n for n in [-126, 127], from the exponent bits. */
  private static float powerOfTwo(int n) {
    return Float.intBitsToFloat((n + 127) << 23);
  }
}
