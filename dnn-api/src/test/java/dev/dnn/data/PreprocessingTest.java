package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The affine step of a model's preprocessing and a regression target's scaling, exactly. */
class PreprocessingTest {
  @Test
  void theAffineStepIsTheExportsFloatArithmetic() {
    ScalerParams params =
        new ScalerParams("standardize", new float[] {1, -2}, new float[] {0.5f, 4});
    Preprocessing p = Preprocessing.scaled(params).withInputScale(1.0 / 255);
    float[] rows = {255, 0, 51, 510};
    p.applyInPlace(rows, 2);
    float s = (float) (1.0 / 255);
    // (x * s - offset) * scale in float32, as the ONNX graph's Mul, Sub, Mul.
    assertArrayEquals(
        new float[] {(255 * s - 1) * 0.5f, (0 * s + 2) * 4, (51 * s - 1) * 0.5f, (510 * s + 2) * 4},
        rows);
    DataSet data = DataSet.unlabeled(new float[] {1, 2}, 2);
    assertSame(data, Preprocessing.none(2).apply(data), "an identity copies nothing");
    assertTrue(Preprocessing.none(2).isIdentity());
    assertThrows(IllegalArgumentException.class, () -> p.apply(DataSet.unlabeled(new float[3], 3)));
    assertThrows(IllegalArgumentException.class, () -> p.withInputScale(0));
    assertThrows(IllegalArgumentException.class, () -> Preprocessing.none(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Preprocessing.none(3).withScaling(params)); // fitted on 2 inputs
  }

  @Test
  void namedColumnsAndTheirInputs() {
    List<InputColumn> columns =
        List.of(InputColumn.numeric("area"), InputColumn.categorical("zone", List.of("a", "b")));
    Preprocessing p = Preprocessing.of(columns);
    assertEquals(3, p.width());
    assertTrue(p.hasTextColumns());
    assertEquals(List.of("area", "zone=a", "zone=b"), p.inputNames());
    assertEquals(p, Preprocessing.none(3).withColumns(columns));
    assertNotEquals(p, p.withInputScale(2));
    assertEquals(p.hashCode(), Preprocessing.of(columns).hashCode());
    assertTrue(p.withInputScale(2).toString().contains("input scale 2.0"), p.toString());
    IllegalArgumentException wrong =
        assertThrows(IllegalArgumentException.class, () -> p.checkWidth(2));
    assertTrue(wrong.getMessage().contains("zone as 2 one-hot values"), wrong.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Preprocessing.none(2).withColumns(columns));
    assertThrows(
        IllegalArgumentException.class,
        () -> Preprocessing.of(List.of(InputColumn.numeric("x"), InputColumn.numeric("x"))));
    assertThrows(IllegalArgumentException.class, () -> Preprocessing.of(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new InputColumn("c", List.of("a", "a")));
    assertThrows(IllegalArgumentException.class, () -> InputColumn.categorical("c", List.of()));
  }

  @Test
  void targetScalingRoundTripsAndStandardizes() {
    DataSet train =
        DataSet.regression(new float[] {0, 0, 0, 0}, 1, new float[] {100, 200, 300, 400}, 1);
    TargetScaling t = TargetScaling.standardize(train);
    assertEquals(250f, t.offset()[0]);
    // Population standard deviation of 100..400: sqrt(12500).
    assertEquals((float) (1 / Math.sqrt(12500)), t.scale()[0]);
    float[] y = train.targets();
    t.toNetwork(y, 4);
    double mean = 0;
    for (float v : y) {
      mean += v;
    }
    assertEquals(0, mean / 4, 1e-6);
    t.toTarget(y, 0, 4);
    assertArrayEquals(train.targets(), y, 1e-4f);
    assertArrayEquals(
        new float[] {(100 - 250f) * t.scale()[0]}, t.apply(train).select(new int[] {0}).targets());
    assertEquals(t, TargetScaling.standardize(train));
    assertEquals(t.hashCode(), TargetScaling.standardize(train).hashCode());
    assertTrue(t.toString().contains("1 targets"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TargetScaling.standardize(DataSet.classification(new float[1], 1, new int[1], 2)));
    assertThrows(
        IllegalArgumentException.class, () -> new TargetScaling(new float[1], new float[] {0}));
    assertThrows(
        IllegalArgumentException.class, () -> new TargetScaling(new float[1], new float[2]));
  }
}
