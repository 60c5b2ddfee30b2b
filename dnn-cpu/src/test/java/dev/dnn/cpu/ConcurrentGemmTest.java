package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One GEMM instance called from several threads at once, as one model serving concurrent
 * predictions calls it: every call gives the bits it gives alone. The shapes cover the shared
 * packed panel of B (a threaded product), a product each thread packs alone, the transposed
 * product's scratch result, and a single row.
 */
class ConcurrentGemmTest {
  private static final int CALLERS = 6;
  private static final int ROUNDS = 12;

  /** m, n, k, transposeA, transposeB. */
  private static final int[][] SHAPES = {
    {256, 300, 200, 0, 0}, // threaded, B packed into the shared panel
    {300, 257, 150, 0, 1}, // threaded, B transposed: every panel packed
    {301, 37, 70, 0, 0}, // small, rows split: each thread packs its own B
    {512, 10, 25, 1, 0}, // a narrow weight gradient: the transposed product's scratch
    {1, 700, 400, 0, 0}, // one row against B in place
    {40, 40, 40, 1, 1},
  };

  static Stream<Arguments> kernels() {
    Function<Parallel, GemmKernel> vector = parallel -> new VectorGemm(parallel, VectorSwitch.ON);
    Function<Parallel, GemmKernel> plain = PackedGemm::new;
    return Stream.of(Arguments.of("vector", vector), Arguments.of("plain", plain));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void concurrentCallsGiveTheBitsOfSerialCalls(String name, Function<Parallel, GemmKernel> make)
      throws Exception {
    try (Parallel parallel = new Parallel(2)) {
      GemmKernel gemm = make.apply(parallel);
      List<float[][]> operands = new ArrayList<>();
      List<float[]> expected = new ArrayList<>();
      for (int s = 0; s < SHAPES.length; s++) {
        int[] shape = SHAPES[s];
        Random random = new Random(17L * s + 1);
        float[][] abc = {
          randoms(random, shape[0] * shape[2]),
          randoms(random, shape[2] * shape[1]),
          randoms(random, shape[0] * shape[1])
        };
        operands.add(abc);
        expected.add(multiply(gemm, shape, abc));
      }
      ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < CALLERS; t++) {
          int caller = t;
          done.add(
              callers.submit(
                  () -> {
                    start.await();
                    for (int r = 0; r < ROUNDS; r++) {
                      int s = (caller + r) % SHAPES.length;
                      float[] c = multiply(gemm, SHAPES[s], operands.get(s));
                      assertArrayEquals(
                          expected.get(s),
                          c,
                          name + " caller " + caller + ", round " + r + ", shape " + s);
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        callers.shutdownNow();
      }
    }
  }

  @Test
  void scratchPoolLendsOneBufferToOneCallerAndKeepsABoundedNumber() {
    ScratchPool<float[]> pool = ScratchPool.ofArrays();
    float[] first = pool.acquire(100);
    float[] second = pool.acquire(50);
    assertNotSame(first, second, "two callers at once must not share a buffer");
    assertTrue(first.length >= 100 && second.length >= 50);
    pool.release(first);
    assertSame(first, pool.acquire(80), "a kept buffer large enough is lent again");
    pool.release(first);
    float[] larger = pool.acquire(200);
    assertTrue(larger.length >= 200, "a kept buffer too small is replaced");
    assertEquals(0, pool.kept());
    List<float[]> many = new ArrayList<>();
    for (int i = 0; i < ScratchPool.RETAINED + 5; i++) {
      many.add(pool.acquire(10));
    }
    many.forEach(pool::release);
    assertEquals(ScratchPool.RETAINED, pool.kept(), "buffers beyond the bound are dropped");
  }

  private static float[] multiply(GemmKernel gemm, int[] shape, float[][] abc) {
    float[] c = abc[2].clone();
    gemm.multiply(
        shape[3] != 0, shape[4] != 0, shape[0], shape[1], shape[2], 0.5f, abc[0], abc[1], 0.25f, c);
    return c;
  }

  private static float[] randoms(Random random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
