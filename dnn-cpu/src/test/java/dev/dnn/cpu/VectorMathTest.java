package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath} gives {@link ScalarMath}'s bits on every input of {@link ScalarMathTest}'s
 * sweeps (NaN for NaN), which is what lets the plain-Java kernels and the vector kernels, and a
 * vector kernel's tail and bulk, agree bit for bit; ScalarMathTest holds both to their accuracy.
 */
class VectorMathTest {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  @BeforeAll
  static void vectorApiUsable() {
    assumeTrue(KernelPath.found().vector() != null, "the Vector API is not usable in this JVM");
  }

  @Test
  void expGivesTheScalarBits() {
    same("exp", VectorMath::exp, ScalarMath::exp, FloatSweeps.exp());
  }

  @Test
  void expm1GivesTheScalarBits() {
    same(
        "expm1",
        VectorMath::expm1NonPositive,
        ScalarMath::expm1NonPositive,
        FloatSweeps.expm1NonPositive());
  }

  @Test
  void tanhGivesTheScalarBits() {
    same("tanh", VectorMath::tanh, ScalarMath::tanh, FloatSweeps.tanh());
  }

  @Test
  void log1pGivesTheScalarBits() {
    same("log1p", VectorMath::log1pUnit, ScalarMath::log1pUnit, FloatSweeps.log1pUnit());
  }

  private static void same(
      String name, UnaryOperator<FloatVector> f, ScalarMathTest.FloatFunction g, float[] x) {
    int lanes = SPECIES.length();
    float[] padded = Arrays.copyOf(x, (x.length + lanes - 1) / lanes * lanes);
    float[] out = new float[padded.length];
    for (int i = 0; i < padded.length; i += lanes) {
      f.apply(FloatVector.fromArray(SPECIES, padded, i)).intoArray(out, i);
    }
    for (int i = 0; i < x.length; i++) {
      float expected = g.apply(x[i]);
      if (Float.isNaN(expected) && Float.isNaN(out[i])) {
        continue;
      }
      assertEquals(
          Float.floatToRawIntBits(expected),
          Float.floatToRawIntBits(out[i]),
          name + "(" + x[i] + "): scalar " + expected + ", vector " + out[i]);
    }
  }
}
