package dev.dnn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Sample statistics of every scheme on a 400 x 500 layer (200,000 draws). The sample mean has
 * standard error {@code sigma / sqrt(N)}; the sample variance has standard error {@code sigma^2
 * sqrt(2 / N)} for a normal and {@code sigma^2 sqrt(0.8 / N)} for a uniform distribution (kurtosis
 * 9/5). Allowing 5 standard errors makes a false failure a one-in-a-million event (and the draws
 * are fixed by the seed anyway), while a wrong scale (say fan-out for fan-in, 400 vs 500, a 25%
 * change) is off by dozens of standard errors.
 */
class InitTest {
  private static final int FAN_IN = 400;
  private static final int FAN_OUT = 500;
  private static final int N = FAN_IN * FAN_OUT;

  @Test
  void everySchemeHasItsMeanAndVariance() {
    double[][] expected = {
      {2.0 / (FAN_IN + FAN_OUT)},
      {2.0 / (FAN_IN + FAN_OUT)},
      {2.0 / FAN_IN},
      {2.0 / FAN_IN},
      {1.0 / FAN_IN},
      {1.0 / FAN_IN}
    };
    Init[] schemes = {
      Init.GLOROT_NORMAL,
      Init.GLOROT_UNIFORM,
      Init.HE_NORMAL,
      Init.HE_UNIFORM,
      Init.LECUN_NORMAL,
      Init.LECUN_UNIFORM
    };
    for (int s = 0; s < schemes.length; s++) {
      Init init = schemes[s];
      double variance = expected[s][0];
      assertEquals(variance, init.variance(FAN_IN, FAN_OUT), 1e-15);
      float[] w = init.generate(FAN_IN, FAN_OUT, N, 42, 7);
      double mean = 0;
      for (float v : w) {
        mean += v;
      }
      mean /= N;
      double var = 0;
      double max = 0;
      for (float v : w) {
        var += (v - mean) * (v - mean);
        max = Math.max(max, Math.abs(v));
      }
      var /= N - 1;
      boolean normal = init.name().endsWith("NORMAL");
      double meanError = Math.sqrt(variance / N);
      double varError = variance * Math.sqrt((normal ? 2.0 : 0.8) / N);
      assertTrue(Math.abs(mean) < 5 * meanError, init + " mean " + mean);
      assertTrue(
          Math.abs(var - variance) < 5 * varError, init + " variance " + var + " vs " + variance);
      if (!normal) {
        assertTrue(max <= Math.sqrt(3 * variance), init + " exceeds its limit: " + max);
      }
    }
  }

  @Test
  void zerosAreZeroAndDrawsRepeatPerSeedAndStream() {
    assertArrayEquals(new float[10], Init.ZEROS.generate(3, 4, 10, 1, 1));
    assertArrayEquals(
        Init.HE_NORMAL.generate(3, 4, 12, 1, 2), Init.HE_NORMAL.generate(3, 4, 12, 1, 2));
    float[] a = Init.HE_NORMAL.generate(3, 4, 12, 1, 2);
    float[] b = Init.HE_NORMAL.generate(3, 4, 12, 1, 3);
    assertTrue(a[0] != b[0], "different streams give different weights");
  }
}
