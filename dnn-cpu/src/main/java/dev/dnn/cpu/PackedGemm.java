package dev.dnn.cpu;

import java.util.Arrays;

/**
 * Single-precision GEMM in the Goto/BLIS style: {@code C = alpha op(A) op(B) + beta C} on row-major
 * arrays.
 *
 * <p>The loops are blocked so each level of data stays in one cache level: a {@code KC x NC} panel
 * of op(B) is packed row by row (it stays in L2 while every row block of A streams past it), an
 * {@code MC x KC} block of op(A) is packed in {@code MR}-row micro-panels (both padded with zeros
 * to a depth that is a multiple of 4), and the micro-kernel updates {@code MR} rows of accumulators
 * over the full panel width. Packing also resolves all four transpose cases, so a single kernel
 * serves them.
 *
 * <p>Every element of C gets the operations the vector GEMM gives it, so both give the same bits: K
 * is split into the same passes; in each, the element's accumulator starts at zero and takes one
 * fused multiply-add per k step in order; then {@code C = alpha acc + beta C} as one fused
 * multiply-add (beta 1 after the first pass). A narrow product whose A is stored transposed, which
 * the vector GEMM computes transposed ({@link GemmForm#transposedResult}), gets its rounding too:
 * {@code alpha acc} first, then {@code beta C} added by one fused multiply-add. So the vector GEMM
 * can run this one while the JIT compiles its tiles ({@link VectorWarmUp}), and the two kernel
 * paths train alike where the other kernels agree.
 *
 * <p>This is the plain-Java GEMM, used when the Vector API is not available ({@link KernelPath};
 * {@code VectorGemm} is the fast one). The micro-kernel is written so that HotSpot's C2 compiler
 * auto-vectorizes its innermost loop: it walks contiguous columns {@code j} of four packed B rows
 * and updates two rows of C kept in one accumulator array, with the eight A scalars of a 2x4 step
 * held in registers and combined by fused multiply-adds. Summing four k-steps per load and store of
 * C keeps the loop bound by arithmetic rather than by memory traffic.
 *
 * <p>Work is split over blocks of C (row blocks times column slices of the B panel); every block is
 * computed by exactly the same sequence of operations whichever thread runs it, so the result does
 * not depend on the thread count.
 */
final class PackedGemm implements GemmKernel {
  /** Rows of C per micro-kernel call. */
  static final int MR = 2;

  /** Most depth of a pass over K: the vector GEMM's, so that both split K alike. */
  static final int KC = GemmForm.KC;

  /** Width of a packed B panel. */
  static final int NC = 512;

  /** Columns per tile when transposing B during packing. */
  private static final int TILE = 16;

  /** Below this many columns of C (and with more rows) the transposed product is computed. */
  private static final int NARROW = 64;

  /** Rows of a packed A block. */
  static final int MC = 128;

  /** Below this many multiply-adds a product runs on the calling thread. */
  private static final long PARALLEL_THRESHOLD = 1L << 18;

  private final Parallel parallel;

  /** Packed panels of B, one per product running at the time (all its threads share it). */
  private final ScratchPool<float[][]> panels =
      new ScratchPool<>(size -> new float[KC][NC], panel -> KC * NC);

  private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

  /** Per-thread buffers: a packed A block and the MR rows of C being updated, NC apart. */
  private static final class Workspace {
    final float[] packedA = new float[MC * KC];
    final float[] acc = new float[MR * NC];
    final GemmPasses passes = new GemmPasses();

    /** The product this thread calls, when it is the caller. */
    Product product;
  }

  /** The transposed results' scratch, one per product running at the time. */
  private final ScratchPool<float[]> scratch = ScratchPool.ofArrays();

  /** The vector GEMM's tile width, which decides the products it computes transposed. */
  private final int tileColumns;

  /** The plain GEMM, with the 16-float vectors' tile width (see {@link GemmForm#TILE_COLUMNS}). */
  PackedGemm(Parallel parallel) {
    this(parallel, GemmForm.TILE_COLUMNS);
  }

  /** A GEMM that gives the bits of the vector GEMM whose tiles are {@code tileColumns} wide. */
  PackedGemm(Parallel parallel, int tileColumns) {
    this.parallel = parallel;
    this.tileColumns = tileColumns;
  }

  /**
   * Computes {@code C[m x n] = alpha op(A)[m x k] op(B)[k x n] + beta C}. Stored A is {@code m x k}
   * ({@code k x m} when transposed), stored B {@code k x n} ({@code n x k} when transposed).
   */
  @Override
  public void multiply(
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
    if (GemmForm.transposedResult(transposeA, m, n, tileColumns)) {
      float[] t = scratch.acquire(m * n);
      try {
        product(transposeA, transposeB, m, n, k, alpha, a, b, 0f, t, threaded);
        for (int i = 0; i < m * n; i++) {
          c[i] = beta == 0f ? t[i] : Math.fma(beta, c[i], t[i]);
        }
      } finally {
        scratch.release(t);
      }
    } else {
      product(transposeA, transposeB, m, n, k, alpha, a, b, beta, c, threaded);
    }
  }

  /** {@code C = alpha op(A) op(B) + beta C} in the vector GEMM's passes over K. */
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
    int depth = GemmForm.passDepth(k);
    float[][] packedB = panels.acquire(KC * NC);
    try {
      if (n < NARROW && m > n) {
        // A narrow C leaves the vectorized column loop nearly empty; compute C^T = op(B)^T op(A)^T
        // instead, so the long dimension of C becomes the vectorized one.
        accumulate(
            !transposeB,
            !transposeA,
            n,
            m,
            k,
            alpha,
            b,
            a,
            beta,
            c,
            1,
            n,
            threaded,
            depth,
            packedB);
      } else {
        accumulate(
            transposeA, transposeB, m, n, k, alpha, a, b, beta, c, n, 1, threaded, depth, packedB);
      }
    } finally {
      panels.release(packedB);
    }
  }

  /**
   * {@code C = alpha op(A) op(B) + beta C} where element (i, j) of C lives at {@code c[i *
   * rowStride + j * colStride]}, in passes of {@code depth} over K.
   */
  private void accumulate(
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
      int rowStride,
      int colStride,
      boolean threaded,
      int depth,
      float[][] packedB) {
    int threads = threaded ? parallel.threads() : 1;
    int mc = Math.min(MC, roundUp(Math.max(1, (m + threads - 1) / threads), MR));
    Workspace ws = workspaces.get();
    if (ws.product == null) {
      ws.product = new Product();
    }
    Product product = ws.product;
    product.gemm = this;
    product.transposeA = transposeA;
    product.transposeB = transposeB;
    product.m = m;
    product.n = n;
    product.k = k;
    product.alpha = alpha;
    product.a = a;
    product.b = b;
    product.beta = beta;
    product.c = c;
    product.rowStride = rowStride;
    product.colStride = colStride;
    product.threads = threads;
    product.mc = mc;
    product.rowBlocks = (m + mc - 1) / mc;
    product.packedB = packedB;
    try {
      ws.passes.run(parallel, threaded, n, k, NC, depth, product);
    } finally {
      product.gemm = null;
      product.a = null;
      product.b = null;
      product.c = null;
      product.packedB = null;
    }
  }

  /**
   * The pack and multiply tasks of one product, as {@link GemmPasses} runs them. One per calling
   * thread, set anew for each of its products (so a product allocates nothing); between products it
   * holds no array.
   */
  private static final class Product implements GemmPasses.Steps {
    /**
     * The GEMM of the product under way; null between products, so that a thread's workspace (a
     * thread-local value) does not keep the GEMM, its threads and its backend reachable.
     */
    PackedGemm gemm;

    boolean transposeA;
    boolean transposeB;
    int m;
    int n;
    int k;
    float alpha;
    float[] a;
    float[] b;
    float beta;
    float[] c;
    int rowStride;
    int colStride;
    int threads;
    int mc;
    int rowBlocks;
    float[][] packedB;

    @Override
    public int packTasks(GemmPasses.Pass pass) {
      return threads;
    }

    @Override
    public void pack(GemmPasses.Pass pass, int task, int tasks) {
      gemm.packB(
          transposeB, b, n, k, pass.pc(), pass.kc(), pass.jc(), pass.nc(), task, tasks, packedB);
    }

    /** Column slices per row block: enough tasks for every thread when row blocks are few. */
    private int slices(GemmPasses.Pass pass) {
      int slices = (2 * threads + rowBlocks - 1) / rowBlocks;
      return threads == 1 ? 1 : Math.max(1, Math.min(slices, pass.nc() / 64));
    }

    @Override
    public int multiplyTasks(GemmPasses.Pass pass) {
      return rowBlocks * slices(pass);
    }

    @Override
    public void multiply(GemmPasses.Pass pass, int task, int tasks) {
      int slices = slices(pass);
      int nc = pass.nc();
      int s = task % slices;
      int from = roundUp(nc * s / slices, 16);
      int to = s == slices - 1 ? nc : roundUp(nc * (s + 1) / slices, 16);
      if (from < to) {
        gemm.rowBlock(
            transposeA,
            alpha,
            beta,
            a,
            m,
            k,
            c,
            rowStride,
            colStride,
            task / slices,
            mc,
            pass.pc(),
            pass.kc(),
            pass.jc(),
            from,
            to,
            packedB);
      }
    }
  }

  /**
   * Packs share {@code task} of {@code tasks} of {@code op(B)[pc..pc+kc, jc..jc+nc]} row-major into
   * {@code dst}; the first share also zeroes the rows that pad the depth to a multiple of 4 (the
   * kernel steps through k four at a time).
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
      int task,
      int tasks,
      float[][] dst) {
    if (task == 0) {
      for (int p = kc; p < roundUp(kc, 4); p++) {
        Arrays.fill(dst[p], 0, nc, 0f);
      }
    }
    if (!transposeB) {
      for (int p = kc * task / tasks; p < kc * (task + 1) / tasks; p++) {
        System.arraycopy(b, (pc + p) * n + jc, dst[p], 0, nc);
      }
      return;
    }
    // Stored B is n x k: row j of it is column j of op(B). Transposing in tiles of TILE columns
    // keeps both the strided reads and the row writes within a few cache lines.
    int tiles = (nc + TILE - 1) / TILE;
    for (int t = tiles * task / tasks; t < tiles * (task + 1) / tasks; t++) {
      int j0 = t * TILE;
      int j1 = Math.min(nc, j0 + TILE);
      for (int p = 0; p < kc; p++) {
        float[] row = dst[p];
        for (int j = j0; j < j1; j++) {
          row[j] = b[(jc + j) * k + pc + p];
        }
      }
    }
  }

  /**
   * {@code C = alpha acc + beta C} over {@code width} elements, {@code colStride} apart in C: as
   * the vector tiles' update rounds it (beta 0 does not read C).
   */
  private static void update(
      float[] acc,
      int accOff,
      float[] c,
      int first,
      int colStride,
      int width,
      float alpha,
      float beta) {
    for (int j = 0, o = first; j < width; j++, o += colStride) {
      float v = acc[accOff + j];
      c[o] = beta == 0f ? v * alpha : Math.fma(v, alpha, beta == 1f ? c[o] : c[o] * beta);
    }
  }

  /** Packs row block {@code blk} of op(A) and updates columns {@code [from, to)} of the panel. */
  private void rowBlock(
      boolean transposeA,
      float alpha,
      float beta,
      float[] a,
      int m,
      int k,
      float[] c,
      int rowStride,
      int colStride,
      int blk,
      int mc,
      int pc,
      int kc,
      int jc,
      int from,
      int to,
      float[][] packedB) {
    Workspace ws = workspaces.get();
    int ic = blk * mc;
    int rows = Math.min(mc, m - ic);
    int panels = (rows + MR - 1) / MR;
    packA(transposeA, a, m, k, ic, rows, pc, kc, ws.packedA);
    int depth = roundUp(kc, 4);
    int width = to - from;
    float[] acc = ws.acc;
    for (int panel = 0; panel < panels; panel++) {
      int row0 = ic + panel * MR;
      int live = Math.min(MR, m - row0);
      for (int r = 0; r < MR; r++) {
        Arrays.fill(acc, r * NC + from, r * NC + to, 0f);
      }
      // The padded depth: the kernel's loop of single k steps, had it run, put JDK 17's C2 off
      // the whole kernel (a quarter of the speed).
      kernel(ws.packedA, panel * MR * depth, depth, packedB, acc, from, to);
      for (int r = 0; r < live; r++) {
        int first = (row0 + r) * rowStride + (jc + from) * colStride;
        update(acc, r * NC + from, c, first, colStride, width, alpha, pc == 0 ? beta : 1f);
      }
    }
  }

  /**
   * Packs {@code op(A)[ic..ic+rows, pc..pc+kc]} as MR-row micro-panels: within a panel, the MR
   * values of one k are adjacent. Missing rows of the last panel are zero.
   */
  private static void packA(
      boolean transposeA, float[] a, int m, int k, int ic, int rows, int pc, int kc, float[] dst) {
    int panels = (rows + MR - 1) / MR;
    int depth = roundUp(kc, 4);
    for (int panel = 0; panel < panels; panel++) {
      // K padded up to a multiple of 4 with -0, against the zero rows of the packed B panel: a
      // padding step then adds -0 to the accumulator, which leaves every value as it is (+0 too),
      // where +0 would turn an accumulator of -0 (an underflow) into +0.
      Arrays.fill(dst, panel * MR * depth + kc * MR, (panel + 1) * MR * depth, -0f);
    }
    if (transposeA) {
      // Stored A is k x m: walk it row by row so reads are contiguous.
      if (rows % MR != 0) {
        int base = (panels - 1) * MR * depth;
        for (int p = 0; p < kc; p++) {
          for (int r = rows % MR; r < MR; r++) {
            dst[base + p * MR + r] = 0f;
          }
        }
      }
      for (int p = 0; p < kc; p++) {
        int src = (pc + p) * m + ic;
        for (int i = 0; i < rows; i++) {
          dst[(i / MR) * MR * depth + p * MR + i % MR] = a[src + i];
        }
      }
      return;
    }
    for (int panel = 0; panel < panels; panel++) {
      int base = panel * MR * depth;
      for (int r = 0; r < MR; r++) {
        int row = ic + panel * MR + r;
        if (row >= ic + rows) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + r] = 0f;
          }
        } else {
          int src = row * k + pc;
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + r] = a[src + p];
          }
        }
      }
    }
  }

  /**
   * {@code acc[j] += sum_p ap[p][0] bp[p][j]} and {@code acc[NC + j] += sum_p ap[p][1] bp[p][j]}
   * for j in {@code [from, to)}; {@code kc} is a multiple of 4 (the packing pads with zeros).
   *
   * <p>The shape is dictated by what C2's superword pass (JDK 17) vectorizes: every access in the
   * inner loop is indexed by plain {@code j} or {@code j} plus a compile-time constant, and all
   * stores go to one array, so the compiler can prove the iterations independent. Two rows times
   * four k-steps (eight fused multiply-adds sharing four B loads) is the largest body it still
   * unrolls and vectorizes; larger tiles silently fall back to scalar code.
   */
  private static void kernel(
      float[] ap, int aOff, int kc, float[][] bp, float[] acc, int from, int to) {
    int p = 0;
    for (; p + 4 <= kc; p += 4) {
      int ao = aOff + p * MR;
      float a00 = ap[ao];
      float a10 = ap[ao + 1];
      float a01 = ap[ao + 2];
      float a11 = ap[ao + 3];
      float a02 = ap[ao + 4];
      float a12 = ap[ao + 5];
      float a03 = ap[ao + 6];
      float a13 = ap[ao + 7];
      float[] b0 = bp[p];
      float[] b1 = bp[p + 1];
      float[] b2 = bp[p + 2];
      float[] b3 = bp[p + 3];
      for (int j = from; j < to; j++) {
        float x0 = b0[j];
        float x1 = b1[j];
        float x2 = b2[j];
        float x3 = b3[j];
        acc[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, acc[j]))));
        acc[j + NC] =
            Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, acc[j + NC]))));
      }
    }
    // The last k steps when kc is not a multiple of 4, one at a time.
    for (; p < kc; p++) {
      int ao = aOff + p * MR;
      float a0 = ap[ao];
      float a1 = ap[ao + 1];
      float[] b0 = bp[p];
      for (int j = from; j < to; j++) {
        float x0 = b0[j];
        acc[j] = Math.fma(a0, x0, acc[j]);
        acc[j + NC] = Math.fma(a1, x0, acc[j + NC]);
      }
    }
  }

  private static int roundUp(int x, int multiple) {
    return (x + multiple - 1) / multiple * multiple;
  }
}
