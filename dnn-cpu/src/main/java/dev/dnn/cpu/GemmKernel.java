package dev.dnn.cpu;

/**
 * Single-precision {@code C = alpha op(A) op(B) + beta C} on row-major arrays, the GEMM family of
 * the CPU kernels. Stored A is {@code m x k} ({@code k x m} when transposed), stored B {@code k x
 * n} ({@code n x k} when transposed), C is {@code m x n}. Arguments are already checked; when
 * {@code beta} is 0 the old contents of C are never read.
 *
 * <p>Implementations compute every element of C by a sequence of operations that depends only on
 * the shape, never on the number of threads. They may be called from several threads at once (one
 * model serving concurrent predictions): no call waits for another's buffers.
 */
interface GemmKernel {
  /** Computes {@code C = alpha op(A) op(B) + beta C}. */
  void multiply(
      boolean transposeA,
      boolean transposeB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      float[] b,
      float beta,
      float[] c);

  /**
   * B ({@code k x n}, not transposed) packed once for later products {@code A B} of at least two
   * rows, or null where this kernel gains nothing from it (the plain GEMM, or the vector one before
   * its tiles run). {@code generation} is stored with it for its owner.
   */
  default PackedB pack(float[] b, int k, int n, int generation) {
    return null;
  }

  /**
   * {@code multiply(false, false, m, n, k, alpha, a, b.source(), beta, c)} on B's packed panels:
   * the same bits.
   */
  default void multiply(
      int m, int n, int k, float alpha, float[] a, PackedB b, float beta, float[] c) {
    multiply(false, false, m, n, k, alpha, a, b.source(), beta, c);
  }
}
