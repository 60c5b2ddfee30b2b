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
 *
 * <p>Every op that may write the array gets it through {@link #data()}, which advances the tensor's
 * generation; ops that only read it may use {@link #readData()}. A copy made of the values, such as
 * the packed panels of a layer's weights ({@link WeightPanels}), holds while the generation it was
 * made at is the tensor's.
 */
public final class CpuTensor extends Tensor {
  private final CpuMemory backend;
  private final float[] data;
  private volatile boolean closed;

  /** Advanced by every {@link #data()}: a write may follow. */
  private int generation;

  /** The generation last multiplied as a right operand, for {@link WeightPanels}. */
  private int multipliedAt = -1;

  private volatile PackedB packed;

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

  /** The backing array, for an op that may write it; fails if the tensor was closed. */
  float[] data() {
    float[] d = readData();
    generation++;
    return d;
  }

  /**
   * The backing array, for an op that only reads it (a copy of the values made before stays valid);
   * fails if the tensor was closed.
   */
  float[] readData() {
    if (closed) {
      throw new IllegalStateException("cpu tensor " + shape() + " used after close");
    }
    return data;
  }

  int generation() {
    return generation;
  }

  int multipliedAt() {
    return multipliedAt;
  }

  void multipliedAt(int generation) {
    multipliedAt = generation;
  }

  PackedB packed() {
    return packed;
  }

  void packed(PackedB panels) {
    packed = panels;
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
    packed = null;
    backend.release(data);
  }

  @Override
  public String toString() {
    return "CpuTensor" + shape() + (closed ? " (closed)" : "");
  }
}
