package dev.dnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientHealthTest {
  private static Map<String, Double> norms(double... values) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      m.put("layers." + 2 * i, values[i]);
    }
    return m;
  }

  @Test
  void zeroAndRelativelyTinyNormsVanish() {
    Map<String, Double> grads = norms(0.0, 0.0, 0.0, 2e-6, 1e-3, 0.1);
    GradientHealth h = GradientHealth.assess(grads, norms(1, 1, 1, 1, 1, 1), 1e-4, 100);
    // 2e-6 < 1e-4 x 0.1, 1e-3 is not.
    assertEquals(List.of("layers.0", "layers.2", "layers.4", "layers.6"), h.vanishing());
    assertEquals(List.of(), h.exploding());
    String warning = h.describe(3, grads, 1e-4);
    assertTrue(
        warning.startsWith("epoch 3: vanishing gradients in layers.0 to layers.6 (4 layers)"),
        warning);
    assertTrue(warning.contains("below 1.0E-4 x the largest (0.100 in layers.10)"), warning);
  }

  @Test
  void normsFarAboveTheWeightsOrNotFiniteExplode() {
    Map<String, Double> grads = norms(1.0, 5000.0, Double.NaN);
    GradientHealth h = GradientHealth.assess(grads, norms(1, 10, 1), 1e-5, 100);
    assertEquals(List.of("layers.2", "layers.4"), h.exploding());
    assertEquals(List.of(), h.vanishing());
    assertTrue(h.describe(0, grads, 1e-5).contains("exploding gradients in layers.2, layers.4"));
  }

  @Test
  void evenlySpreadNormsAreHealthyAndZeroRatiosTurnChecksOff() {
    assertTrue(GradientHealth.assess(norms(0.5, 1, 2), norms(1, 1, 1), 1e-5, 100).isHealthy());
    assertTrue(GradientHealth.assess(norms(0, 1e9), norms(1, 1), 0, 0).isHealthy());
    assertTrue(GradientHealth.assess(Map.of(), Map.of(), 1e-5, 100).isHealthy());
  }

  @Test
  void ratiosAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> GradientHealth.checkSettings(1, 100));
    assertThrows(IllegalArgumentException.class, () -> GradientHealth.checkSettings(-1, 100));
    assertThrows(
        IllegalArgumentException.class,
        () -> GradientHealth.checkSettings(1e-5, Double.POSITIVE_INFINITY));
  }
}
