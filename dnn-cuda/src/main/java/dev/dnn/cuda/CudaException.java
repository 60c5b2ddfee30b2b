package dev.dnn.cuda;

import dev.dnn.backend.BackendException;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;

/**
 * A CUDA runtime, cuBLAS or kernel launch call failed; the message names the call and status.
 *
 * <p>Its fields are final: safe to share between threads once thrown.
 */
public final class CudaException extends BackendException {
  private static final long serialVersionUID = 1L;

  private final int status;

  CudaException(String call, int status, String statusText) {
    super(call + " failed: " + statusText + " (status " + status + ")");
    this.status = status;
  }

  /** The numeric status the call returned ({@code cudaError_t} or {@code cublasStatus_t}). */
  public int status() {
    return status;
  }

  /** Throws if a CUDA runtime call (or a kernel launcher, which returns a cudaError_t) failed. */
  static void checkCuda(int status, String call) {
    if (status != cudart.cudaSuccess) {
      throw new CudaException(call, status, cudaErrorText(status));
    }
  }

  private static String cudaErrorText(int status) {
    try {
      return cudart.cudaGetErrorName(status).getString()
          + ": "
          + cudart.cudaGetErrorString(status).getString();
    } catch (LinkageError e) { // the host emulator runs without the CUDA runtime
      return "cudaError " + status;
    }
  }

  /** Throws if a cuBLAS call failed. */
  static void checkCublas(int status, String call) {
    if (status != cublas.CUBLAS_STATUS_SUCCESS) {
      throw new CudaException(call, status, cublas.cublasGetStatusString(status).getString());
    }
  }
}
