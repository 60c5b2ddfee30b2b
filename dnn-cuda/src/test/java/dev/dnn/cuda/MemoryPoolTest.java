package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Size classes of the caching allocator (pure arithmetic, no device needed). */
class MemoryPoolTest {
  @Test
  void smallRequestsRoundUpToHalfKilobytes() {
    assertEquals(512, MemoryPool.sizeClass(1));
    assertEquals(512, MemoryPool.sizeClass(512));
    assertEquals(1024, MemoryPool.sizeClass(513));
    assertEquals(1L << 20, MemoryPool.sizeClass(1L << 20));
  }

  @Test
  void largeRequestsRoundUpToTwoMebibytes() {
    assertEquals(2L << 20, MemoryPool.sizeClass((1L << 20) + 1));
    assertEquals(4L << 20, MemoryPool.sizeClass((2L << 20) + 1));
  }
}
