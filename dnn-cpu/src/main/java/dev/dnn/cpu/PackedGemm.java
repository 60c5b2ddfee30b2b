package dev.dnn.cpu;

/**
 * Single-precision GEMM in the Goto/BLIS style: {@code C = alpha op(A) op(B) + beta C} on row-major
 * arrays.
 *
 * <p>The loops are blocked so each level of data stays in one cache level: a {@code KC x NC} panel
 * of op(B) is packed row by row (it stays in L2 while every row block of A streams past it), an
 * {@code MC x KC} block of op(A) is packed in {@code MR}-row micro-panels with alpha folded in, and
 * the micro-kernel updates {@code MR} rows of C over the full panel width. Packing also resolves
 * all four transpose cases, so a single kernel serves them.
 *
 * <p>The micro-kernel is written so that HotSpot's C2 compiler auto-vectorizes its innermost loop:
 * it walks contiguous columns {@code j} of four packed B rows and four C row buffers, with the
 * sixteen A scalars of a 4x4 step held in registers and combined by fused multiply-adds. Summing
 * four k-steps per load and store of C keeps the loop bound by arithmetic rather than by stores.
 *
 * <p>Work is split over blocks of C (row blocks times column slices of the B panel); every block is
 * computed by exactly the same sequence of operations whichever thread runs it, so the result does
 * not depend on the thread count.
 */
final class PackedGemm {
  /** Rows of C per micro-kernel call. */
  static final int MR = 4;

  /** Depth of a packed panel (k extent). */
  static final int KC = 256;

  /** Width of a packed B panel. */
  static final int NC = 512;

  /** Rows of a packed A block. */
  static final int MC = 128;

  /** Below this many multiply-adds a product runs on the calling thread. */
  private static final long PARALLEL_THRESHOLD = 1L << 18;

  private final Parallel parallel;
  private final float[] packedB = new float[KC * NC];
  private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

  /** Per-thread buffers: a packed A block and MR row buffers of C. */
  private static final class Workspace {
    final float[] packedA = new float[MC * KC];
    final float[] c0 = new float[NC];
    final float[] c1 = new float[NC];
    final float[] c2 = new float[NC];
    final float[] c3 = new float[NC];
    final float[][] rows = {c0, c1, c2, c3};
  }

  PackedGemm(Parallel parallel) {
    this.parallel = parallel;
  }

  /**
   * Computes {@code C[m x n] = alpha op(A)[m x k] op(B)[k x n] + beta C}. Stored A is {@code m x k}
   * ({@code k x m} when transposed), stored B {@code k x n} ({@code n x k} when transposed).
   */
  synchronized void multiply(
      boolean transposeA,
      boolean transposeB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      float[] b,
      float beta,
      float[] c) {
    boolean threaded = (long) m * n * k >= PARALLEL_THRESHOLD && parallel.threads() > 1;
    scaleC(c, m * n, beta, threaded);
    if (k == 0 || alpha == 0f || m == 0 || n == 0) {
      return;
    }
    int threads = threaded ? parallel.threads() : 1;
    int mc = Math.min(MC, roundUp(Math.max(1, (m + threads - 1) / threads), MR));
    int rowBlocks = (m + mc - 1) / mc;
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      // Split the panel's columns when there are too few row blocks to keep every thread busy.
      int colSlices = Math.max(1, Math.min((2 * threads + rowBlocks - 1) / rowBlocks, nc / 64));
      if (threads == 1) {
        colSlices = 1;
      }
      int slices = colSlices;
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        packB(transposeB, b, n, k, pc, kc, jc, nc, threaded);
        int column0 = jc;
        int depth0 = pc;
        if (!threaded) {
          for (int blk = 0; blk < rowBlocks; blk++) {
            rowBlock(transposeA, alpha, a, m, k, c, n, blk, mc, depth0, kc, column0, nc, 0, nc);
          }
        } else {
          int tasks = rowBlocks * slices;
          parallel.forChunks(
              tasks,
              t -> {
                int blk = t / slices;
                int s = t % slices;
                int from = roundUp(nc * s / slices, 16);
                int to = s == slices - 1 ? nc : roundUp(nc * (s + 1) / slices, 16);
                if (from < to) {
                  rowBlock(
                      transposeA, alpha, a, m, k, c, n, blk, mc, depth0, kc, column0, nc, from, to);
                }
              });
        }
      }
    }
  }

  private void scaleC(float[] c, int size, float beta, boolean threaded) {
    if (beta == 1f) {
      return;
    }
    Parallel.RangeBody body =
        beta == 0f
            ? (from, to) -> java.util.Arrays.fill(c, from, to, 0f)
            : (from, to) -> {
              for (int i = from; i < to; i++) {
                c[i] *= beta;
              }
            };
    if (threaded) {
      parallel.forRange(size, 1, body);
    } else {
      body.run(0, size);
    }
  }

  /** Packs {@code op(B)[pc..pc+kc, jc..jc+nc]} row-major into {@link #packedB}. */
  private void packB(
      boolean transposeB,
      float[] b,
      int n,
      int k,
      int pc,
      int kc,
      int jc,
      int nc,
      boolean threaded) {
    float[] dst = packedB;
    Parallel.RangeBody body;
    if (!transposeB) {
      body =
          (from, to) -> {
            for (int p = from; p < to; p++) {
              System.arraycopy(b, (pc + p) * n + jc, dst, p * nc, nc);
            }
          };
      if (threaded) {
        parallel.forRange(kc, nc, body);
      } else {
        body.run(0, kc);
      }
    } else {
      // Stored B is n x k: row j of it is column j of op(B).
      body =
          (from, to) -> {
            for (int j = from; j < to; j++) {
              int src = (jc + j) * k + pc;
              for (int p = 0; p < kc; p++) {
                dst[p * nc + j] = b[src + p];
              }
            }
          };
      if (threaded) {
        parallel.forRange(nc, kc, body);
      } else {
        body.run(0, nc);
      }
    }
  }

  /** Packs row block {@code blk} of op(A) and updates columns {@code [from, to)} of the panel. */
  private void rowBlock(
      boolean transposeA,
      float alpha,
      float[] a,
      int m,
      int k,
      float[] c,
      int n,
      int blk,
      int mc,
      int pc,
      int kc,
      int jc,
      int nc,
      int from,
      int to) {
    Workspace ws = workspaces.get();
    int ic = blk * mc;
    int rows = Math.min(mc, m - ic);
    int panels = (rows + MR - 1) / MR;
    packA(transposeA, alpha, a, m, k, ic, rows, pc, kc, ws.packedA);
    int width = to - from;
    for (int panel = 0; panel < panels; panel++) {
      int row0 = ic + panel * MR;
      int live = Math.min(MR, m - row0);
      for (int r = 0; r < live; r++) {
        System.arraycopy(c, (row0 + r) * n + jc + from, ws.rows[r], 0, width);
      }
      kernel(ws.packedA, panel * MR * kc, kc, packedB, nc, from, ws.c0, ws.c1, ws.c2, ws.c3, width);
      for (int r = 0; r < live; r++) {
        System.arraycopy(ws.rows[r], 0, c, (row0 + r) * n + jc + from, width);
      }
    }
  }

  /**
   * Packs {@code alpha * op(A)[ic..ic+rows, pc..pc+kc]} as MR-row micro-panels: within a panel, the
   * MR values of one k are adjacent. Missing rows of the last panel are zero.
   */
  private static void packA(
      boolean transposeA,
      float alpha,
      float[] a,
      int m,
      int k,
      int ic,
      int rows,
      int pc,
      int kc,
      float[] dst) {
    int panels = (rows + MR - 1) / MR;
    for (int panel = 0; panel < panels; panel++) {
      int base = panel * MR * kc;
      for (int r = 0; r < MR; r++) {
        int row = ic + panel * MR + r;
        if (row >= ic + rows) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + r] = 0f;
          }
        } else if (!transposeA) {
          int src = row * k + pc;
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + r] = alpha * a[src + p];
          }
        } else {
          // Stored A is k x m: element (row, p) of op(A) is a[p * m + row].
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + r] = alpha * a[(pc + p) * m + row];
          }
        }
      }
    }
  }

  /**
   * {@code c_r[0..width) += sum_p ap[p][r] * bp[p][bCol..bCol+width)} for the four rows r. The
   * innermost loop is the one C2 vectorizes.
   */
  private static void kernel(
      float[] ap,
      int aOff,
      int kc,
      float[] bp,
      int ldb,
      int bCol,
      float[] c0,
      float[] c1,
      float[] c2,
      float[] c3,
      int width) {
    int p = 0;
    for (; p + 4 <= kc; p += 4) {
      int ao = aOff + p * MR;
      float a00 = ap[ao];
      float a10 = ap[ao + 1];
      float a20 = ap[ao + 2];
      float a30 = ap[ao + 3];
      float a01 = ap[ao + 4];
      float a11 = ap[ao + 5];
      float a21 = ap[ao + 6];
      float a31 = ap[ao + 7];
      float a02 = ap[ao + 8];
      float a12 = ap[ao + 9];
      float a22 = ap[ao + 10];
      float a32 = ap[ao + 11];
      float a03 = ap[ao + 12];
      float a13 = ap[ao + 13];
      float a23 = ap[ao + 14];
      float a33 = ap[ao + 15];
      int b0 = p * ldb + bCol;
      int b1 = b0 + ldb;
      int b2 = b1 + ldb;
      int b3 = b2 + ldb;
      for (int j = 0; j < width; j++) {
        float x0 = bp[b0 + j];
        float x1 = bp[b1 + j];
        float x2 = bp[b2 + j];
        float x3 = bp[b3 + j];
        c0[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j]))));
        c1[j] = Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j]))));
        c2[j] = Math.fma(a23, x3, Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, c2[j]))));
        c3[j] = Math.fma(a33, x3, Math.fma(a32, x2, Math.fma(a31, x1, Math.fma(a30, x0, c3[j]))));
      }
    }
    for (; p < kc; p++) {
      int ao = aOff + p * MR;
      float a0 = ap[ao];
      float a1 = ap[ao + 1];
      float a2 = ap[ao + 2];
      float a3 = ap[ao + 3];
      int b0 = p * ldb + bCol;
      for (int j = 0; j < width; j++) {
        float x0 = bp[b0 + j];
        c0[j] = Math.fma(a0, x0, c0[j]);
        c1[j] = Math.fma(a1, x0, c1[j]);
        c2[j] = Math.fma(a2, x0, c2[j]);
        c3[j] = Math.fma(a3, x0, c3[j]);
      }
    }
  }

  private static int roundUp(int x, int multiple) {
    return (x + multiple - 1) / multiple * multiple;
  }
}
