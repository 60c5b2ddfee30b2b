package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link ScalarMath} (and so {@link VectorMath}, which gives its bits: {@link VectorMathTest})
 * against float64 references ({@code Math.exp}, {@code expm1}, {@code tanh}, {@code log1p} in
 * double), in ulps of the float nearest the exact value, over every float of the domain at a stride
 * of about a thousand bit patterns (all magnitudes, subnormals included), a dense sweep of the part
 * that matters to the activations, and the edges. The bounds follow from the arithmetic, counted
 * against the exact value (so the half ulp of rounding to float is in them): the polynomials
 * truncate below 1e-8 relative; exp rounds 1 + q (half an ulp) on a q good to a few hundredths of
 * an ulp, and its scaling is exact or rounds once into the subnormals, 1.5 ulps; expm1 rounds once
 * in its fused multiply-add on a q good to half an ulp, 1.5; tanh adds a sum and a division to
 * expm1, 3 (above its switch to {@code 1 - 2t / (1 + t)}, the quotient is at most half the result
 * and its 2 ulps count at most 1 of the result's: 1.5); log1p rounds its halved argument, 2 + f,
 * the division and the final sum, 2.5. (Measured worst: 0.97, 0.86, 2.23 and 1.39 above the switch,
 * 2.06.)
 */
class ScalarMathTest {
  /** A function of one float. */
  interface FloatFunction {
    float apply(float x);
  }

  @Test
  void expIsWithinOneAndAHalfUlpsEverywhere() {
    check("exp", ScalarMath::exp, Math::exp, FloatSweeps.exp(), 1.5);
  }

  @Test
  void expm1IsWithinOneAndAHalfUlpsForNonPositiveArguments() {
    check("expm1", ScalarMath::expm1NonPositive, Math::expm1, FloatSweeps.expm1NonPositive(), 1.5);
  }

  @Test
  void tanhIsWithinThreeUlpsEverywhere() {
    check("tanh", ScalarMath::tanh, Math::tanh, FloatSweeps.tanh(), 3.0);
  }

  @Test
  void log1pIsWithinTwoAndAHalfUlpsOnTheUnitInterval() {
    check("log1p", ScalarMath::log1pUnit, Math::log1p, FloatSweeps.log1pUnit(), 2.5);
  }

  /**
   * Above the switch to its exp form, tanh is held closer: the backward pass takes {@code 1 -
   * tanh^2} from the stored output, which turns an ulp of an output near 1 into a relative error of
   * {@code 2 ulp / (1 - tanh^2)}.
   */
  @Test
  void tanhIsWithinOneAndAHalfUlpsAboveTheSwitch() {
    check(
        "tanh above the switch",
        ScalarMath::tanh,
        Math::tanh,
        FloatSweeps.tanhAboveTheSwitch(),
        1.5);
  }

  @Test
  void sigmoidIsWithinTwoAndAHalfUlps() {
    // exp's 1.5 ulps shrink in 1 + e (relative error at most that of e), then the sum and the
    // division round once each: 2.5 ulps of the result.
    check(
        "sigmoid",
        ScalarMath::sigmoid,
        x -> 1 / (1 + Math.exp(-x)),
        FloatSweeps.dense(-80f, 90f, 1 << 20),
        2.5);
  }

  @Test
  void tanhKeepsTheSignOfZeroAndSaturates() {
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ScalarMath.tanh(-0f)));
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(ScalarMath.tanh(0f)));
    assertEquals(1f, ScalarMath.tanh(9.1f));
    assertEquals(-1f, ScalarMath.tanh(-9.1f));
    assertEquals(1f, ScalarMath.tanh(Float.POSITIVE_INFINITY));
    assertEquals(-1f, ScalarMath.tanh(Float.NEGATIVE_INFINITY));
  }

  /**
   * The largest error in ulps of the correctly rounded float reference (a subnormal's ulp below the
   * normals); infinities, NaN and signed zeros must match exactly.
   */
  private static void check(
      String name, FloatFunction f, DoubleUnaryOperator reference, float[] x, double boundUlps) {
    double worst = 0;
    for (float v : x) {
      float got = f.apply(v);
      double exact = reference.applyAsDouble(v);
      float rounded = (float) exact;
      String at = name + "(" + v + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(v)) + ")";
      if (Float.isNaN(rounded) || Float.isInfinite(rounded)) {
        assertEquals(rounded, got, at);
        continue;
      }
      if (!Float.isFinite(got)) {
        fail(at + " = " + got + ", expected " + exact);
      }
      double ulps = Math.abs(got - exact) / Math.ulp(rounded);
      assertTrue(ulps <= boundUlps, at + " = " + got + ", " + ulps + " ulps from " + exact);
      worst = Math.max(worst, ulps);
    }
    assertTrue(worst > 0, name + ": the sweep found no rounding error at all");
  }
}
