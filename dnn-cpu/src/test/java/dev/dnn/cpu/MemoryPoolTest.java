package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.MemoryStats;
import dev.dnn.backend.SgdStep;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The array pool, its accounting, and the lifecycle checks of tensors and the backend. */
class MemoryPoolTest {
  @Test
  void closedTensorArrayIsReusedForTheSameSize() {
    try (CpuBackend backend = new CpuBackend(1)) {
      Tensor first = backend.fromHost(new float[] {1, 2, 3, 4, 5, 6}, Shape.matrix(2, 3));
      first.close();
      MemoryStats afterClose = backend.memoryStats();
      assertEquals(0, afterClose.inUse());
      assertEquals(24, afterClose.cached());
      try (Tensor second = backend.zeros(Shape.matrix(3, 2))) {
        MemoryStats reused = backend.memoryStats();
        assertEquals(1, reused.allocations(), "same size must come from the pool");
        assertEquals(24, reused.inUse());
        assertEquals(0, reused.cached());
        // A pooled array must not leak the previous tensor's values into zeros().
        assertEquals(0f, backend.sum(second));
      }
      try (Tensor other = backend.zeros(Shape.vector(5))) {
        assertEquals(2, backend.memoryStats().allocations(), "a new size needs a new array");
        // The second tensor went back to the pool; only the five floats of this one are in use.
        assertEquals(4L * other.size(), backend.memoryStats().inUse());
        assertEquals(24, backend.memoryStats().cached());
      }
      assertEquals(24, backend.memoryStats().peakInUse());
    }
  }

  @Test
  void closeIsIdempotent() {
    try (CpuBackend backend = new CpuBackend(1)) {
      Tensor t = backend.zeros(Shape.vector(4));
      t.close();
      t.close();
      assertEquals(16, backend.memoryStats().cached());
    }
  }

  @Test
  void steadyStateTrainingStepAllocatesNothing() {
    try (CpuBackend backend = new CpuBackend(2)) {
      float[] input = new float[64 * 32];
      for (int i = 0; i < input.length; i++) {
        input[i] = (i % 13) * 0.05f - 0.3f;
      }
      try (Tensor weights = backend.zeros(Shape.matrix(32, 16));
          Tensor bias = backend.zeros(Shape.vector(16));
          Tensor labels = backend.zeros(Shape.vector(64));
          Tensor loss = backend.zeros(Shape.vector(1))) {
        backend.fillUniform(weights, -0.1f, 0.1f, 7, 0);
        for (int step = 0; step < 3; step++) {
          step(backend, input, weights, bias, labels, loss);
        }
        long warm = backend.memoryStats().allocations();
        for (int step = 0; step < 5; step++) {
          step(backend, input, weights, bias, labels, loss);
        }
        assertEquals(warm, backend.memoryStats().allocations());
      }
    }
  }

  /** One dense-layer training step whose temporaries are created and closed, as a layer does. */
  private static void step(
      CpuBackend backend, float[] input, Tensor weights, Tensor bias, Tensor labels, Tensor loss) {
    try (Tensor x = backend.fromHost(input, Shape.matrix(64, 32));
        Tensor z = backend.zeros(Shape.matrix(64, 16));
        Tensor out = backend.zeros(Shape.matrix(64, 16));
        Tensor grad = backend.zeros(Shape.matrix(64, 16));
        Tensor gradWeights = backend.zeros(Shape.matrix(32, 16));
        Tensor gradBias = backend.zeros(Shape.vector(16))) {
      backend.gemm(false, false, 1f, x, weights, 0f, z);
      backend.biasActivationForward(ActivationKind.TANH, 0f, null, z, bias, out);
      backend.softmaxCrossEntropy(out, labels, grad, loss);
      backend.activationBackward(ActivationKind.TANH, 0f, null, z, out, grad, grad);
      backend.gemm(true, false, 1f, x, grad, 0f, gradWeights);
      backend.columnSums(grad, 0f, gradBias);
      SgdStep step = new SgdStep(0.1f, 0f, 0f);
      backend.sgdUpdate(weights, gradWeights, step);
      backend.sgdUpdate(bias, gradBias, step);
    }
  }

  @Test
  void useAfterCloseIsAnIllegalStateException() {
    try (CpuBackend backend = new CpuBackend(1)) {
      Tensor t = backend.zeros(Shape.vector(3));
      t.close();
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> backend.fill(t, 1f));
      assertTrue(e.getMessage().contains("fill"), e.getMessage());
    }
  }

  @Test
  void foreignTensorIsAnIllegalArgumentException() {
    try (CpuBackend mine = new CpuBackend(1);
        CpuBackend other = new CpuBackend(1);
        Tensor foreign = other.zeros(Shape.vector(3))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> mine.scale(foreign, 2f));
      assertTrue(e.getMessage().contains("scale"), e.getMessage());
    }
  }

  @Test
  void closedBackendRejectsWork() {
    CpuBackend backend = new CpuBackend(2);
    Tensor t = backend.zeros(Shape.vector(3));
    backend.close();
    assertThrows(IllegalStateException.class, () -> backend.zeros(Shape.vector(2)));
    assertThrows(IllegalStateException.class, () -> backend.sum(t));
  }

  @Test
  void threadsComeFromTheConstructor() {
    try (CpuBackend backend = new CpuBackend(3)) {
      assertEquals(3, backend.threads());
      assertTrue(backend.description().contains("3 threads"));
      assertEquals("cpu", backend.toString());
    }
    assertThrows(IllegalArgumentException.class, () -> new CpuBackend(0));
  }
}
