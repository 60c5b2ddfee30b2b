package dev.dnn.cuda;

import dev.dnn.backend.KernelChecks;
import dev.dnn.tensor.Tensor;

/**
 * {@link CudaBackend#gemm} through cuBLAS (the runtime's {@code cublasSgemm}, whose status it
 * checks): row-major operands mapped onto the column-major call, and the empty products cuBLAS
 * would reject done as a fill or scale of C.
 */
final class CublasGemm {
  private final DeviceContext device;
  private final ElementwiseLaunches elementwise;

  CublasGemm(DeviceContext device, ElementwiseLaunches elementwise) {
    this.device = device;
    this.elementwise = elementwise;
  }

  void gemm(
      boolean transposeA,
      boolean transposeB,
      float alpha,
      Tensor a,
      Tensor b,
      float beta,
      Tensor c) {
    int k = KernelChecks.gemm(transposeA, transposeB, a, b, c);
    long pa = device.address(a, "gemm", "A");
    long pb = device.address(b, "gemm", "B");
    long pc = device.address(c, "gemm", "C");
    int m = c.shape().rows();
    int n = c.shape().cols();
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) { // an empty product: C = beta * C
      if (beta == 0f) {
        elementwise.fill(c, 0f);
      } else {
        elementwise.scale(c, beta);
      }
      return;
    }
    // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap the operands.
    device.runtime.gemm(
        transposeB,
        transposeA,
        n,
        m,
        k,
        alpha,
        pb,
        b.shape().cols(),
        pa,
        a.shape().cols(),
        beta,
        pc,
        n);
  }
}
