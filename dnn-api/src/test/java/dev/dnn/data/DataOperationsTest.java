package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataOperationsTest {
  /** n examples with 2 features: (i, i % 7) and label i % classes, so rows are identifiable. */
  private static DataSet numbered(int n, int classes) {
    float[] x = new float[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = i % 7;
      y[i] = i % classes;
    }
    return DataSet.classification(x, 2, y, classes);
  }

  private static Set<Integer> ids(DataSet d) {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < d.size(); i++) {
      ids.add((int) d.featuresView()[2 * i]);
      // The label still belongs to its row.
      assertEquals((int) d.featuresView()[2 * i] % d.classCount(), d.label(i));
    }
    return ids;
  }

  @Test
  void shuffleIsASeededPermutation() {
    DataSet d = numbered(100, 3);
    DataSet a = d.shuffle(42);
    assertEquals(a, d.shuffle(42));
    assertNotEquals(a, d.shuffle(43));
    assertNotEquals(d, a);
    assertEquals(ids(d), ids(a));
  }

  @Test
  void splitIsDisjointCoveringAndSeeded() {
    DataSet d = numbered(1000, 4);
    DataSplit s = d.split(0.7, 0.1, 7, false);
    assertEquals(700, s.train().size());
    assertEquals(100, s.dev().size());
    assertEquals(200, s.test().size());
    Set<Integer> all = new HashSet<>(ids(s.train()));
    all.addAll(ids(s.dev()));
    all.addAll(ids(s.test()));
    assertEquals(1000, all.size());
    assertEquals(s, d.split(0.7, 0.1, 7, false));
    assertNotEquals(s.train(), d.split(0.7, 0.1, 8, false).train());
  }

  @Test
  void stratifiedSplitKeepsClassProportions() {
    int n = 1000;
    float[] x = new float[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      y[i] = i < 900 ? 0 : 1; // 90% / 10%
    }
    DataSet d = DataSet.classification(x, 2, y, 2);
    DataSplit s = d.split(0.8, 0.1, 3, true);
    assertEquals(80, count(s.train(), 1));
    assertEquals(10, count(s.dev(), 1));
    assertEquals(10, count(s.test(), 1));
    assertEquals(720, count(s.train(), 0));
    // Classes are mixed, not appended in blocks: some class-1 example precedes a class-0 one.
    int[] labels = s.train().labels();
    int firstOne = Arrays.stream(labels).boxed().toList().indexOf(1);
    int lastZero = Arrays.stream(labels).boxed().toList().lastIndexOf(0);
    assertTrue(
        firstOne < lastZero, "class 1 first at " + firstOne + ", class 0 last at " + lastZero);
  }

  @Test
  void stratifiedSplitOfSmallClassesKeepsThePartSizes() {
    // Ten classes of five: 80/10/10 is four, half and half an example per class. Rounding each
    // class on its own gave 40/10/0, an empty test part; the parts must have the sizes of an
    // unstratified split, with the odd examples spread over the classes.
    DataSet d = numbered(50, 10);
    DataSplit s = d.split(0.8, 0.1, 3, true);
    assertEquals(40, s.train().size());
    assertEquals(5, s.dev().size());
    assertEquals(5, s.test().size());
    for (int c = 0; c < 10; c++) {
      assertEquals(4, count(s.train(), c), "class " + c);
      assertEquals(1, count(s.dev(), c) + count(s.test(), c), "class " + c);
    }
    Set<Integer> all = new HashSet<>(ids(s.train()));
    all.addAll(ids(s.dev()));
    all.addAll(ids(s.test()));
    assertEquals(50, all.size());
    // Four classes of three: per class 2.4 / 0.3 / 0.3 rounded to 2 / 0 / 1 gave 8/0/4.
    DataSplit t = numbered(12, 4).split(0.8, 0.1, 3, true);
    assertEquals(10, t.train().size());
    assertEquals(1, t.dev().size());
    assertEquals(1, t.test().size());
  }

  private static int count(DataSet d, int label) {
    return (int) Arrays.stream(d.labels()).filter(l -> l == label).count();
  }

  @Test
  void splitRejectsBadFractions() {
    DataSet d = numbered(10, 2);
    assertThrows(IllegalArgumentException.class, () -> d.split(0.8, 0.3, 1, false));
    assertThrows(IllegalArgumentException.class, () -> d.split(-0.1, 0.3, 1, false));
  }

  @Test
  void standardizerFitsOnTrainingDataOnly() throws Exception {
    DataSet train = DataSet.classification(new float[] {1, 10, 3, 10, 5, 10}, 2, new int[3], 1);
    Standardizer s = Standardizer.fit(train);
    DataSet scaled = s.apply(train);
    // Feature 0: mean 3, population std sqrt(8/3); feature 1 constant: centred only.
    double std = Math.sqrt(8.0 / 3);
    float[] expected = {(float) (-2 / std), 0, 0, 0, (float) (2 / std), 0};
    assertArrayEquals(expected, scaled.featuresView(), 1e-6f);
    DataSet other = DataSet.classification(new float[] {3 + (float) std, 11}, 2, new int[1], 1);
    assertArrayEquals(new float[] {1, 1}, s.apply(other).featuresView(), 1e-6f);
    // Parameters survive a JSON round trip and give the same scaler.
    ObjectMapper json = new ObjectMapper();
    ScalerParams back = json.readValue(json.writeValueAsString(s.params()), ScalerParams.class);
    assertEquals(s.params(), back);
    assertArrayEquals(
        scaled.featuresView(), FeatureScaler.of(back).apply(train).featuresView(), 0f);
  }

  @Test
  void minMaxScalerMapsTrainingRangeToUnitInterval() {
    DataSet train = DataSet.classification(new float[] {-1, 5, 3, 5, 1, 5}, 2, new int[3], 1);
    MinMaxScaler m = MinMaxScaler.fit(train);
    assertArrayEquals(new float[] {0, 0, 1, 0, 0.5f, 0}, m.apply(train).featuresView(), 1e-7f);
    DataSet other = DataSet.classification(new float[] {7, 6}, 2, new int[1], 1);
    assertArrayEquals(new float[] {2, 1}, m.apply(other).featuresView(), 1e-7f);
    assertThrows(
        IllegalArgumentException.class,
        () -> m.apply(DataSet.classification(new float[3], 3, new int[1], 1)));
  }

  @Test
  void nonFiniteFeaturesAndTargetsAreRejectedNamingTheExample() {
    float[] x = {0, 1, 2, 3, Float.NaN, 5};
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class,
            () -> DataSet.classification(x, 2, new int[] {0, 1, 0}, 2));
    assertEquals("feature 0 of example 2 is NaN: features must be finite", nan.getMessage());
    float[] y = {1, Float.NEGATIVE_INFINITY};
    IllegalArgumentException inf =
        assertThrows(
            IllegalArgumentException.class, () -> DataSet.regression(new float[] {0, 1}, 1, y, 1));
    assertEquals("target 0 of example 1 is -Infinity: targets must be finite", inf.getMessage());
    float[] scaled = {0, 1, Float.POSITIVE_INFINITY, 3, 4, 5};
    DataSet d = DataSet.classification(new float[6], 2, new int[] {0, 1, 0}, 2);
    assertThrows(IllegalArgumentException.class, () -> d.withFeatures(scaled, 2));
  }

  @Test
  void ofClassesKeepsThoseClassesInOrderAndRelabelsByPosition() {
    DataSet d = numbered(20, 4).ofClasses(3, 1);
    assertEquals(2, d.classCount());
    assertEquals(10, d.size());
    for (int i = 0; i < d.size(); i++) {
      int id = (int) d.featuresView()[2 * i];
      assertEquals(id % 4 == 3 ? 0 : 1, d.label(i), "row " + id);
      assertEquals(id % 7, d.featuresView()[2 * i + 1], 0f);
      if (i > 0) {
        assertTrue(id > (int) d.featuresView()[2 * i - 2], "original order kept");
      }
    }
  }

  @Test
  void ofClassesRejectsUnknownRepeatedOrNoClasses() {
    DataSet d = numbered(8, 4);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> d.ofClasses(1, 4))
            .getMessage()
            .contains("class 4 is out of range: this data set has classes 0-3"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> d.ofClasses(2, 2))
            .getMessage()
            .contains("class 2 is named twice"));
    assertThrows(IllegalArgumentException.class, d::ofClasses);
  }

  @Test
  void oneHotLabels() {
    DataSet d = DataSet.classification(new float[3], 1, new int[] {2, 0, 1}, 3);
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, d.oneHotLabels());
  }

  @Test
  void gaussianNoiseIsSeededWithTheRequestedSpread() {
    int n = 100_000;
    float[] a = new float[n];
    new GaussianNoise(0.5f).apply(a, 1000, 100, 9, 4);
    float[] b = new float[n];
    new GaussianNoise(0.5f).apply(b, 1000, 100, 9, 4);
    assertArrayEquals(a, b, 0f);
    float[] c = new float[n];
    new GaussianNoise(0.5f).apply(c, 1000, 100, 9, 5);
    assertFalse(Arrays.equals(a, c));
    double sum = 0;
    double sq = 0;
    for (float v : a) {
      sum += v;
      sq += v * v;
    }
    double mean = sum / n;
    double std = Math.sqrt(sq / n - mean * mean);
    // Standard error of the mean is 0.5/sqrt(1e5) = 0.0016; of the std about 0.0011: 5 sigma.
    assertEquals(0, mean, 0.008);
    assertEquals(0.5, std, 0.006);
  }

  @Test
  void pixelShiftMovesEachImageRigidly() {
    int w = 5;
    int h = 4;
    int rows = 50;
    float[] batch = new float[rows * w * h];
    // One bright pixel per image, at (2, 1); its new place tells the shift.
    for (int r = 0; r < rows; r++) {
      batch[r * w * h + 1 * w + 2] = 1f;
    }
    new PixelShift(w, h, 1, 0f).apply(batch, rows, w * h, 11, 3);
    Set<Integer> positions = new HashSet<>();
    for (int r = 0; r < rows; r++) {
      int found = -1;
      for (int p = 0; p < w * h; p++) {
        float v = batch[r * w * h + p];
        if (v == 1f) {
          assertEquals(-1, found, "image " + r + " has two bright pixels");
          found = p;
        } else {
          assertEquals(0f, v);
        }
      }
      int dx = found % w - 2;
      int dy = found / w - 1;
      assertTrue(Math.abs(dx) <= 1 && Math.abs(dy) <= 1, "shift within 1 pixel: " + dx + ", " + dy);
      positions.add(found);
    }
    // 50 images over 9 possible shifts: every shift should turn up.
    assertEquals(9, positions.size());
  }

  @Test
  void pixelShiftFillsVacatedPixelsAndIsSeeded() {
    int w = 3;
    float[] ones = new float[2 * w * w];
    Arrays.fill(ones, 1f);
    float[] a = ones.clone();
    new PixelShift(w, w, 2, -1f).apply(a, 2, w * w, 5, 8);
    float[] b = ones.clone();
    new PixelShift(w, w, 2, -1f).apply(b, 2, w * w, 5, 8);
    assertArrayEquals(a, b, 0f);
    for (float v : a) {
      assertFalse(v != 1f && v != -1f);
    }
    assertThrows(
        IllegalArgumentException.class, () -> new PixelShift(3, 3, 1, 0).apply(a, 2, 8, 1, 1));
  }
}
