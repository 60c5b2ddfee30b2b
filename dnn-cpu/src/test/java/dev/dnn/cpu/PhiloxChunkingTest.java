package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnn.random.Philox;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Random fills are split over threads at arbitrary indices (not multiples of Philox's four-word
 * block); every element must still be the one Philox assigns to its index.
 */
class PhiloxChunkingTest {
  private static final int SIZE = 100_003;

  @Test
  void fillUniformMatchesPerElementPhiloxAcrossChunks() {
    try (CpuBackend backend = new CpuBackend(3);
        Tensor t = backend.zeros(Shape.vector(SIZE))) {
      backend.fillUniform(t, -2f, 3f, 1234L, 7L);
      float[] values = t.toArray();
      for (int i = 0; i < SIZE; i += 997) {
        assertEquals(-2f + 5f * Philox.uniform(1234L, 7L, i), values[i], "element " + i);
      }
      assertEquals(-2f + 5f * Philox.uniform(1234L, 7L, SIZE - 1), values[SIZE - 1]);
    }
  }

  @Test
  void dropoutMaskMatchesPerElementPhiloxAcrossChunks() {
    float keep = 0.7f;
    try (CpuBackend backend = new CpuBackend(3);
        Tensor x = backend.zeros(Shape.vector(SIZE));
        Tensor mask = backend.zeros(Shape.vector(SIZE));
        Tensor out = backend.zeros(Shape.vector(SIZE))) {
      backend.fill(x, 2f);
      backend.dropoutForward(x, keep, 99L, 3L, mask, out);
      float[] m = mask.toArray();
      float[] o = out.toArray();
      for (int i = 0; i < SIZE; i += 991) {
        float expected = Philox.uniform(99L, 3L, i) < keep ? 1f / keep : 0f;
        assertEquals(expected, m[i], "mask element " + i);
        assertEquals(2f * expected, o[i], "output element " + i);
      }
    }
  }
}
