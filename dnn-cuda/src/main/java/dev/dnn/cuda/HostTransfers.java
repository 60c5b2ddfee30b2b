package dev.dnn.cuda;

import dev.dnn.backend.KernelChecks;
import dev.dnn.tensor.Tensor;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Copies between Java arrays and device tensors through one native staging buffer, grown on demand
 * and reused, so that each copy waits for the stream before the buffer is touched again.
 */
final class HostTransfers implements AutoCloseable {
  private final DeviceContext device;
  private final Runnable synchronize; // the backend's wait, which also reports kernel-found errors
  private FloatPointer staging = new FloatPointer(1024L);

  HostTransfers(DeviceContext device, Runnable synchronize) {
    this.device = device;
    this.synchronize = synchronize;
  }

  void copyFromHost(float[] src, int srcOffset, Tensor dst) {
    long address = device.address(dst, "copyFromHost", "dst");
    int n = dst.size();
    KernelChecks.hostRange("copyFromHost", "src", src, srcOffset, n);
    if (n == 0) {
      return;
    }
    FloatPointer host = staging(n);
    host.position(0).put(src, srcOffset, n);
    device.runtime.copyToDevice(host, address, (long) n * Float.BYTES);
    synchronize.run(); // the staging buffer is reused by the next copy
  }

  void copyToHost(Tensor src, float[] dst, int dstOffset) {
    long address = device.address(src, "copyToHost", "src");
    int n = src.size();
    KernelChecks.hostRange("copyToHost", "dst", dst, dstOffset, n);
    if (n == 0) {
      return;
    }
    FloatPointer host = staging(n);
    device.runtime.copyToHost(address, host.position(0), (long) n * Float.BYTES);
    synchronize.run();
    host.position(0).get(dst, dstOffset, n);
  }

  /** A host staging buffer of at least n floats, grown (never shrunk) on demand. */
  private FloatPointer staging(int n) {
    if (staging.capacity() < n) {
      // Allocate before closing: if the allocation fails, the old buffer must stay usable rather
      // than leave a freed pointer in the field for the next copy to write through.
      FloatPointer larger = new FloatPointer(Math.max((long) n, staging.capacity() * 2));
      staging.close();
      staging = larger;
    }
    return staging;
  }

  @Override
  public void close() {
    staging.close();
  }
}
