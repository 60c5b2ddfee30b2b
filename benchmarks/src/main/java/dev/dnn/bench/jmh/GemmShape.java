package dev.dnn.bench.jmh;

import dev.dnn.tensor.Shape;

/**
 * A GEMM problem {@code C[m x n] = op(A) op(B)} with shared dimension {@code k}, parsed from {@code
 * label:MxNxK:TT} where each T is N (as stored) or T (transposed).
 *
 * @param label a name for reports
 * @param m rows of C
 * @param n columns of C
 * @param k the shared dimension
 * @param transposeA whether A is stored {@code k x m}
 * @param transposeB whether B is stored {@code n x k}
 */
public record GemmShape(String label, int m, int n, int k, boolean transposeA, boolean transposeB) {

  /** Parses {@code label:MxNxK:TT}, for example {@code fc1.weightGrad:784x500x512:TN}. */
  public static GemmShape parse(String text) {
    String[] parts = text.split(":");
    String[] dims = parts.length == 3 ? parts[1].split("x") : new String[0];
    if (dims.length != 3 || parts[2].length() != 2 || !parts[2].matches("[NT]{2}")) {
      throw new IllegalArgumentException(
          "GEMM shape '" + text + "' is not label:MxNxK:TT (T being N or T)");
    }
    return new GemmShape(
        parts[0],
        Integer.parseInt(dims[0]),
        Integer.parseInt(dims[1]),
        Integer.parseInt(dims[2]),
        parts[2].charAt(0) == 'T',
        parts[2].charAt(1) == 'T');
  }

  /** The stored shape of A. */
  public Shape shapeOfA() {
    return transposeA ? Shape.matrix(k, m) : Shape.matrix(m, k);
  }

  /** The stored shape of B. */
  public Shape shapeOfB() {
    return transposeB ? Shape.matrix(n, k) : Shape.matrix(k, n);
  }

  /** Floating-point operations of one product: a multiply and an add per term. */
  public double flops() {
    return 2.0 * m * n * k;
  }
}
