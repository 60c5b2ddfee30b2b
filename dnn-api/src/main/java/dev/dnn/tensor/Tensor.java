package dev.dnn.tensor;

import dev.dnn.backend.Backend;

/**
 * A float32 array of a given {@link Shape} that lives where its {@link Backend} keeps numbers (the
 * Java heap, GPU memory). Tensors are created by a backend and can only be passed to that backend's
 * operations. Copies to and from the host are explicit ({@link Backend#copyFromHost}, {@link
 * #toArray()}). Closing a tensor returns its memory to the backend; passing it to an operation
 * afterwards throws an {@link IllegalStateException}, and passing it to another backend an {@link
 * IllegalArgumentException} (see {@link Backend}).
 *
 * <p>A tensor has no lock of its own: it may be used from several threads only as its backend
 * allows ({@link Backend#isThreadSafe()}), and a write to it must not overlap reads of it on other
 * threads.
 */
public abstract class Tensor implements AutoCloseable {
  private final Shape shape;

  protected Tensor(Shape shape) {
    this.shape = shape;
  }

  /** The dimensions of this tensor. */
  public final Shape shape() {
    return shape;
  }

  /** The number of elements. */
  public final int size() {
    return shape.size();
  }

  /** The backend that owns this tensor. */
  public abstract Backend backend();

  /** Whether {@link #close()} has been called. */
  public abstract boolean isClosed();

  /** Copies the contents to a new host array (waits for pending work on the backend). */
  public float[] toArray() {
    float[] host = new float[size()];
    backend().copyToHost(this, host, 0);
    return host;
  }

  /** Returns the memory to the backend. Idempotent. */
  @Override
  public abstract void close();

  @Override
  public String toString() {
    return getClass().getSimpleName() + shape;
  }
}
