package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath} against float64 references ({@code Math.exp}, {@code expm1}, {@code tanh},
 * {@code log1p} in double), in ulps of the float nearest the exact value, over every float of the
 * domain at a stride of about a thousand bit patterns (all magnitudes, subnormals included), a
 * dense sweep of the part that matters to the activations, and the edges. The bounds follow from
 * the arithmetic, counted against the exact value (so the half ulp of rounding to float is in
 * them): the polynomials truncate below 1e-8 relative; exp rounds 1 + q (half an ulp) on a q good
 * to a few hundredths of an ulp, and its scaling is exact or rounds once into the subnormals, 1.5
 * ulps; expm1 rounds once in its fused multiply-add on a q good to half an ulp, 1.5; tanh adds a
 * sum and a division to expm1, 3 (above its switch to {@code 1 - 2t / (1 + t)}, the quotient is at
 * most half the result and its 2 ulps count at most 1 of the result's: 1.5); log1p rounds its
 * halved argument, 2 + f, the division and the final sum, 2.5. (Measured worst: 0.97, 0.86, 2.23
 * and 1.39 above the switch, 2.06.)
 */
class VectorMathTest {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final float[] EDGES = {
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

  @BeforeAll
  static void vectorApiUsable() {
    assumeTrue(KernelPath.found().vector() != null, "the Vector API is not usable in this JVM");
  }

  @Test
  void expIsWithinOneAndAHalfUlpsEverywhere() {
    float[] x = concat(EDGES, everyFloat(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY));
    check("exp", VectorMath::exp, Math::exp, concat(x, dense(-110f, 95f, 1 << 20)), 1.5);
  }

  @Test
  void expm1IsWithinOneAndAHalfUlpsForNonPositiveArguments() {
    float[] x = concat(nonPositive(EDGES), everyFloat(Float.NEGATIVE_INFINITY, -0f));
    check(
        "expm1",
        VectorMath::expm1NonPositive,
        Math::expm1,
        concat(x, dense(-35f, 0f, 1 << 20)),
        1.5);
  }

  @Test
  void tanhIsWithinThreeUlpsEverywhere() {
    float[] x = concat(EDGES, everyFloat(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY));
    check("tanh", VectorMath::tanh, Math::tanh, concat(x, dense(-12f, 12f, 1 << 20)), 3.0);
  }

  @Test
  void log1pIsWithinTwoAndAHalfUlpsOnTheUnitInterval() {
    float[] y =
        concat(
            new float[] {0f, Float.MIN_VALUE, 1e-30f, 0.41421f, 0.41422f, 1f}, everyFloat(0f, 1f));
    check("log1p", VectorMath::log1pUnit, Math::log1p, concat(y, dense(0f, 1f, 1 << 20)), 2.5);
  }

  /**
   * Above the switch to its exp form, tanh is held closer: the backward pass takes {@code 1 -
   * tanh^2} from the stored output, which turns an ulp of an output near 1 into a relative error of
   * {@code 2 ulp / (1 - tanh^2)}.
   */
  @Test
  void tanhIsWithinOneAndAHalfUlpsAboveTheSwitch() {
    float[] x = concat(everyFloat(0.625f, Float.POSITIVE_INFINITY), dense(0.625f, 12f, 1 << 20));
    check("tanh above the switch", VectorMath::tanh, Math::tanh, x, 1.5);
  }

  @Test
  void tanhKeepsTheSignOfZeroAndSaturates() {
    float[] x = {-0f, 0f, 9.1f, -9.1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    float[] got = apply(VectorMath::tanh, x);
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(got[0]), "tanh(-0)");
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(got[1]), "tanh(+0)");
    assertEquals(1f, got[2]);
    assertEquals(-1f, got[3]);
    assertEquals(1f, got[4]);
    assertEquals(-1f, got[5]);
  }

  /**
   * The largest error in ulps of the correctly rounded float reference (a subnormal's ulp below the
   * normals); infinities, NaN and signed zeros must match exactly.
   */
  private static void check(
      String name,
      UnaryOperator<FloatVector> f,
      DoubleUnaryOperator reference,
      float[] x,
      double boundUlps) {
    float[] got = apply(f, x);
    double worst = 0;
    for (int i = 0; i < x.length; i++) {
      double exact = reference.applyAsDouble(x[i]);
      float rounded = (float) exact;
      String at =
          name + "(" + x[i] + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(x[i])) + ")";
      if (Float.isNaN(rounded) || Float.isInfinite(rounded)) {
        assertEquals(rounded, got[i], at);
        continue;
      }
      if (!Float.isFinite(got[i])) {
        fail(at + " = " + got[i] + ", expected " + exact);
      }
      double ulps = Math.abs(got[i] - exact) / Math.ulp(rounded);
      assertTrue(ulps <= boundUlps, at + " = " + got[i] + ", " + ulps + " ulps from " + exact);
      worst = Math.max(worst, ulps);
    }
    assertTrue(worst > 0, name + ": the sweep found no rounding error at all");
  }

  private static float[] apply(UnaryOperator<FloatVector> f, float[] x) {
    int lanes = SPECIES.length();
    float[] padded = new float[(x.length + lanes - 1) / lanes * lanes];
    System.arraycopy(x, 0, padded, 0, x.length);
    float[] out = new float[padded.length];
    for (int i = 0; i < padded.length; i += lanes) {
      f.apply(FloatVector.fromArray(SPECIES, padded, i)).intoArray(out, i);
    }
    return Arrays.copyOf(out, x.length);
  }

  /** Every 1021st float from {@code from} to {@code to} in the order of their values. */
  private static float[] everyFloat(float from, float to) {
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
  private static long order(float v) {
    int bits = Float.floatToRawIntBits(v);
    return bits >= 0 ? bits : (long) Integer.MIN_VALUE - bits - 1;
  }

  private static float[] dense(float from, float to, int count) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = from + (to - from) * i / (count - 1);
    }
    return x;
  }

  private static float[] nonPositive(float[] values) {
    float[] kept = new float[values.length];
    int n = 0;
    for (float v : values) {
      if (!(v > 0f)) {
        kept[n++] = v;
      }
    }
    return Arrays.copyOf(kept, n);
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
