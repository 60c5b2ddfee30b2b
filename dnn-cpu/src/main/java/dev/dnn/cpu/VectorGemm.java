package dev.dnn.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM in the Goto/BLIS style on the Vector API: a register-tiled micro-kernel computes an {@code
 * MR x NR} tile of C ({@code NR} two vectors of {@link FloatVector#SPECIES_PREFERRED} wide, so 6 x
 * 32 with AVX-512) in {@code 2 MR} vector accumulators: per k step two loads of packed B, {@code
 * MR} broadcasts of A and {@code 2 MR} fused multiply-adds.
 *
 * <p>Loops, outermost first: {@code NC} columns of op(B), {@code KC} deep, are packed into {@code
 * NR}-column micro-panels (zero-padded, so the kernel never sees a ragged edge in N); an {@code MC
 * x KC} block of op(A) is packed into {@code MR}-row micro-panels (zero-padded rows); then for each
 * B micro-panel (kept in L1) every A micro-panel of the block streams past it from L2. Only the C
 * update of an edge tile goes through a small buffer, so edges cost no scalar arithmetic beyond the
 * tile's own elements.
 *
 * <p>Small products (few columns of C, or a shallow K) skip the packing of A, which there costs as
 * much as the arithmetic it would speed up: the kernel then reads A in place with its strides. C
 * with at most one vector of columns (an output layer) gets a one-vector-wide kernel, so it wastes
 * at most one vector's padding instead of two; a narrow C whose A is stored transposed (a small
 * layer's weight gradient) is computed as {@code C^T = op(B)^T op(A)^T}, which needs fewer tiles.
 *
 * <p>The block sizes were measured on an AVX-512 AMD EPYC core (32 KiB L1d, 1 MiB L2) over the
 * {@code GemmBenchmark} shapes; see BENCHMARKS.md. Work is split over row blocks and column slices
 * of C, and every element is computed by the same operations whichever thread runs it.
 */
final class VectorGemm implements GemmKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  /** Rows of C per micro-kernel call. */
  static final int MR = 6;

  /** Columns of C per micro-kernel call: two vectors. */
  static final int NR = 2 * LANES;

  /** Depth of a packed panel (256, 384 and 512 measured alike within noise; see BENCHMARKS.md). */
  static final int KC = 384;

  /** Most rows of a packed A block (a multiple of MR). */
  static final int MC = 96;

  /** Width of a packed B panel (a multiple of NR). */
  static final int NC = 2048;

  /** A is read in place, unpacked, when C has at most this many columns... */
  static final int DIRECT_MAX_N = 3 * NR;

  /** ... or the product is at most this deep. */
  static final int DIRECT_MAX_K = 64;

  /** Whether masked loads and stores compile to masked instructions (see updateC). */
  private static final boolean MASKED_ACCESS = Runtime.version().feature() >= 18;

  /** Below this many multiply-adds a product runs on the calling thread. */
  private static final long PARALLEL_THRESHOLD = 1L << 20;

  private final Parallel parallel;
  private final float[] packedB = new float[KC * NC];
  private float[] transposed = new float[0];
  private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

  /** Per-thread buffers: a packed A block and one tile of C for edge updates. */
  private static final class Workspace {
    final float[] packedA = new float[MC * KC];
    final float[] tile = new float[MR * NR];
  }

  VectorGemm(Parallel parallel) {
    this.parallel = parallel;
  }

  @Override
  public synchronized void multiply(
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
    if (m == 0 || n == 0) {
      return;
    }
    boolean threaded = (long) m * n * k >= PARALLEL_THRESHOLD && parallel.threads() > 1;
    if (k == 0 || alpha == 0f) {
      ScaleC.scale(parallel, c, m * n, beta, threaded);
      return;
    }
    if (prefersTransposed(transposeA, m, n)) {
      if (transposed.length < m * n) {
        transposed = new float[m * n];
      }
      float[] t = transposed;
      product(!transposeB, !transposeA, n, m, k, alpha, b, a, 0f, t, threaded);
      addTransposed(t, n, m, beta, c);
    } else {
      product(transposeA, transposeB, m, n, k, alpha, a, b, beta, c, threaded);
    }
  }

  /**
   * Whether to compute {@code C^T = op(B)^T op(A)^T} instead: when C is narrower than a tile, the
   * transposed product needs far fewer tiles (each k step of a tile costs MR broadcasts, whatever
   * its width), and when A is stored transposed its packing as the right operand is a plain copy.
   * This is the shape of a small layer's weight gradient {@code X^T dY}.
   */
  static boolean prefersTransposed(boolean transposeA, int m, int n) {
    long straight = (long) ((m + MR - 1) / MR) * ((n + NR - 1) / NR);
    long swapped = (long) ((n + MR - 1) / MR) * ((m + NR - 1) / NR);
    return transposeA && n < NR && 2 * swapped < straight;
  }

  /** {@code c = t^T + beta c} where t is {@code rows x cols} and c {@code cols x rows}. */
  private static void addTransposed(float[] t, int rows, int cols, float beta, float[] c) {
    for (int j = 0; j < cols; j++) {
      int row = j * rows;
      for (int i = 0; i < rows; i++) {
        float v = t[i * cols + j];
        c[row + i] = beta == 0f ? v : Math.fma(beta, c[row + i], v);
      }
    }
  }

  /** {@code C = alpha op(A) op(B) + beta C} with C row-major {@code m x n}. */
  private void product(
      boolean transposeA,
      boolean transposeB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      float[] b,
      float beta,
      float[] c,
      boolean threaded) {
    int threads = threaded ? parallel.threads() : 1;
    boolean direct = n <= DIRECT_MAX_N || k <= DIRECT_MAX_K;
    int blocks = (m + MC - 1) / MC;
    if (threads > 1) {
      blocks = roundUp(blocks, threads);
    }
    int mc = Math.min(roundUp((m + blocks - 1) / blocks, MR), MC);
    int rowBlocks = (m + mc - 1) / mc;
    int width = n <= LANES ? LANES : NR;
    // K in equal passes of at most KC: a short last pass (784 = 384 + 384 + 16) would read and
    // write all of C for a few k steps.
    int passes = (k + KC - 1) / KC;
    int depth = (k + passes - 1) / passes;
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      int panels = (nc + width - 1) / width;
      int slices = threads == 1 ? 1 : Math.min(panels, (threads + rowBlocks - 1) / rowBlocks);
      for (int pc = 0; pc < k; pc += depth) {
        int kc = Math.min(depth, k - pc);
        float betaNow = pc == 0 ? beta : 1f;
        packB(transposeB, b, n, k, pc, kc, jc, nc, width, threaded);
        Block block =
            new Block(transposeA, direct, a, m, k, c, n, pc, kc, jc, nc, width, alpha, betaNow, mc);
        if (threads == 1) {
          for (int blk = 0; blk < rowBlocks; blk++) {
            block.run(blk, 0, panels);
          }
        } else {
          int s = slices;
          parallel.forChunks(
              rowBlocks * s, t -> block.run(t / s, panels * (t % s) / s, panels * (t % s + 1) / s));
        }
      }
    }
  }

  /** One KC-deep pass over a B panel: what every row block of it needs. */
  private final class Block {
    final boolean transposeA;
    final boolean direct;
    final float[] a;
    final int m;
    final int k;
    final float[] c;
    final int n;
    final int pc;
    final int kc;
    final int jc;
    final int nc;
    final int width;
    final float alpha;
    final float beta;
    final int mc;

    Block(
        boolean transposeA,
        boolean direct,
        float[] a,
        int m,
        int k,
        float[] c,
        int n,
        int pc,
        int kc,
        int jc,
        int nc,
        int width,
        float alpha,
        float beta,
        int mc) {
      this.transposeA = transposeA;
      this.direct = direct;
      this.a = a;
      this.m = m;
      this.k = k;
      this.c = c;
      this.n = n;
      this.pc = pc;
      this.kc = kc;
      this.jc = jc;
      this.nc = nc;
      this.width = width;
      this.alpha = alpha;
      this.beta = beta;
      this.mc = mc;
    }

    /** Row block {@code blk} against B micro-panels {@code [from, to)}. */
    void run(int blk, int from, int to) {
      Workspace ws = workspaces.get();
      int ic = blk * mc;
      int rows = Math.min(mc, m - ic);
      if (!direct && width == NR) {
        packA(transposeA, a, m, k, ic, rows, pc, kc, ws.packedA);
      }
      // Element (i, p) of op(A) at a[i * rs + p * cs] when it is read in place.
      int rs = transposeA ? 1 : k;
      int cs = transposeA ? m : 1;
      for (int jr = from; jr < to; jr++) {
        int col = jr * width;
        int cols = Math.min(width, nc - col);
        int bOff = jr * width * kc;
        for (int ir = 0; ir < rows; ir += MR) {
          int live = Math.min(MR, rows - ir);
          int cOff = (ic + ir) * n + jc + col;
          int aOff = (ic + ir) * rs + pc * cs;
          if (width == LANES) {
            narrowKernel(
                kc, a, aOff, rs, cs, live, packedB, bOff, c, cOff, n, cols, alpha, beta, ws.tile);
          } else if (direct) {
            directKernel(
                kc, a, aOff, rs, cs, live, packedB, bOff, c, cOff, n, cols, alpha, beta, ws.tile);
          } else {
            packedKernel(
                kc,
                ws.packedA,
                ir * kc,
                packedB,
                bOff,
                c,
                cOff,
                n,
                live,
                cols,
                alpha,
                beta,
                ws.tile);
          }
        }
      }
    }
  }

  /**
   * Packs {@code op(B)[pc..pc+kc, jc..jc+nc]} into {@code width}-column micro-panels, each {@code
   * kc x width} row-major. Columns past {@code nc} hold whatever is cheapest to write (zeros or the
   * next elements of B): the kernel's lanes are independent, and those lanes of a tile are never
   * stored to C.
   */
  private void packB(
      boolean transposeB,
      float[] b,
      int n,
      int k,
      int pc,
      int kc,
      int jc,
      int nc,
      int width,
      boolean threaded) {
    float[] dst = packedB;
    int panels = (nc + width - 1) / width;
    Parallel.RangeBody body =
        (from, to) -> {
          for (int jr = from; jr < to; jr++) {
            int col = jc + jr * width;
            int cols = Math.min(width, jc + nc - col);
            int base = jr * width * kc;
            if (!transposeB) {
              for (int p = 0; p < kc; p++) {
                int src = (pc + p) * n + col;
                int d = base + p * width;
                if (src + width <= b.length) {
                  // Whole vectors, past the panel's last column too when it is ragged: those
                  // lanes only reach columns of the tile that are never written back to C.
                  for (int j = 0; j < width; j += LANES) {
                    FloatVector.fromArray(SPECIES, b, src + j).intoArray(dst, d + j);
                  }
                } else {
                  for (int j = 0; j < cols; j++) {
                    dst[d + j] = b[src + j];
                  }
                  for (int j = cols; j < width; j++) {
                    dst[d + j] = 0f;
                  }
                }
              }
            } else {
              // Stored B is n x k: row j of it is column j of op(B).
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
          }
        };
    if (threaded) {
      parallel.forRange(panels, (long) kc * width, body);
    } else {
      body.run(0, panels);
    }
  }

  /**
   * Packs {@code op(A)[ic..ic+rows, pc..pc+kc]} as MR-row micro-panels, each {@code kc x MR}: the
   * MR values of one k adjacent. Rows past {@code rows} are zero.
   */
  private static void packA(
      boolean transposeA, float[] a, int m, int k, int ic, int rows, int pc, int kc, float[] dst) {
    for (int ir = 0; ir < rows; ir += MR) {
      int live = Math.min(MR, rows - ir);
      int base = ir * kc;
      if (live < MR) {
        Arrays.fill(dst, base, base + kc * MR, 0f);
      }
      if (transposeA) {
        // Stored A is k x m: the MR values of one k are adjacent there too.
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

  /**
   * The micro-kernel over packed A: {@code C[0..rows, 0..cols] = alpha A B + beta C} for one {@code
   * MR x NR} tile, where A is a packed micro-panel and B a packed micro-panel.
   */
  private static void packedKernel(
      int kc,
      float[] ap,
      int aOff,
      float[] bp,
      int bOff,
      float[] c,
      int cOff,
      int ldc,
      int rows,
      int cols,
      float alpha,
      float beta,
      float[] tile) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    for (int p = 0; p < kc; p++) {
      int bo = bOff + p * NR;
      int ao = aOff + p * MR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, ap[ao]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(SPECIES, ap[ao + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(SPECIES, ap[ao + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(SPECIES, ap[ao + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(SPECIES, ap[ao + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(SPECIES, ap[ao + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    // The accumulators leave through the tile buffer: passing vectors to a method that is not
    // inlined would box them.
    c00.intoArray(tile, 0);
    c01.intoArray(tile, LANES);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + LANES);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + LANES);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + LANES);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + LANES);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + LANES);
    updateC(tile, c, cOff, ldc, rows, cols, alpha, beta);
  }

  /**
   * The micro-kernel over A in place: element (r, p) of the tile's rows of op(A) is {@code a[aOff +
   * r * rs + p * cs]}. Rows past {@code rows} repeat the last live row (their results are dropped),
   * so no read leaves A.
   */
  private static void directKernel(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      int rows,
      float[] bp,
      int bOff,
      float[] c,
      int cOff,
      int ldc,
      int cols,
      float alpha,
      float beta,
      float[] tile) {
    int last = rows - 1;
    int a0 = aOff;
    int a1 = aOff + Math.min(1, last) * rs;
    int a2 = aOff + Math.min(2, last) * rs;
    int a3 = aOff + Math.min(3, last) * rs;
    int a4 = aOff + Math.min(4, last) * rs;
    int a5 = aOff + Math.min(5, last) * rs;
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    for (int p = 0, q = 0; p < kc; p++, q += cs) {
      int bo = bOff + p * NR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + q]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(SPECIES, a[a1 + q]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(SPECIES, a[a2 + q]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(SPECIES, a[a3 + q]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(SPECIES, a[a4 + q]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(SPECIES, a[a5 + q]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    // The accumulators leave through the tile buffer: passing vectors to a method that is not
    // inlined would box them.
    c00.intoArray(tile, 0);
    c01.intoArray(tile, LANES);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + LANES);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + LANES);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + LANES);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + LANES);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + LANES);
    updateC(tile, c, cOff, ldc, rows, cols, alpha, beta);
  }

  /** {@link #directKernel} one vector wide, for C of at most one vector of columns. */
  private static void narrowKernel(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      int rows,
      float[] bp,
      int bOff,
      float[] c,
      int cOff,
      int ldc,
      int cols,
      float alpha,
      float beta,
      float[] tile) {
    int last = rows - 1;
    int a0 = aOff;
    int a1 = aOff + Math.min(1, last) * rs;
    int a2 = aOff + Math.min(2, last) * rs;
    int a3 = aOff + Math.min(3, last) * rs;
    int a4 = aOff + Math.min(4, last) * rs;
    int a5 = aOff + Math.min(5, last) * rs;
    FloatVector c0 = FloatVector.zero(SPECIES);
    FloatVector c1 = c0;
    FloatVector c2 = c0;
    FloatVector c3 = c0;
    FloatVector c4 = c0;
    FloatVector c5 = c0;
    for (int p = 0, q = 0; p < kc; p++, q += cs) {
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bOff + p * LANES);
      c0 = FloatVector.broadcast(SPECIES, a[a0 + q]).fma(b0, c0);
      c1 = FloatVector.broadcast(SPECIES, a[a1 + q]).fma(b0, c1);
      c2 = FloatVector.broadcast(SPECIES, a[a2 + q]).fma(b0, c2);
      c3 = FloatVector.broadcast(SPECIES, a[a3 + q]).fma(b0, c3);
      c4 = FloatVector.broadcast(SPECIES, a[a4 + q]).fma(b0, c4);
      c5 = FloatVector.broadcast(SPECIES, a[a5 + q]).fma(b0, c5);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, NR);
    c2.intoArray(tile, 2 * NR);
    c3.intoArray(tile, 3 * NR);
    c4.intoArray(tile, 4 * NR);
    c5.intoArray(tile, 5 * NR);
    updateC(tile, c, cOff, ldc, rows, cols, alpha, beta);
  }

  /**
   * {@code C = alpha tile + beta C} over {@code rows x cols} of one tile; beta 0 does not read C. A
   * ragged right edge is written through lane masks where the JIT compiles them to masked
   * instructions (JDK 18 and later; JDK 17 runs masked accesses lane by lane, slower than the
   * scalar loop it then gets). Both forms round alike: one multiply, or one fused multiply-add.
   */
  private static void updateC(
      float[] tile, float[] c, int cOff, int ldc, int rows, int cols, float alpha, float beta) {
    FloatVector a = FloatVector.broadcast(SPECIES, alpha);
    for (int j = 0; j < cols; j += LANES) {
      boolean full = j + LANES <= cols;
      if (!full && !MASKED_ACCESS) {
        for (int r = 0; r < rows; r++) {
          int o = cOff + r * ldc;
          int t = r * NR;
          if (beta == 0f) {
            for (int jj = j; jj < cols; jj++) {
              c[o + jj] = tile[t + jj] * alpha;
            }
          } else {
            for (int jj = j; jj < cols; jj++) {
              c[o + jj] = Math.fma(tile[t + jj], alpha, beta * c[o + jj]);
            }
          }
        }
        return;
      }
      VectorMask<Float> mask = SPECIES.indexInRange(j, cols);
      for (int r = 0; r < rows; r++) {
        int o = cOff + r * ldc + j;
        FloatVector v = FloatVector.fromArray(SPECIES, tile, r * NR + j);
        if (beta == 0f) {
          v = v.mul(a);
        } else {
          FloatVector old =
              full
                  ? FloatVector.fromArray(SPECIES, c, o)
                  : FloatVector.fromArray(SPECIES, c, o, mask);
          v = v.fma(a, beta == 1f ? old : old.mul(beta));
        }
        if (full) {
          v.intoArray(c, o);
        } else {
          v.intoArray(c, o, mask);
        }
      }
    }
  }

  private static int roundUp(int x, int multiple) {
    return (x + multiple - 1) / multiple * multiple;
  }
}
