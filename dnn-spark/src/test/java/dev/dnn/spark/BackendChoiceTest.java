package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

class BackendChoiceTest {
  @Test
  void withoutAGpuATaskUsesItsCpusOnTheCpuBackend() {
    BackendChoice c = BackendChoice.select(new String[0], 3, Availability.usable("cuda"));
    assertEquals(BackendChoice.CPU, c.kind());
    assertEquals(3, c.threads());
    assertEquals("cpu:3", c.key());
    try (Backend b = c.create()) {
      assertEquals(3, ((CpuBackend) b).threads());
    }
  }

  @Test
  void anAssignedGpuIsUsedWhenCudaIsUsable() {
    BackendChoice c = BackendChoice.select(new String[] {"1", "2"}, 4, Availability.usable("ok"));
    assertEquals(BackendChoice.CUDA, c.kind());
    assertEquals(1, c.device());
    assertEquals("cuda:1", c.key());
  }

  @Test
  void anAssignedGpuWithoutUsableCudaFallsBackToTheCpuSayingWhy() {
    BackendChoice absent = BackendChoice.select(new String[] {"0"}, 2, null);
    assertEquals(BackendChoice.CPU, absent.kind());
    assertEquals(2, absent.threads());
    assertTrue(absent.reason().contains("not on the class path"), absent.reason());
    BackendChoice unusable =
        BackendChoice.select(new String[] {"0"}, 1, Availability.unusable("no driver"));
    assertEquals(BackendChoice.CPU, unusable.kind());
    assertTrue(unusable.reason().contains("no driver"), unusable.reason());
  }

  @Test
  void zeroCpusStillGiveOneThreadAndABadAddressIsNamed() {
    assertEquals(1, BackendChoice.select(null, 0, null).threads());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BackendChoice.select(new String[] {"gpu-a"}, 1, Availability.usable("ok")));
    assertTrue(e.getMessage().contains("gpu-a"));
  }

  @Test
  void outsideATaskTheDriverTakesAllProcessors() {
    BackendChoice c = BackendChoice.forCurrentTask();
    assertEquals(BackendChoice.CPU, c.kind());
    assertEquals(CpuBackend.defaultThreads(), c.threads());
  }
}
