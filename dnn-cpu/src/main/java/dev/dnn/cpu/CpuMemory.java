package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.backend.MemoryStats;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Arrays;

/**
 * What {@link CpuBackend} keeps besides dispatch: tensors as float arrays from a size-keyed pool,
 * copies to and from the host, the worker threads, the life cycle, and the checks every operation
 * makes of its tensors.
 */
abstract class CpuMemory implements Backend {
  final Parallel parallel;
  private final ArrayPool pool = new ArrayPool();
  private volatile boolean closed;

  CpuMemory(Parallel parallel) {
    this.parallel = parallel;
  }

  @Override
  public Tensor zeros(Shape shape) {
    ensureOpen();
    float[] data = pool.acquire(shape.size());
    Arrays.fill(data, 0f);
    return new CpuTensor(this, data, shape);
  }

  @Override
  public Tensor fromHost(float[] data, Shape shape) {
    ensureOpen();
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(
          "fromHost: " + data.length + " floats do not fill shape " + shape);
    }
    float[] array = pool.acquire(shape.size());
    System.arraycopy(data, 0, array, 0, data.length);
    return new CpuTensor(this, array, shape);
  }

  @Override
  public void copyFromHost(float[] src, int srcOffset, Tensor dst) {
    float[] d = data(dst, "copyFromHost");
    if (srcOffset < 0 || (long) srcOffset + d.length > src.length) {
      throw new IllegalArgumentException(
          "copyFromHost: "
              + d.length
              + " floats from offset "
              + srcOffset
              + " overrun a host array of "
              + src.length
              + " into "
              + dst);
    }
    System.arraycopy(src, srcOffset, d, 0, d.length);
  }

  @Override
  public void copyToHost(Tensor src, float[] dst, int dstOffset) {
    float[] s = data(src, "copyToHost");
    if (dstOffset < 0 || (long) dstOffset + s.length > dst.length) {
      throw new IllegalArgumentException(
          "copyToHost: "
              + src
              + " does not fit a host array of "
              + dst.length
              + " at offset "
              + dstOffset);
    }
    System.arraycopy(s, 0, dst, dstOffset, s.length);
  }

  @Override
  public void synchronize() {
    ensureOpen();
  }

  @Override
  public MemoryStats memoryStats() {
    return pool.stats();
  }

  @Override
  public void close() {
    closed = true;
    parallel.close();
    pool.clear();
  }

  void release(float[] array) {
    if (!closed) {
      pool.release(array);
    }
  }

  // ---------------------------------------------------------------- checks

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("cpu backend used after close");
    }
  }

  /** The array behind {@code t}, after checking it is a live tensor of this open backend. */
  float[] data(Tensor t, String op) {
    ensureOpen();
    if (t == null) {
      throw new IllegalArgumentException(op + ": tensor argument is null");
    }
    if (!(t instanceof CpuTensor cpu) || cpu.owner() != this) {
      throw new IllegalArgumentException(
          op
              + ": "
              + t
              + " belongs to backend '"
              + t.backend()
              + "', not to this cpu backend; copy it through the host first");
    }
    if (cpu.isClosed()) {
      throw new IllegalStateException(op + ": " + t + " was used after close");
    }
    return cpu.data();
  }

  static void sameSize(String op, Tensor... tensors) {
    for (Tensor t : tensors) {
      if (t == null) {
        throw new IllegalArgumentException(op + ": tensor argument is null");
      }
    }
    int size = tensors[0].size();
    for (Tensor t : tensors) {
      if (t.size() != size) {
        StringBuilder shapes = new StringBuilder();
        for (Tensor u : tensors) {
          shapes.append(shapes.length() == 0 ? "" : ", ").append(u.shape());
        }
        throw new IllegalArgumentException(
            op + ": tensors must have the same number of elements, got " + shapes);
      }
    }
  }

  static void perColumn(String op, Tensor x, Tensor... vectors) {
    int cols = x.shape().cols();
    for (Tensor v : vectors) {
      if (v.size() != cols) {
        throw new IllegalArgumentException(
            op
                + ": per-feature tensor "
                + v.shape()
                + " must have "
                + cols
                + " for x "
                + x.shape());
      }
    }
  }

  /** The slopes of a PReLU (per column) or RReLU (per element), checked; null for other kinds. */
  float[] slopes(ActivationKind kind, Tensor slopes, Tensor z, String op) {
    if (!kind.usesSlopes()) {
      return null;
    }
    if (slopes == null) {
      throw new IllegalArgumentException(op + ": needs a slopes tensor");
    }
    int expected = kind == ActivationKind.PRELU ? z.shape().cols() : z.size();
    if (slopes.size() != expected) {
      throw new IllegalArgumentException(
          op
              + ": slopes "
              + slopes.shape()
              + " must have "
              + expected
              + " elements for z "
              + z.shape());
    }
    return data(slopes, op);
  }

  /** The one-element loss accumulator, checked. */
  float[] lossCell(Tensor lossSum, String op) {
    if (lossSum.size() < 1) {
      throw new IllegalArgumentException(op + ": lossSum " + lossSum.shape() + " is empty");
    }
    return data(lossSum, op);
  }
}
