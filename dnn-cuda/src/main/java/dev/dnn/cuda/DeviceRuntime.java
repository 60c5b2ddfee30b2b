package dev.dnn.cuda;

import org.bytedeco.javacpp.Pointer;

/**
 * What {@link CudaBackend} needs besides the dnn kernels: device memory, copies, one stream and a
 * column-major SGEMM with cuBLAS's semantics. {@link CudaRuntime} is the real one; {@link
 * HostEmulatorRuntime} runs the same backend code on host memory so that it can be tested without a
 * GPU. Every asynchronous operation is ordered on {@link #stream()}.
 */
interface DeviceRuntime extends AutoCloseable {
  /** The backend name this runtime is selected by. */
  String backendName();

  /** One line naming the device, its libraries and the GEMM precision. */
  String description();

  /** The device ordinal. */
  int device();

  /** Whether GEMMs may round their inputs to TF32. */
  boolean tf32();

  /** The {@code cudaStream_t} every operation and kernel launch is queued on, as an address. */
  long stream();

  /** A new block of {@code bytes} of device memory, or 0 when the device is out of memory. */
  long allocate(long bytes);

  /** Returns a block obtained from {@link #allocate} to the device. */
  void free(long address);

  /** Waits until the whole device is idle, not only the stream. */
  void synchronizeDevice();

  /** Waits until everything queued on the stream has run. */
  void synchronize();

  /** Queues a copy of {@code bytes} from host memory to a device address. */
  void copyToDevice(Pointer host, long device, long bytes);

  /** Queues a copy of {@code bytes} from a device address to host memory. */
  void copyToHost(long device, Pointer host, long bytes);

  /** Queues setting {@code bytes} bytes at a device address to {@code value}. */
  void memset(long device, int value, long bytes);

  /**
   * Queues the column-major {@code C = alpha op(A) op(B) + beta C} of cuBLAS's {@code cublasSgemm}:
   * op(A) is m x k, op(B) is k x n, C is m x n, and with {@code beta == 0} C is not read.
   */
  void gemm(
      boolean transposeA,
      boolean transposeB,
      int m,
      int n,
      int k,
      float alpha,
      long a,
      int lda,
      long b,
      int ldb,
      float beta,
      long c,
      int ldc);

  /**
   * Whether the pool should guard the bytes past each tensor's end and report kernels that write
   * there: cheap where device memory is host memory, so only the host emulator does.
   */
  default boolean guardsTensorEnds() {
    return false;
  }

  /** Releases the stream and library handles; every release is attempted even if one fails. */
  @Override
  void close();
}
