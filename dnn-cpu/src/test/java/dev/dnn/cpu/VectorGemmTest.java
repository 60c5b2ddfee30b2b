package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Vector API GEMM against a float64 reference on shapes that hit every edge of its blocking:
 * ragged tiles in M and N, K across a panel depth, N across a panel width, the unpacked path for
 * shallow K and narrow C, the one-vector kernel, every transposition, beta 0, 1 and other.
 */
class VectorGemmTest {
  /** Unit roundoff of float32. */
  private static final double U = 0x1p-24;

  private static Parallel one;
  private static Parallel three;

  @BeforeAll
  static void open() {
    one = new Parallel(1);
    three = new Parallel(3);
  }

  @AfterAll
  static void close() {
    one.close();
    three.close();
  }

  static Stream<Arguments> cases() {
    int mr = VectorGemm.MR;
    int nr = VectorGemm.NR;
    int kc = VectorGemm.KC;
    int[][] sizes = {
      {1, 1, 1},
      {mr, nr, 1}, // one full tile
      {mr + 1, nr + 1, 5}, // one more row and column than a tile
      {mr - 1, nr - 1, kc + 1}, // K across a panel depth, ragged tile
      {97, 17, 3}, // shallow K, N inside one vector or two
      {13, nr / 2, 64}, // C of exactly one vector: the one-vector kernel
      {13, nr / 2 + 1, 65}, // just past it, and K just past the unpacked bound
      {200, 100, 70}, // packed path, ragged everywhere
      {VectorGemm.MC + 5, 3 * nr + 1, 2 * kc + 3}, // M across a block, K across two depths
      {7, VectorGemm.NC + 9, 20}, // N across a panel width
      {512, 10, 25}, // the output layer of the benchmark network, forward
      {25, 10, 512}, // ... its weight gradient shape
      {512, 25, 10}, // ... its input gradient shape
      {301, 37, 70}, // a small product the threads split by rows, ragged at every share
      {150, 64, 3 * kc}, // B in place, nothing to pack: passes of K one after the other
      {1, 2 * VectorTiles.STRIP_PANELS * nr + nr + 3, kc + 5}, // one row: strips, then a span
      {1, 1003, 1100}, // one row, threaded: column slices, each ending in a masked span
      {1, 500, 784}, // one row below the plain threshold, threaded by column slices all the same
      {16, 500, 784}, // few rows, threaded: each thread its columns through every pass alone
      {5, 2 * VectorGemm.NC + 40, 200}, // ... across two panel widths, the last ragged
    };
    float[][] alphaBeta = {{1f, 0f}, {1f, 1f}, {0.75f, -0.5f}};
    Stream.Builder<Arguments> all = Stream.builder();
    for (int[] s : sizes) {
      for (int t = 0; t < 4; t++) {
        float[] ab = alphaBeta[(s[0] + t) % alphaBeta.length];
        all.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, ab[0], ab[1]));
      }
    }
    return all.build();
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} alpha={5} beta={6}")
  @MethodSource("cases")
  void matchesFloat64Reference(
      int m, int n, int k, boolean ta, boolean tb, float alpha, float beta) {
    Random random = new Random(m * 31L + n * 7L + k);
    float[] a = randoms(random, m * k);
    float[] b = randoms(random, k * n);
    // C has a guard zone after its m x n elements: nothing may be written there.
    float[] c = Arrays.copyOf(randoms(random, m * n), m * n + 64);
    Arrays.fill(c, m * n, c.length, 123f);
    if (beta == 0f) {
      Arrays.fill(c, 0, m * n, Float.NaN); // beta 0 must not read C
    }
    double[][] expected = reference(ta, tb, m, n, k, alpha, a, b, beta, c);
    float[] single = c.clone();
    vectors(one).multiply(ta, tb, m, n, k, alpha, a, b, beta, single);
    float[] warming = c.clone();
    new VectorGemm(three, VectorSwitch.OFF).multiply(ta, tb, m, n, k, alpha, a, b, beta, warming);
    assertArrayEquals(single, warming, "before its tiles are compiled it must give their bits");
    for (int i = 0; i < m * n; i++) {
      // A k-term float32 dot product with fused multiply-adds is within k u sum|a b| of the exact
      // one (to first order); alpha, beta and the final add contribute three more roundings.
      double tolerance = (k + 3) * U * 1.01 * expected[1][i];
      assertEquals(expected[0][i], single[i], tolerance, "element " + i);
    }
    for (int i = m * n; i < c.length; i++) {
      assertEquals(123f, single[i], "guard element " + (i - m * n) + " after C");
    }
    float[] threaded = c.clone();
    vectors(three).multiply(ta, tb, m, n, k, alpha, a, b, beta, threaded);
    assertArrayEquals(single, threaded, "3 threads must give the same bits as 1");
    if (!ta && !tb) {
      for (Parallel parallel : new Parallel[] {one, three}) {
        GemmKernel gemm = vectors(parallel);
        PackedB packed = gemm.pack(b, k, n, 0);
        assertEquals(n > VectorTiles.LANES && k > 0, packed != null, "packed ahead");
        if (packed != null) {
          float[] fromPanels = c.clone();
          gemm.multiply(m, n, k, alpha, a, packed, beta, fromPanels);
          assertArrayEquals(
              single,
              fromPanels,
              "B's panels packed ahead, " + parallel.threads() + " threads: the same bits");
        }
      }
    }
  }

  /**
   * Every size from 1 to 70 in M, N and K once, crossing the tile's rows (6), a vector and two (the
   * tile's columns), the unpacked bounds in N and K, in all four transpositions and with alpha and
   * beta off 1 and 0; both GEMMs, one thread and three.
   */
  @Test
  void sizesAroundTheTileBoundariesMatchTheFloat64Reference() {
    float[][] alphaBeta = {{1f, 0f}, {1f, 1f}, {-1.5f, 0.25f}};
    for (int s = 1; s <= 70; s++) {
      int m = s;
      int n = (s * 37) % 70 + 1;
      int k = (s * 53) % 70 + 1;
      for (int t = 0; t < 4; t++) {
        boolean ta = (t & 1) != 0;
        boolean tb = (t & 2) != 0;
        float[] ab = alphaBeta[(s + t) % alphaBeta.length];
        Random random = new Random(s * 4L + t);
        float[] a = randoms(random, m * k);
        float[] b = randoms(random, k * n);
        float[] c = randoms(random, m * n);
        double[][] expected = reference(ta, tb, m, n, k, ab[0], a, b, ab[1], c);
        String where = "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb;
        float[] single = c.clone();
        vectors(one).multiply(ta, tb, m, n, k, ab[0], a, b, ab[1], single);
        float[] warming = c.clone();
        new VectorGemm(one, VectorSwitch.OFF)
            .multiply(ta, tb, m, n, k, ab[0], a, b, ab[1], warming);
        assertArrayEquals(
            single, warming, where + ": before the tiles are compiled, the same bits");
        float[] plain = c.clone();
        new PackedGemm(three).multiply(ta, tb, m, n, k, ab[0], a, b, ab[1], plain);
        for (int i = 0; i < m * n; i++) {
          double tolerance = (k + 3) * U * 1.01 * expected[1][i];
          assertEquals(expected[0][i], single[i], tolerance, where + " element " + i);
          assertEquals(expected[0][i], plain[i], tolerance, where + " plain, element " + i);
        }
        float[] threaded = c.clone();
        vectors(three).multiply(ta, tb, m, n, k, ab[0], a, b, ab[1], threaded);
        assertArrayEquals(single, threaded, where + ": 3 threads must give the same bits as 1");
        if (VectorTiles.NR == GemmForm.TILE_COLUMNS) {
          // The plain GEMM as the plain kernel path builds it: the same bits on 512-bit vectors.
          assertArrayEquals(single, plain, where + ": the plain GEMM must give the same bits");
        }
      }
    }
  }

  /**
   * A product of one row (the strip kernel, a GEMV) gives the same bits as that row inside a
   * product of many rows (the tile kernel): the latency path of inference and the batch path answer
   * alike. Shapes of the tuned network's layers, K across passes, alpha and beta off 1 and 0.
   */
  @Test
  void oneRowGivesTheBitsOfThatRowInALargerProduct() {
    int[][] shapes = {{500, 784}, {250, 500}, {75, 250}, {10, 25}, {4 * VectorGemm.NR + 1, 7}};
    float[][] alphaBeta = {{1f, 0f}, {1f, 1f}, {0.75f, -0.5f}};
    for (int[] shape : shapes) {
      int n = shape[0];
      int k = shape[1];
      for (float[] ab : alphaBeta) {
        Random random = new Random(n * 31L + k);
        int m = 13;
        float[] a = randoms(random, m * k);
        float[] b = randoms(random, k * n);
        float[] c = randoms(random, m * n);
        float[] many = c.clone();
        vectors(three).multiply(false, false, m, n, k, ab[0], a, b, ab[1], many);
        for (int row : new int[] {0, 6, 12}) {
          float[] one = Arrays.copyOfRange(c, row * n, (row + 1) * n);
          vectors(VectorGemmTest.one)
              .multiply(
                  false,
                  false,
                  1,
                  n,
                  k,
                  ab[0],
                  Arrays.copyOfRange(a, row * k, (row + 1) * k),
                  b,
                  ab[1],
                  one);
          assertArrayEquals(
              Arrays.copyOfRange(many, row * n, (row + 1) * n),
              one,
              "n=" + n + " k=" + k + " alpha=" + ab[0] + " beta=" + ab[1] + " row " + row);
        }
      }
    }
  }

  @Test
  void agreesWithThePlainJavaGemmOnALargeProduct() {
    int m = 300;
    int n = 700;
    int k = 600;
    Random random = new Random(5);
    float[] a = randoms(random, m * k);
    float[] b = randoms(random, k * n);
    float[] vector = new float[m * n];
    float[] scalar = new float[m * n];
    vectors(three).multiply(false, true, m, n, 600, 1f, a, b, 0f, vector);
    new PackedGemm(three).multiply(false, true, m, n, 600, 1f, a, b, 0f, scalar);
    double[][] expected = reference(false, true, m, n, k, 1f, a, b, 0f, new float[m * n]);
    for (int i = 0; i < m * n; i++) {
      // Each is within k u sum|a b| of the exact value, so of each other within twice that.
      assertEquals(vector[i], scalar[i], 2 * (k + 3) * U * expected[1][i], "element " + i);
    }
  }

  @Test
  void emptyInnerDimensionScalesC() {
    float[] c = {1f, 2f, 3f, Float.NaN};
    vectors(one).multiply(false, false, 2, 2, 0, 1f, new float[0], new float[0], 2f, c);
    assertArrayEquals(new float[] {2f, 4f, 6f, Float.NaN}, c);
    vectors(one).multiply(false, false, 2, 2, 0, 1f, new float[0], new float[0], 0f, c);
    assertArrayEquals(new float[4], c);
  }

  /**
   * The build's AVX2 execution ({@code dnn.test.fourRowTiles}, dnn-cpu's pom) must run the four-row
   * tiles, or it would test the six-row ones a second time.
   */
  @Test
  void theAvx2ExecutionRunsTheFourRowTiles() {
    assumeTrue(Boolean.getBoolean("dnn.test.fourRowTiles"), "not the AVX2 execution");
    int bits = VectorTiles.SPECIES.vectorBitSize();
    assertTrue(bits < 512, "-XX:UseAVX=2: vectors narrower than AVX-512's, got " + bits + " bits");
    assertTrue(VectorTiles.FOUR_ROW_TILES, "four-row tiles");
    assertEquals(4, VectorGemm.MR);
  }

  @Test
  void theVectorPathIsFoundWhenTheModuleIsReadableAndWanted() {
    boolean readable =
        ModuleLayer.boot()
            .findModule(KernelPath.MODULE)
            .map(KernelPath.class.getModule()::canRead)
            .orElse(false);
    String property = System.getProperty(KernelPath.PROPERTY);
    boolean wanted =
        "true".equals(property)
            || property == null && Runtime.version().feature() >= KernelPath.DEFAULT_FROM;
    KernelPath path = KernelPath.found();
    assertEquals(readable && wanted, path.vector() != null, path.description());
    try (CpuBackend backend = new CpuBackend(1)) {
      String expected = path.vector() != null ? "Vector API" : "scalar kernels";
      assertTrue(backend.description().contains(expected), backend.description());
    }
  }

  /** The exact product, and the sum of |alpha a b| + |beta c| per element that bounds its error. */
  private static double[][] reference(
      boolean ta,
      boolean tb,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      float[] b,
      float beta,
      float[] c) {
    double[] out = new double[m * n];
    double[] magnitude = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
          double av = ta ? a[p * m + i] : a[i * k + p];
          double bv = tb ? b[j * k + p] : b[p * n + j];
          s += av * bv;
          abs += Math.abs(av * bv);
        }
        double old = beta == 0f ? 0.0 : beta * (double) c[i * n + j];
        out[i * n + j] = alpha * s + old;
        magnitude[i * n + j] = Math.abs(alpha) * abs + Math.abs(old);
      }
    }
    return new double[][] {out, magnitude};
  }

  private static float[] randoms(Random random, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = random.nextFloat() * 2f - 1f;
    }
    return x;
  }

  /**
   * An accumulator that underflows to -0 keeps its sign in both GEMMs: the plain one pads K to a
   * multiple of 4, and a padding step must not turn -0 into +0.
   */
  @Test
  void anUnderflowToNegativeZeroKeepsItsSignInBothGemms() {
    for (int k = 1; k <= 7; k++) {
      float[] a = new float[k];
      float[] b = new float[k];
      Arrays.fill(a, -0f); // -0 times 0 added to -0 stays -0 in the later k steps
      a[0] = -1e-30f;
      b[0] = 1e-30f; // the product, -1e-60, rounds to -0 in float
      float[] vector = {Float.NaN};
      float[] plain = {Float.NaN};
      vectors(one).multiply(false, false, 1, 1, k, 1f, a, b, 0f, vector);
      new PackedGemm(one, VectorTiles.NR).multiply(false, false, 1, 1, k, 1f, a, b, 0f, plain);
      assertEquals(0x80000000, Float.floatToRawIntBits(vector[0]), "k=" + k + ": -0 expected");
      assertEquals(Float.floatToRawIntBits(vector[0]), Float.floatToRawIntBits(plain[0]), "k=" + k);
    }
  }

  /** The GEMM with its tiles' vector forms, compiled or not (the warm-up does not decide). */
  private static VectorGemm vectors(Parallel parallel) {
    return new VectorGemm(parallel, VectorSwitch.ON);
  }
}
