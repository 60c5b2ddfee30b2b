package dev.dnn.cuda;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The CUDA runtime and cuBLAS through JavaCPP's CUDA presets: one non-blocking stream on the
 * device, and one cuBLAS handle bound to it.
 */
final class CudaRuntime implements DeviceRuntime {
  private final int device;
  private final boolean tf32;
  private final CUstream_st stream = new CUstream_st();
  private final cublasContext cublasHandle = new cublasContext();
  // GEMM scalars in host memory: cuBLAS (host pointer mode) reads them before the call returns.
  private final FloatPointer hostAlpha = new FloatPointer(1L);
  private final FloatPointer hostBeta = new FloatPointer(1L);
  private final String description;

  /**
   * Opens a stream and a cuBLAS handle on {@code device}; on failure releases what it made.
   *
   * @param allowTf32 let cuBLAS round GEMM inputs to TF32 on tensor cores
   */
  CudaRuntime(int device, boolean allowTf32) {
    this.device = device;
    this.tf32 = allowTf32;
    try {
      CudaException.checkCuda(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
      CudaException.checkCuda(
          cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking),
          "cudaStreamCreateWithFlags");
      CudaException.checkCublas(cublas.cublasCreate_v2(cublasHandle), "cublasCreate");
      CudaException.checkCublas(cublas.cublasSetStream_v2(cublasHandle, stream), "cublasSetStream");
      CudaException.checkCublas(
          cublas.cublasSetMathMode(
              cublasHandle,
              allowTf32 ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_DEFAULT_MATH),
          "cublasSetMathMode");
      int[] count = new int[1];
      CudaException.checkCuda(cudart.cudaGetDeviceCount(count), "cudaGetDeviceCount");
      int[] cublasVersion = new int[1];
      CudaException.checkCublas(
          cublas.cublasGetVersion_v2(cublasHandle, cublasVersion), "cublasGetVersion");
      this.description =
          "CUDA: "
              + CudaAvailability.describeDevice(device, count[0])
              + ", cuBLAS "
              + cublasVersion[0]
              + (allowTf32 ? ", TF32 GEMM" : ", float32 GEMM");
    } catch (RuntimeException | Error e) {
      // The caller never gets an object to close: release the stream and handle made so far.
      try {
        close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public String backendName() {
    return "cuda";
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public int device() {
    return device;
  }

  @Override
  public boolean tf32() {
    return tf32;
  }

  @Override
  public long stream() {
    return stream.address();
  }

  @Override
  public long allocate(long bytes) {
    Pointer target = new Pointer();
    int status = cudart.cudaMalloc(target, bytes);
    if (status == cudart.cudaErrorMemoryAllocation) {
      cudart.cudaGetLastError(); // clear the error so that the caller's retry starts clean
      return 0;
    }
    CudaException.checkCuda(status, "cudaMalloc(" + bytes + " bytes)");
    return target.address();
  }

  @Override
  public void free(long address) {
    CudaException.checkCuda(cudart.cudaFree(new DevicePointer(address)), "cudaFree");
  }

  @Override
  public void synchronizeDevice() {
    CudaException.checkCuda(cudart.cudaDeviceSynchronize(), "cudaDeviceSynchronize");
  }

  @Override
  public void synchronize() {
    CudaException.checkCuda(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  }

  @Override
  public void copyToDevice(Pointer host, long device, long bytes) {
    CudaException.checkCuda(
        cudart.cudaMemcpyAsync(
            new DevicePointer(device), host, bytes, cudart.cudaMemcpyHostToDevice, stream),
        "cudaMemcpyAsync(host to device)");
  }

  @Override
  public void copyToHost(long device, Pointer host, long bytes) {
    CudaException.checkCuda(
        cudart.cudaMemcpyAsync(
            host, new DevicePointer(device), bytes, cudart.cudaMemcpyDeviceToHost, stream),
        "cudaMemcpyAsync(device to host)");
  }

  @Override
  public void memset(long device, int value, long bytes) {
    CudaException.checkCuda(
        cudart.cudaMemsetAsync(new DevicePointer(device), value, bytes, stream), "cudaMemsetAsync");
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
    CudaException.checkCublas(
        cublas.cublasSgemm_v2(
            cublasHandle,
            transposeA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
            transposeB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
            m,
            n,
            k,
            hostAlpha.put(0, alpha),
            new DevicePointer(a),
            lda,
            new DevicePointer(b),
            ldb,
            hostBeta.put(0, beta),
            new DevicePointer(c),
            ldc),
        "cublasSgemm");
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    try {
      if (!cublasHandle.isNull()) {
        CudaException.checkCublas(cublas.cublasDestroy_v2(cublasHandle), "cublasDestroy");
        cublasHandle.setNull();
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      if (!stream.isNull()) {
        CudaException.checkCuda(cudart.cudaStreamDestroy(stream), "cudaStreamDestroy");
        stream.setNull();
      }
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    hostAlpha.close();
    hostBeta.close();
    if (failure != null) {
      throw failure;
    }
  }
}
