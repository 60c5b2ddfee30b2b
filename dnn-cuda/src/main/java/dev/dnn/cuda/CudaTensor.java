package dev.dnn.cuda;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.lang.ref.Cleaner;

/**
 * A tensor in device memory, a block of the backend's {@link MemoryPool}. Closing it returns the
 * block to the pool; a {@link Cleaner} does the same for a tensor that was never closed.
 *
 * <p>Not thread-safe: use it as its {@link CudaBackend} is used, one thread at a time or under the
 * backend's monitor.
 */
public final class CudaTensor extends Tensor {
  private static final Cleaner CLEANER = Cleaner.create();

  private final CudaBackend backend;
  private final long address;
  private final Cleaner.Cleanable cleanable;
  private volatile boolean closed;

  CudaTensor(CudaBackend backend, MemoryPool pool, Shape shape) {
    super(shape);
    this.backend = backend;
    long bytes = (long) shape.size() * Float.BYTES;
    if (bytes == 0) {
      this.address = 0;
      this.cleanable = null;
    } else {
      long[] granted = new long[1];
      this.address = pool.acquire(bytes, granted);
      long size = granted[0];
      long block = address;
      this.cleanable = CLEANER.register(this, () -> pool.release(block, size));
    }
  }

  /** The device address of the first element (0 for an empty tensor). */
  long address() {
    if (closed) {
      throw new IllegalStateException("tensor " + shape() + " was closed");
    }
    return address;
  }

  @Override
  public Backend backend() {
    return backend;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (cleanable != null) {
        cleanable.clean();
      }
    }
  }
}
