package dev.dnn.cpu;

/**
 * What both CPU GEMMs share so that they give the same bits: the passes over K, and which products
 * take the transposed result's rounding. Holds constants and pure functions only.
 */
final class GemmForm {
  /** Most depth of a pass over K (256, 384 and 512 measured alike within noise). */
  static final int KC = 384;

  /** Rows of the vector GEMM's tile. */
  static final int TILE_ROWS = 6;

  /**
   * The vector GEMM's tile width with 16-float (512-bit) vectors, which the plain GEMM assumes when
   * no vector shape is known: with narrower vectors the two differ in the rounding of the narrow
   * transposed products only ({@link #transposedResult}).
   */
  static final int TILE_COLUMNS = 32;

  private GemmForm() {}

  /**
   * The depth of each pass over K: K in equal passes of at most {@link #KC} (a short last pass, 784
   * = 384 + 384 + 16, would read and write all of C for a few k steps).
   */
  static int passDepth(int k) {
    int passes = (k + KC - 1) / KC;
    return (k + passes - 1) / passes;
  }

  /**
   * Whether the vector GEMM computes {@code C^T = op(B)^T op(A)^T} into a scratch and then adds
   * {@code beta C}: when C is narrower than a tile, the transposed product needs far fewer tiles
   * (each k step of a tile costs a broadcast per row, whatever its width), and when A is stored
   * transposed its packing as the right operand is a plain copy. This is the shape of a small
   * layer's weight gradient {@code X^T dY}.
   */
  static boolean transposedResult(boolean transposeA, int m, int n, int tileColumns) {
    long straight =
        (long) ((m + TILE_ROWS - 1) / TILE_ROWS) * ((n + tileColumns - 1) / tileColumns);
    long swapped = (long) ((n + TILE_ROWS - 1) / TILE_ROWS) * ((m + tileColumns - 1) / tileColumns);
    return transposeA && n < tileColumns && 2 * swapped < straight;
  }
}
