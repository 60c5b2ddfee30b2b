package dev.dnn.cpu;

/**
 * A right operand B ({@code k x n}, stored as is) with its panels packed once for the vector GEMM,
 * pass by pass as {@link VectorGemm} would pack them on every product: a layer's weights, which a
 * stream of predictions multiplies unchanged. Reading the packed panels instead of B in place, or
 * instead of packing them anew, is the same arithmetic on the same values, so the same bits.
 *
 * <p>Immutable once made, and safe to share between threads. It is a copy: it says nothing about B
 * after it was packed ({@link WeightPanels} decides whether it still holds).
 */
final class PackedB {
  private final float[] source;
  private final int k;
  private final int n;
  private final int generation;
  private final float[][] panels;

  private PackedB(float[] source, int k, int n, int generation, float[][] panels) {
    this.source = source;
    this.k = k;
    this.n = n;
    this.generation = generation;
    this.panels = panels;
  }

  /**
   * The panels of {@code b} ({@code k x n}) for passes of {@code columnsPerPass} columns by {@code
   * depth} rows, columns outermost (the order of {@link GemmPasses}), in micro-panels {@code width}
   * wide; {@code generation} is the owner's mark of the values packed.
   */
  static PackedB pack(
      float[] b, int k, int n, int width, int columnsPerPass, int depth, int generation) {
    int count = ((n + columnsPerPass - 1) / columnsPerPass) * ((k + depth - 1) / depth);
    float[][] panels = new float[count][];
    int p = 0;
    for (int jc = 0; jc < n; jc += columnsPerPass) {
      int nc = Math.min(columnsPerPass, n - jc);
      int microPanels = (nc + width - 1) / width;
      for (int pc = 0; pc < k; pc += depth) {
        int kc = Math.min(depth, k - pc);
        float[] panel = new float[microPanels * width * kc];
        VectorPacking.packB(false, b, n, k, pc, kc, jc, nc, width, 0, microPanels, panel);
        panels[p++] = panel;
      }
    }
    return new PackedB(b, k, n, generation, panels);
  }

  /** The packed panel of pass {@code index} ({@link GemmPasses.Pass#index}). */
  float[] panel(int index) {
    return panels[index];
  }

  /** B as it is stored, for a product that reads it in place after all. */
  float[] source() {
    return source;
  }

  int k() {
    return k;
  }

  int n() {
    return n;
  }

  /** The owner's mark of the values packed. */
  int generation() {
    return generation;
  }
}
