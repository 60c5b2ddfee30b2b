package dev.dnn.cpu;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;

/**
 * A tensor of the {@link CpuBackend}: a float array on the Java heap, borrowed from its pool.
 *
 * <p>Safe to share between threads as far as its backend allows: closing it is synchronized and
 * takes effect once, but its array has no lock, so a write to it must not overlap reads of it on
 * other threads.
 */
public final class CpuTensor extends Tensor {
  private final CpuMemory backend;
  private final float[] data;
  private volatile boolean closed;

  CpuTensor(CpuMemory backend, float[] data, Shape shape) {
    super(shape);
    this.backend = backend;
    this.data = data;
  }

  @Override
  public Backend backend() {
    return backend;
  }

  CpuMemory owner() {
    return backend;
  }

  /** The backing array; fails if the tensor was closed. */
  float[] data() {
    if (closed) {
      throw new IllegalStateException("cpu tensor " + shape() + " used after close");
    }
    return data;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    backend.release(data);
  }

  @Override
  public String toString() {
    return "CpuTensor" + shape() + (closed ? " (closed)" : "");
  }
}
