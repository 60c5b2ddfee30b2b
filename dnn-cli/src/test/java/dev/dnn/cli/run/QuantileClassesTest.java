package dev.dnn.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuantileClassesTest {
  /** 0 .. n-1 in a scrambled order (7919 is prime, so i * 7919 mod n visits each value once). */
  private static float[] scrambled(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) ((i * 7919L) % n) * 1000f + 12_789f;
    }
    return values;
  }

  @Test
  void tertilesOfDistinctValuesAreBalancedWithinOneRow() {
    for (int n : new int[] {3, 299, 300, 301, 2344}) {
      float[] prices = scrambled(n);
      QuantileClasses cut = QuantileClasses.fit(prices, 3);
      int[] counts = new int[3];
      for (int c : cut.classesOf(prices)) {
        counts[c]++;
      }
      for (int c = 0; c < 3; c++) {
        assertTrue(
            Math.abs(counts[c] - n / 3.0) < 1, "n=" + n + ": class " + c + " holds " + counts[c]);
      }
      assertEquals(List.of("cheap", "average", "expensive"), cut.names());
    }
  }

  @Test
  void cutsLieHalfwayBetweenNeighboursAndPlaceNewValues() {
    // 0, 1000, ..., 8000 (+12789): three rows a class, the cuts between rows 3|4 and 6|7.
    QuantileClasses cut = QuantileClasses.fit(scrambled(9), 3);
    double[] cuts = cut.cuts();
    assertEquals(12_789 + 2_500, cuts[0], 0.0);
    assertEquals(12_789 + 5_500, cuts[1], 0.0);
    assertEquals(0, cut.classOf(-1e9));
    assertEquals(1, cut.classOf(cuts[0])); // a cut belongs to the class above it
    assertEquals(2, cut.classOf(1e9));
    assertTrue(cut.describe("Sale_Price").startsWith("Sale_Price: cheap < 15289 <= average"));
  }

  @Test
  void refusesTooFewRowsTiesAcrossACutAndBadCounts() {
    assertThrows(IllegalArgumentException.class, () -> QuantileClasses.fit(new float[2], 3));
    IllegalArgumentException ties =
        assertThrows(
            IllegalArgumentException.class,
            () -> QuantileClasses.fit(new float[] {1, 5, 5, 5, 5, 9}, 3));
    assertTrue(ties.getMessage().contains("cannot be cut into 3 classes"), ties.getMessage());
    assertThrows(IllegalArgumentException.class, () -> QuantileClasses.fit(scrambled(30), 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> QuantileClasses.fit(new float[] {1, Float.NaN, 3}, 2));
  }
}
