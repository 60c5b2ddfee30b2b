package dev.dnn.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exponential, expm1, tanh and log1p on float vectors, from IEEE additions, multiplications,
 * divisions, fused multiply-adds, comparisons, blends and bit operations only. Each of those is
 * exactly rounded, so the result has the same bits whether C2 has compiled the caller or not: the
 * Vector API's {@code lanewise(EXP)}, {@code TANH}, {@code EXPM1} and {@code LOG1P} do not (before
 * C2 they compute lane by lane with {@code Math}, after it they call the JDK's vector math library,
 * a few ulps away), which made seeded runs depend on JIT timing. Accuracy against the exact value
 * (the bounds {@code VectorMathTest} checks): exp and expm1 within 1.5 ulps, tanh within 3 (1.5
 * above |x| = 0.625), log1p within 2.5. {@link ScalarMath} has the same functions on one float,
 * with the same bits.
 */
final class VectorMath {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  // The constants are ScalarMath's, whose functions are these on one float: both give the same
  // bits.
  private static final float LOG2E = ScalarMath.LOG2E;
  private static final float ROUNDER = ScalarMath.ROUNDER;
  private static final int ROUNDER_BITS = ScalarMath.ROUNDER_BITS;
  private static final float LN2_HIGH = ScalarMath.LN2_HIGH;
  private static final float LN2_LOW = ScalarMath.LN2_LOW;
  private static final float SQRT2 = ScalarMath.SQRT2;
  private static final float EXP_LOWEST = ScalarMath.EXP_LOWEST;
  private static final float EXP_HIGHEST = ScalarMath.EXP_HIGHEST;
  private static final float EXPM1_LOWEST = ScalarMath.EXPM1_LOWEST;
  private static final float TANH_SWITCH = ScalarMath.TANH_SWITCH;
  private static final float[] EXPM1_TAYLOR = ScalarMath.EXPM1_TAYLOR;
  private static final float[] ATANH_SERIES = ScalarMath.ATANH_SERIES;

  private VectorMath() {}

  /**
   * e^x for every x: 0 below about -103.97 (subnormal results between), infinity above about 88.72,
   * NaN for NaN. x = n ln 2 + r with |r| at most ln 2 / 2, e^r by its Taylor polynomial to r^8
   * (truncation below 1e-9 relative), 2^n as two powers of two from the exponent bits, so that a
   * subnormal result is rounded once.
   */
  static FloatVector exp(FloatVector x) {
    FloatVector clamped = x.max(EXP_LOWEST).min(EXP_HIGHEST); // NaN stays NaN
    FloatVector shifted = clamped.mul(LOG2E).add(ROUNDER);
    FloatVector n = shifted.sub(ROUNDER);
    FloatVector r = reduce(clamped, n);
    FloatVector p = expm1Reduced(r).add(1f);
    IntVector exponent = shifted.reinterpretAsInts().sub(ROUNDER_BITS);
    IntVector half = exponent.lanewise(VectorOperators.ASHR, 1);
    return p.mul(powerOfTwo(half)).mul(powerOfTwo(exponent.sub(half)));
  }

  /**
   * e^x - 1 for x at most 0 (ELU's negative branch, and tanh's {@code -2|x|}), accurate relative to
   * the result near 0: 2^n expm1(r) + (2^n - 1), with 2^n - 1 exact for n at least -24. -1 below
   * -30, NaN for NaN.
   */
  static FloatVector expm1NonPositive(FloatVector x) {
    FloatVector clamped = x.max(EXPM1_LOWEST);
    FloatVector shifted = clamped.mul(LOG2E).add(ROUNDER);
    FloatVector n = shifted.sub(ROUNDER);
    FloatVector q = expm1Reduced(reduce(clamped, n));
    FloatVector scale = powerOfTwo(shifted.reinterpretAsInts().sub(ROUNDER_BITS));
    return q.fma(scale, scale.sub(1f));
  }

  /**
   * tanh x, odd, from t = e^-2|x| and u = t - 1 (one reduction, one polynomial): {@code -u / (u +
   * 2)} below |x| = 0.625, where it keeps relative accuracy down to the subnormals, and {@code 1 -
   * 2t / (1 + t)} above, where u would have lost t's low bits to the -1 (and {@code 1 - tanh^2},
   * the backward pass, needs them); the sign of x restored from its bit. At |x| above about 9, 1.
   */
  static FloatVector tanh(FloatVector x) {
    FloatVector magnitude = x.abs();
    FloatVector a = magnitude.mul(-2f).max(EXPM1_LOWEST);
    FloatVector shifted = a.mul(LOG2E).add(ROUNDER);
    FloatVector q = expm1Reduced(reduce(a, shifted.sub(ROUNDER)));
    FloatVector scale = powerOfTwo(shifted.reinterpretAsInts().sub(ROUNDER_BITS));
    FloatVector u = q.fma(scale, scale.sub(1f));
    FloatVector t = q.fma(scale, scale);
    VectorMask<Float> large = magnitude.compare(VectorOperators.GE, TANH_SWITCH);
    FloatVector quotient = u.neg().blend(t.add(t), large).div(u.add(2f).blend(t.add(1f), large));
    FloatVector result = quotient.blend(quotient.neg().add(1f), large).abs(); // abs: +0 at +0
    IntVector sign = x.reinterpretAsInts().and(Integer.MIN_VALUE);
    return result.reinterpretAsInts().or(sign).reinterpretAsFloats();
  }

  /**
   * ln(1 + y) for y in [0, 1] (softplus's {@code ln(1 + e^-|x|)}), accurate relative to the result
   * down to the subnormals: 1 + y = 2^k (1 + f) with k 0 or 1 and 1 + f in [sqrt(2)/2, sqrt(2)],
   * ln(1 + f) = 2 atanh(f / (2 + f)) by its series to s^11, plus k ln 2.
   */
  static FloatVector log1pUnit(FloatVector y) {
    VectorMask<Float> halve = y.compare(VectorOperators.GT, SQRT2 - 1f);
    FloatVector f = y.blend(y.sub(1f).mul(0.5f), halve);
    FloatVector s = f.div(f.add(2f));
    FloatVector s2 = s.mul(s);
    FloatVector series = FloatVector.broadcast(SPECIES, ATANH_SERIES[0]);
    for (int i = 1; i < ATANH_SERIES.length; i++) {
      series = series.fma(s2, FloatVector.broadcast(SPECIES, ATANH_SERIES[i]));
    }
    FloatVector log = s.mul(s2).fma(series, s.add(s));
    FloatVector k = FloatVector.zero(SPECIES).blend(1f, halve);
    return k.fma(
        FloatVector.broadcast(SPECIES, LN2_HIGH),
        k.fma(FloatVector.broadcast(SPECIES, LN2_LOW), log));
  }

  /** x - n ln 2, in two steps (Cody and Waite) so that the reduction adds no rounding error. */
  private static FloatVector reduce(FloatVector x, FloatVector n) {
    FloatVector r = n.fma(FloatVector.broadcast(SPECIES, -LN2_HIGH), x);
    return n.fma(FloatVector.broadcast(SPECIES, -LN2_LOW), r);
  }

  /** e^r - 1 for |r| at most ln 2 / 2: r + r^2 (1/2 + r/6 + ... + r^6/8!). */
  private static FloatVector expm1Reduced(FloatVector r) {
    FloatVector p = FloatVector.broadcast(SPECIES, EXPM1_TAYLOR[0]);
    for (int i = 1; i < EXPM1_TAYLOR.length; i++) {
      p = p.fma(r, FloatVector.broadcast(SPECIES, EXPM1_TAYLOR[i]));
    }
    return r.mul(r).fma(p, r);
  }

  /** 2^n for n in [-126, 127], from the exponent bits. */
  private static FloatVector powerOfTwo(IntVector n) {
    return n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
  }
}
