package dev.dnn.cpu;

/**
 * When the GEMM reads a right operand's panels packed once instead of B itself: a tensor multiplied
 * unchanged as B a second time (a layer's weights, from a model's second prediction or evaluation
 * batch on) gets its panels packed and kept on the tensor, and any op that may have written it
 * since ({@link CpuTensor#data()}) makes them stale. A training step changes its weights between
 * their forward products, so it packs nothing ahead.
 *
 * <p>Packed panels are read in order from one array instead of B's rows with a stride, and the
 * products of more than {@link VectorGemm#IN_PLACE_B_MAX_M} rows skip their packing: in one JVM a
 * prediction of 512 rows of the Tuned network took 10% less time, one of 16 rows 4% less
 * (BENCHMARKS.md). The panels cost a copy of the weights in memory.
 *
 * <p>Stateless; threads that predict at once may each pack a tensor's panels, and the last one kept
 * is as good as any.
 */
final class WeightPanels {
  /** B smaller than this many floats is read as it is: packing it pays little. */
  static final int MIN_SIZE = 1 << 14;

  /**
   * B larger than this many floats (64 MB) is read as it is too: its copy would double the memory
   * of a model that is mostly this layer.
   */
  static final int MAX_SIZE = 1 << 24;

  private WeightPanels() {}

  /**
   * The panels to multiply {@code b} ({@code k x n}, not transposed) with, on the left, {@code m}
   * rows not transposed; null to multiply B itself.
   */
  static PackedB lookup(GemmKernel gemm, CpuTensor b, int m, int k, int n) {
    long size = (long) k * n;
    if (m < 2 || size < MIN_SIZE || size > MAX_SIZE) {
      return null;
    }
    int generation = b.generation();
    PackedB packed = b.packed();
    if (packed != null && packed.generation() == generation) {
      return packed;
    }
    if (b.multipliedAt() != generation) {
      b.multipliedAt(generation);
      return null;
    }
    packed = gemm.pack(b.readData(), k, n, generation);
    if (packed != null) {
      // Only a copy is stored: a kernel that packs nothing (the plain GEMM) would otherwise have
      // every prediction of every thread write the shared tensor.
      b.packed(packed);
    }
    return packed;
  }
}
