package dev.dnn.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;

/**
 * Catches kernels that write past the end of a tensor, on devices whose memory the host can read
 * cheaply (the host emulator). The bytes between a tensor's last element and the end of its pool
 * block are filled with a pattern when the block is handed out, and checked when the block comes
 * back or the pool is freed. On a GPU such a write silently corrupts the next tensor in memory;
 * here it becomes a report that names the tensor's size and how far the write went.
 */
final class TailGuard {
  /**
   * Bytes every guarded block keeps beyond its tensor, so that no tensor ends at its block's end.
   */
  static final long MIN_TAIL = 64;

  private static final byte PATTERN = (byte) 0xA5;

  private final DeviceRuntime device;
  private final Map<Long, Long> tensorBytes = new HashMap<>();
  private final List<String> violations = new ArrayList<>();

  TailGuard(DeviceRuntime device) {
    this.device = device;
  }

  /** Fills the tail of a block of {@code size} bytes whose tensor uses its first {@code bytes}. */
  void arm(long address, long bytes, long size) {
    device.memset(address + bytes, PATTERN, size - bytes);
    tensorBytes.put(address, bytes);
  }

  /** Checks the tail of a block that comes back; a damaged tail is kept as a violation. */
  void check(long address, long size) {
    Long bytes = tensorBytes.remove(address);
    if (bytes == null) {
      return;
    }
    long tail = size - bytes;
    try (BytePointer host = new BytePointer(tail)) {
      device.copyToHost(address + bytes, host, tail);
      device.synchronize();
      long last = -1;
      for (long i = 0; i < tail; i++) {
        if (host.get(i) != PATTERN) {
          last = i;
        }
      }
      if (last >= 0) {
        violations.add(
            "a kernel wrote up to "
                + (last + 1)
                + " bytes past the end of a tensor of "
                + bytes
                + " bytes (block 0x"
                + Long.toHexString(address)
                + ")");
      }
    }
  }

  /** Checks every block still armed, as when the pool frees them all. */
  void checkAll(Map<Long, Long> sizeByAddress) {
    for (Long address : tensorBytes.keySet().toArray(new Long[0])) {
      check(address, sizeByAddress.get(address));
    }
  }

  /** The violations found since the last call, which forgets them. */
  List<String> takeViolations() {
    List<String> found = List.copyOf(violations);
    violations.clear();
    return found;
  }
}
