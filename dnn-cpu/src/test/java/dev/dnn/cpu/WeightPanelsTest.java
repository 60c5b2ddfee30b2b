package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A weight tensor's packed panels are made on its second product unchanged and used until an op
 * that may write it runs: never a product on values the tensor no longer holds.
 */
class WeightPanelsTest {
  private static final int K = 300;
  private static final int N = 70;
  private static final int M = 16;

  private static CpuBackend backend;
  private static Parallel parallel;
  private static VectorGemm gemm;

  @BeforeAll
  static void open() {
    backend = new CpuBackend(1, KernelPath.scalar("test"));
    parallel = new Parallel(2);
    gemm = new VectorGemm(parallel, VectorSwitch.ON);
  }

  @AfterAll
  static void close() {
    backend.close();
    parallel.close();
  }

  @Test
  void packedOnTheSecondProductAndKeptWhileUnchanged() {
    try (Tensor w = backend.fromHost(values(1, K * N), Shape.matrix(K, N))) {
      CpuTensor b = (CpuTensor) w;
      assertNull(WeightPanels.lookup(gemm, b, M, K, N), "first product: B as it is");
      PackedB packed = WeightPanels.lookup(gemm, b, M, K, N);
      assertNotNull(packed, "second product unchanged: packed");
      // Reading B, as products and the bias of an activation do, keeps the panels.
      try (Tensor x = backend.fromHost(values(2, M * K), Shape.matrix(M, K));
          Tensor c = backend.zeros(Shape.matrix(M, N))) {
        backend.gemm(false, false, 1f, x, w, 0f, c);
      }
      assertSame(packed, WeightPanels.lookup(gemm, b, M, K, N), "still the same values");
      assertNull(WeightPanels.lookup(gemm, b, 1, K, N), "a single row reads B in place");
    }
  }

  /** Every way the values may change: a copy from the host, a fill, an update in place. */
  @Test
  void anyOpThatMayWriteMakesThePanelsStale() {
    float[] a = values(3, M * K);
    try (Tensor w = backend.fromHost(values(4, K * N), Shape.matrix(K, N));
        Tensor delta = backend.fromHost(values(5, K * N), Shape.matrix(K, N))) {
      CpuTensor b = (CpuTensor) w;
      Runnable[] writes = {
        () -> backend.copyFromHost(values(6, K * N), 0, w),
        () -> backend.axpy(0.5f, delta, w),
        () -> backend.fill(w, 0.25f),
        () -> backend.scale(w, -2f),
      };
      for (Runnable write : writes) {
        WeightPanels.lookup(gemm, b, M, K, N);
        assertNotNull(WeightPanels.lookup(gemm, b, M, K, N));
        write.run();
        assertNull(WeightPanels.lookup(gemm, b, M, K, N), "stale after a write");
        PackedB repacked = WeightPanels.lookup(gemm, b, M, K, N);
        assertNotNull(repacked, "packed again on the second product after the write");
        float[] expected = new float[M * N];
        gemm.multiply(false, false, M, N, K, 1f, a, b.readData(), 0f, expected);
        float[] fromPanels = new float[M * N];
        gemm.multiply(M, N, K, 1f, a, repacked, 0f, fromPanels);
        assertArrayEquals(expected, fromPanels, "the panels hold the values written");
      }
    }
  }

  @Test
  void smallWeightsAreNotPacked() {
    try (Tensor w = backend.fromHost(values(7, 20 * 40), Shape.matrix(20, 40))) {
      CpuTensor b = (CpuTensor) w;
      WeightPanels.lookup(gemm, b, M, 20, 40);
      assertNull(WeightPanels.lookup(gemm, b, M, 20, 40));
    }
  }

  @Test
  void weightsOverTheCapAreNotPacked() {
    int k = 4100;
    int n = 4100; // 16,810,000 floats, past 2^24
    try (Tensor w = backend.zeros(Shape.matrix(k, n))) {
      CpuTensor b = (CpuTensor) w;
      WeightPanels.lookup(gemm, b, M, k, n);
      assertNull(WeightPanels.lookup(gemm, b, M, k, n));
    }
  }

  private static float[] values(long seed, int count) {
    Random random = new Random(seed);
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = random.nextFloat() - 0.5f;
    }
    return v;
  }
}
