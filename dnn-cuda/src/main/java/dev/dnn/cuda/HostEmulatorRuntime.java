package dev.dnn.cuda;

import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;

/**
 * The device of the host emulator: "device" memory is host memory from {@code malloc}, the stream
 * is the null stream (the emulated kernels run when they are launched, so every queued operation
 * has finished when its call returns), and GEMM is a plain loop in double precision. Nothing of the
 * CUDA runtime or cuBLAS is loaded.
 */
final class HostEmulatorRuntime implements DeviceRuntime {
  private final Path kernelLibrary;

  HostEmulatorRuntime(Path kernelLibrary) {
    this.kernelLibrary = kernelLibrary;
  }

  @Override
  public String backendName() {
    return HostEmulatorProvider.NAME;
  }

  @Override
  public String description() {
    return "CUDA kernels on the host emulator (" + kernelLibrary + "), GEMM in Java";
  }

  @Override
  public int device() {
    return 0;
  }

  @Override
  public boolean tf32() {
    return false;
  }

  @Override
  public long stream() {
    return 0L;
  }

  @Override
  public boolean guardsTensorEnds() {
    return true;
  }

  @Override
  public long allocate(long bytes) {
    Pointer block = Pointer.malloc(bytes);
    return block == null ? 0L : block.address();
  }

  @Override
  public void free(long address) {
    Pointer.free(new DevicePointer(address));
  }

  @Override
  public void synchronizeDevice() {
    // Emulated launches and copies complete before they return.
  }

  @Override
  public void synchronize() {
    // Emulated launches and copies complete before they return.
  }

  @Override
  public void copyToDevice(Pointer host, long device, long bytes) {
    Pointer.memcpy(new DevicePointer(device), host, bytes);
  }

  @Override
  public void copyToHost(long device, Pointer host, long bytes) {
    Pointer.memcpy(host, new DevicePointer(device), bytes);
  }

  @Override
  public void memset(long device, int value, long bytes) {
    Pointer.memset(new DevicePointer(device), value, bytes);
  }

  @Override
  public void gemm(
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
      int ldc) {
    // Column-major, as cuBLAS: op(A)(i, l) is A[i + l * lda], or A[l + i * lda] when transposed.
    float[] hostA = read(a, (long) lda * (transposeA ? m : k));
    float[] hostB = read(b, (long) ldb * (transposeB ? k : n));
    float[] hostC = read(c, (long) ldc * n);
    // Rows of op(A) and columns of op(B), each contiguous, so that every dot product streams.
    float[][] rowsOfA = new float[m][k];
    float[][] columnsOfB = new float[n][k];
    for (int l = 0; l < k; l++) {
      for (int i = 0; i < m; i++) {
        rowsOfA[i][l] = transposeA ? hostA[l + i * lda] : hostA[i + l * lda];
      }
      for (int j = 0; j < n; j++) {
        columnsOfB[j][l] = transposeB ? hostB[j + l * ldb] : hostB[l + j * ldb];
      }
    }
    for (int j = 0; j < n; j++) {
      float[] column = columnsOfB[j];
      for (int i = 0; i < m; i++) {
        float[] row = rowsOfA[i];
        double sum = 0;
        for (int l = 0; l < k; l++) {
          sum += (double) row[l] * column[l];
        }
        int at = i + j * ldc;
        // With beta == 0 C is output only, as in cuBLAS: a NaN already there must not survive.
        hostC[at] = (float) (alpha * sum + (beta == 0f ? 0.0 : (double) beta * hostC[at]));
      }
    }
    new DevicePointer(c).put(hostC, 0, hostC.length);
  }

  private static float[] read(long address, long length) {
    if (length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("emulated GEMM operand of " + length + " floats");
    }
    float[] values = new float[(int) length];
    new DevicePointer(address).get(values, 0, values.length);
    return values;
  }

  @Override
  public void close() {
    // No stream or handle to release.
  }
}
