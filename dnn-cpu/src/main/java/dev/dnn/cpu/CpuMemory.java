package dev.dnn.cpu;

import dev.dnn.backend.Backend;
import dev.dnn.backend.KernelChecks;
import dev.dnn.backend.MemoryStats;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Arrays;

/**
 * What {@link CpuBackend} keeps besides dispatch: tensors as float arrays from a size-keyed pool,
 * copies to and from the host, the worker threads, the life cycle, and the check that a tensor is a
 * live one of this backend ({@link KernelChecks#owned}).
 */
abstract class CpuMemory implements Backend {
  final Parallel parallel;
  private final ArrayPool pool = new ArrayPool();
  private volatile boolean closed;

  /** The check of {@link #copyFiniteFromHost}, in the form the backend's kernel path allows. */
  abstract FiniteCheck finiteCheck();

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
    KernelChecks.fromHost(data, shape);
    float[] array = pool.acquire(shape.size());
    System.arraycopy(data, 0, array, 0, data.length);
    return new CpuTensor(this, array, shape);
  }

  @Override
  public void copyFromHost(float[] src, int srcOffset, Tensor dst) {
    float[] d = data(dst, "copyFromHost", "dst");
    KernelChecks.hostRange("copyFromHost", "src", src, srcOffset, d.length);
    System.arraycopy(src, srcOffset, d, 0, d.length);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Block by block, each checked while it is still in the L1 cache, split over the threads from
   * {@link FiniteCopy#PARALLEL_FROM} floats on.
   */
  @Override
  public boolean copyFiniteFromHost(float[] src, int srcOffset, Tensor dst) {
    float[] d = data(dst, "copyFiniteFromHost", "dst");
    KernelChecks.hostRange("copyFiniteFromHost", "src", src, srcOffset, d.length);
    return FiniteCopy.copy(parallel, finiteCheck(), src, srcOffset, d);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A share per thread, of at least four rows, the caller running one: a share's products and
   * element-wise ops then run on its thread alone, with no wait between layers and its rows in its
   * core's caches (the Tuned network at batch 512: 1.9 ms against 2.3 with every op split over the
   * two threads). Where the workers are busy with another call, or parked with a short pass to
   * come, the caller runs one share of every row, whose ops split as usual.
   */
  @Override
  public void forRowShares(int rows, long workPerRow, RowShare task) {
    ensureOpen();
    if (rows < 0) {
      throw new IllegalArgumentException("forRowShares: rows is " + rows + ", must be >= 0");
    }
    if (task == null) {
      throw new IllegalArgumentException("forRowShares: task is null");
    }
    parallel.forRowShares(rows, workPerRow, task);
  }

  @Override
  public void copyToHost(Tensor src, float[] dst, int dstOffset) {
    float[] s = data(src, "copyToHost", "src");
    KernelChecks.hostRange("copyToHost", "dst", dst, dstOffset, s.length);
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
    KernelChecks.open(this, closed);
  }

  /**
   * The array behind {@code t}, the argument {@code operand} of {@code op}, after checking that it
   * is a live tensor of this open backend.
   */
  float[] data(Tensor t, String op, String operand) {
    return tensor(t, op, operand).data();
  }

  /**
   * {@link #data}, for an operand the op only reads: copies made of its values stay valid ({@link
   * CpuTensor#readData}).
   */
  float[] readData(Tensor t, String op, String operand) {
    return tensor(t, op, operand).readData();
  }

  /** The operand checked to be an open tensor of this backend. */
  CpuTensor tensor(Tensor t, String op, String operand) {
    ensureOpen();
    return KernelChecks.owned(op, operand, t, this, CpuTensor.class);
  }
}
