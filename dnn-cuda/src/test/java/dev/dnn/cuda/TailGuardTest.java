package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The pool's guard of tensor ends, on the host emulator's device (host memory), standing in for a
 * kernel that writes one element too many.
 */
class TailGuardTest {
  private final HostEmulatorRuntime device = new HostEmulatorRuntime(Path.of("unused"));

  @Test
  void aWritePastTheEndIsReportedOnce() {
    MemoryPool pool = new MemoryPool(device);
    long[] granted = new long[1];
    long block = pool.acquire(100, granted);
    Pointer.memset(new DevicePointer(block + 100), 7, 4); // one float past 25 floats
    pool.release(block, granted[0]);
    IllegalStateException e = assertThrows(IllegalStateException.class, pool::throwIfOverrun);
    assertTrue(
        e.getMessage().contains("4 bytes past the end of a tensor of 100 bytes"), e.getMessage());
    assertDoesNotThrow(pool::throwIfOverrun, "a violation is reported once");
    pool.freeAll();
  }

  @Test
  void writesWithinTheTensorAreFine() {
    MemoryPool pool = new MemoryPool(device);
    long[] granted = new long[1];
    long block = pool.acquire(100, granted);
    Pointer.memset(new DevicePointer(block), 7, 100);
    pool.release(block, granted[0]);
    assertDoesNotThrow(pool::throwIfOverrun);
    long again = pool.acquire(100, granted); // the cached block, re-armed
    assertEquals(block, again);
    Pointer.memset(new DevicePointer(again), 1, 100);
    pool.freeAll();
    assertDoesNotThrow(pool::throwIfOverrun);
  }

  @Test
  void tensorsStillOpenAreCheckedWhenThePoolIsFreed() {
    MemoryPool pool = new MemoryPool(device);
    long[] granted = new long[1];
    long block = pool.acquire(512, granted); // a whole size class: the guard pads the request
    assertTrue(granted[0] >= 512 + TailGuard.MIN_TAIL);
    Pointer.memset(new DevicePointer(block + 512 + 60), 1, 1);
    pool.freeAll();
    IllegalStateException e = assertThrows(IllegalStateException.class, pool::throwIfOverrun);
    assertTrue(e.getMessage().contains("61 bytes past the end"), e.getMessage());
  }

  @Test
  void manyViolationsAreSummarized() {
    MemoryPool pool = new MemoryPool(device);
    long[] granted = new long[1];
    for (int i = 0; i < 5; i++) {
      long block = pool.acquire(40 + 4 * i, granted);
      Pointer.memset(new DevicePointer(block + 40 + 4 * i), 1, 1);
      pool.release(block, granted[0]);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, pool::throwIfOverrun);
    assertTrue(e.getMessage().endsWith("(and 2 more)"), e.getMessage());
    pool.freeAll();
  }
}
