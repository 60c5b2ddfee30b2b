package dev.dnn.cpu;

import static dev.dnn.cpu.VectorTiles.MR;

import java.util.Arrays;

/** The packing of {@link VectorGemm}: op(B) into micro-panels for the tile, op(A) into MR rows. */
final class VectorPacking {
  private VectorPacking() {}

  /**
   * Packs micro-panels {@code [from, to)} of {@code op(B)[pc..pc+kc, jc..jc+nc]}, each {@code kc x
   * width} row-major at {@code panel * width * kc} of {@code dst}. Columns past {@code nc} hold
   * whatever is cheapest to write (zeros or the next elements of B): the kernel's lanes are
   * independent, and those lanes of a tile are never stored to C.
   */
  static void packB(
      boolean transposeB,
      float[] b,
      int n,
      int k,
      int pc,
      int kc,
      int jc,
      int nc,
      int width,
      int from,
      int to,
      float[] dst) {
    for (int jr = from; jr < to; jr++) {
      int col = jc + jr * width;
      int cols = Math.min(width, jc + nc - col);
      int base = jr * width * kc;
      if (transposeB) {
        packColumnsOfBt(b, k, pc, kc, col, cols, width, base, dst);
        continue;
      }
      for (int p = 0; p < kc; p++) {
        int src = (pc + p) * n + col;
        int d = base + p * width;
        if (src + width <= b.length) {
          // The whole width, past the panel's last column too when it is ragged: those lanes only
          // reach columns of the tile that are never written back to C. A plain copy, so that no
          // Vector API code runs (slowly) before the JIT has compiled it.
          System.arraycopy(b, src, dst, d, width);
        } else {
          for (int j = 0; j < cols; j++) {
            dst[d + j] = b[src + j];
          }
          Arrays.fill(dst, d + cols, d + width, 0f);
        }
      }
    }
  }

  /** Stored B is {@code n x k}: row j of it is column j of op(B). */
  private static void packColumnsOfBt(
      float[] b, int k, int pc, int kc, int col, int cols, int width, int base, float[] dst) {
    if (cols < width) {
      Arrays.fill(dst, base, base + kc * width, 0f);
    }
    for (int j = 0; j < cols; j++) {
      int src = (col + j) * k + pc;
      for (int p = 0; p < kc; p++) {
        dst[base + p * width + j] = b[src + p];
      }
    }
  }

  /**
   * Packs {@code op(A)[ic..ic+rows, pc..pc+kc]} as MR-row micro-panels, each {@code kc x MR}: the
   * MR values of one k adjacent. Rows past {@code rows} are zero.
   */
  static void packA(
      boolean transposeA, float[] a, int m, int k, int ic, int rows, int pc, int kc, float[] dst) {
    for (int ir = 0; ir < rows; ir += MR) {
      int live = Math.min(MR, rows - ir);
      int base = ir * kc;
      if (live < MR) {
        Arrays.fill(dst, base, base + kc * MR, 0f);
      }
      if (transposeA && live == MR) {
        // Stored A is k x m: the MR values of one k are adjacent there too. Element copies (six,
        // or four with VectorTiles.FOUR_ROW_TILES), not System.arraycopy, whose call costs more.
        int src = pc * m + ic + ir;
        for (int p = 0, d = base; p < kc; p++, src += m, d += MR) {
          dst[d] = a[src];
          dst[d + 1] = a[src + 1];
          dst[d + 2] = a[src + 2];
          dst[d + 3] = a[src + 3];
          if (MR == 6) {
            dst[d + 4] = a[src + 4];
            dst[d + 5] = a[src + 5];
          }
        }
      } else if (transposeA) {
        for (int p = 0; p < kc; p++) {
          System.arraycopy(a, (pc + p) * m + ic + ir, dst, base + p * MR, live);
        }
      } else {
        for (int r = 0; r < live; r++) {
          int src = (ic + ir + r) * k + pc;
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + r] = a[src + p];
          }
        }
      }
    }
  }
}
