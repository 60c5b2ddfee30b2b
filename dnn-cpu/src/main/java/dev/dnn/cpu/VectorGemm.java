package dev.dnn.cpu;

import java.util.function.IntConsumer;

/**
 * GEMM in the Goto/BLIS style on the Vector API: a register-tiled micro-kernel computes an {@code
 * MR x NR} tile of C ({@code NR} two vectors of {@code FloatVector.SPECIES_PREFERRED} wide, so 6 x
 * 32 with AVX-512) in {@code 2 MR} vector accumulators: per k step two loads of packed B, {@code
 * MR} broadcasts of A and {@code 2 MR} fused multiply-adds.
 *
 * <p>Loops, outermost first: {@code NC} columns of op(B), {@code KC} deep, are packed into {@code
 * NR}-column micro-panels (zero-padded, so the kernel never sees a ragged edge in N); an {@code MC
 * x KC} block of op(A) is packed into {@code MR}-row micro-panels (zero-padded rows); then for each
 * B micro-panel every A micro-panel of the block streams past it from L2. The tiles are {@link
 * VectorTiles}, the packing {@link VectorPacking}, and the loop nest over the panels, shared with
 * the plain-Java GEMM, {@link GemmPasses}.
 *
 * <p>B packed ahead ({@link PackedB}, a layer's weights that predictions multiply unchanged) takes
 * the place of every panel of B the product would pack or read in place.
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
  private static final int LANES = VectorTiles.LANES;

  /** Rows of C per micro-kernel call. */
  static final int MR = VectorTiles.MR;

  /** Columns of C per micro-kernel call: two vectors. */
  static final int NR = VectorTiles.NR;

  /** Most depth of a pass over K ({@link GemmForm#KC}). */
  static final int KC = GemmForm.KC;

  /** Most rows of a packed A block (a multiple of MR). */
  static final int MC = 96;

  /** Width of a packed B panel (a multiple of NR). */
  static final int NC = 2048;

  /**
   * B stored as is (not transposed) is read in place, unpacked, by products of at most this many
   * rows: each B micro-panel then serves few A micro-panels, and packing it, every step anew for a
   * layer's weights, cost as much as a fifth of the product at batch 128 (JFR: packB 9% of the Adam
   * network's samples).
   */
  static final int IN_PLACE_B_MAX_M = 2 * MC;

  /** A is read in place, unpacked, when C has at most this many columns... */
  static final int DIRECT_MAX_N = 3 * NR;

  /** ... or the product is at most this deep. */
  static final int DIRECT_MAX_K = 64;

  /** From this many multiply-adds a product is split over the threads... */
  private static final long PARALLEL_THRESHOLD = 1L << 20;

  /**
   * ... and from this many already when it has a full {@code MC} block of rows for every thread:
   * such a product is a few row blocks against one panel of B, which the threads share without
   * waiting on each other (fc4's forward product 512x25x75, JDK 17: 60 GFLOP/s on one thread, 89 on
   * two). Fewer rows leave a thread idle behind the packing of B (fc5's weight gradient 25x10x512,
   * computed transposed as 10 rows: 35 GFLOP/s on one thread, 19 on two).
   */
  private static final long ROW_PARALLEL_THRESHOLD = 1L << 16;

  /** ... and a one-row product from this many (see threadsOneRow). */
  private static final long ONE_ROW_PARALLEL_THRESHOLD = 1L << 16;

  private final Parallel parallel;
  private final ScratchPool<float[]> scratch = ScratchPool.ofArrays();
  private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

  /**
   * Per-thread buffers: a packed A block, one tile of C for edge updates, and the thread's own
   * panel of B when it runs a share of the rows alone; and the objects that describe a product and
   * a thread's share of it, reused from call to call so that a product allocates nothing.
   */
  private static final class Workspace {
    final float[] packedA = new float[MC * KC];
    final float[] tile = new float[VectorTiles.TILE_BUFFER];
    final GemmPasses passes = new GemmPasses();
    final ColumnSlice columnSlice = new ColumnSlice();
    final RowShare rowShare = new RowShare();
    private float[] panelB = new float[0];

    /** The product this thread calls, when it is the caller. */
    Product product;

    float[] panelB(int size) {
      if (panelB.length < size) {
        panelB = new float[size];
      }
      return panelB;
    }
  }

  /**
   * Whether the tiles run: from the moment the JIT has compiled them ({@link VectorWarmUp}); until
   * then the plain GEMM computes, which gives the same bits.
   */
  private final VectorSwitch vectorTiles;

  private final PackedGemm plain;

  /** A GEMM whose tiles run when {@code vectorTiles} says so, the plain GEMM otherwise (tests). */
  VectorGemm(Parallel parallel, VectorSwitch vectorTiles) {
    this.parallel = parallel;
    this.vectorTiles = vectorTiles;
    this.plain = new PackedGemm(parallel, NR);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Safe to call from several threads at once: each call borrows its own shared panel of B.
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
    if (!vectorTiles.on()) {
      plain.multiply(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
      return;
    }
    run(transposeA, transposeB, m, n, k, alpha, a, b, beta, c, null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Packs when the tiles run and C is wider than one vector (a narrower one takes the one-vector
   * kernel, whose panels are narrower): the panels {@link #multiply(int, int, int, float, float[],
   * PackedB, float, float[])} reads.
   */
  @Override
  public PackedB pack(float[] b, int k, int n, int generation) {
    if (!vectorTiles.on() || n <= LANES || k == 0) {
      return null;
    }
    return PackedB.pack(b, k, n, NR, roundUp(NC, NR), GemmForm.passDepth(k), generation);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A single row reads B in place still ({@link VectorTiles#rowStrip} spans four of its panels
   * at once).
   */
  @Override
  public void multiply(
      int m, int n, int k, float alpha, float[] a, PackedB b, float beta, float[] c) {
    if (!vectorTiles.on() || m == 1 || n <= LANES || b.k() != k || b.n() != n) {
      multiply(false, false, m, n, k, alpha, a, b.source(), beta, c);
      return;
    }
    run(false, false, m, n, k, alpha, a, b.source(), beta, c, b);
  }

  /** {@link #multiply} once the tiles run; {@code packed} is B's panels, or null. */
  private void run(
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
      PackedB packed) {
    if (m == 0 || n == 0) {
      return;
    }
    long multiplyAdds = (long) m * n * k;
    boolean threaded = multiplyAdds >= PARALLEL_THRESHOLD && parallel.threads() > 1;
    if (k == 0 || alpha == 0f) {
      ScaleC.scale(parallel, c, m * n, beta, threaded);
      return;
    }
    boolean swapped = prefersTransposed(transposeA, m, n);
    threaded |=
        threadsRows(multiplyAdds, swapped ? n : m) || threadsOneRow(multiplyAdds, m, swapped);
    if (swapped) {
      float[] t = scratch.acquire(m * n);
      try {
        product(!transposeB, !transposeA, n, m, k, alpha, b, a, 0f, t, threaded, null);
        addTransposed(t, n, m, beta, c);
      } finally {
        scratch.release(t);
      }
    } else {
      product(transposeA, transposeB, m, n, k, alpha, a, b, beta, c, threaded, packed);
    }
  }

  /**
   * Whether a one-row product below the plain threshold is split over column slices anyway: it
   * streams B from memory once with nothing to reuse, so a second core adds its own cache and
   * memory bandwidth (a layer's forward pass at batch 1).
   */
  private boolean threadsOneRow(long multiplyAdds, int m, boolean swapped) {
    return m == 1
        && !swapped
        && parallel.threads() > 1
        && multiplyAdds >= ONE_ROW_PARALLEL_THRESHOLD
        && VectorTiles.MASKED_ACCESS;
  }

  /** Whether a product below the plain threshold is split over row blocks anyway. */
  private boolean threadsRows(long multiplyAdds, int rows) {
    int threads = parallel.threads();
    return threads > 1 && multiplyAdds >= ROW_PARALLEL_THRESHOLD && rows >= (long) threads * MC;
  }

  /**
   * Whether to compute {@code C^T = op(B)^T op(A)^T} instead ({@link GemmForm#transposedResult}).
   */
  static boolean prefersTransposed(boolean transposeA, int m, int n) {
    return GemmForm.transposedResult(transposeA, m, n, NR);
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
      boolean threaded,
      PackedB packed) {
    int threads = threaded ? parallel.threads() : 1;
    int blocks = (m + MC - 1) / MC;
    if (threads > 1 && (m + MR - 1) / MR >= 2 * threads) {
      blocks = roundUp(blocks, threads);
    }
    // Fewer than two tiles of rows a thread: one row block, its columns sliced over the threads
    // (columnsAlone). Rows split by whole tiles would be uneven: 16 rows as 12 + 4, one thread
    // computing two tiles while the other computes one.
    int mc = Math.min(roundUp((m + blocks - 1) / blocks, MR), MC);
    int width = n <= LANES ? LANES : NR;
    int depth = GemmForm.passDepth(k);
    int columnsPerPass = roundUp(NC, width);
    Workspace ws = workspaces.get();
    if (ws.product == null) {
      ws.product = new Product();
    }
    Product product =
        ws.product.set(
            this,
            transposeA,
            transposeB,
            a,
            b,
            c,
            m,
            n,
            k,
            alpha,
            beta,
            mc,
            width,
            threads,
            packed);
    try {
      if (threads > 1 && blocks == 1) {
        // Few rows (see above): each thread takes its slice of the columns through every pass
        // alone, packing what it needs of B itself, with no barrier between the passes (JMH, the
        // tuned network at batch 16: the barriers of the shared chain took a fifth of the time).
        parallel.forChunks(threads, 2L * m * n * k, product.alone(true, columnsPerPass, depth));
        return;
      }
      if (threads > 1 && (long) m * n * k < PARALLEL_THRESHOLD) {
        // A small product threaded by rows (threadsRows): each thread takes a share of C's rows
        // and runs the passes over them alone, packing the small B itself. Sharing the packing
        // made one thread wait for the other's before any multiply (fc5's forward product
        // 512x10x25, JDK 17: 27 GFLOP/s shared, 37 alone). Large products keep the shared panels,
        // where the two measured alike within this machine's noise.
        parallel.forChunks(threads, 2L * m * n * k, product.alone(false, columnsPerPass, depth));
        return;
      }
      if (packed != null) {
        ws.passes.run(parallel, threaded, n, k, columnsPerPass, depth, product);
        return;
      }
      float[] packedB = scratch.acquire(roundUp(Math.min(n, columnsPerPass), width) * depth);
      try {
        product.packedB = packedB;
        ws.passes.run(parallel, threaded, n, k, columnsPerPass, depth, product);
      } finally {
        scratch.release(packedB);
      }
    } finally {
      product.clear();
    }
  }

  /**
   * The pack and multiply tasks of one product, as {@link GemmPasses} runs them. One per calling
   * thread, set anew for each of its products; between products it holds no array.
   */
  private static final class Product implements GemmPasses.Steps, IntConsumer {
    /**
     * The GEMM of the product under way; null between products, so that a thread's workspace (a
     * thread-local value) does not keep the GEMM, its threads and its backend reachable.
     */
    VectorGemm gemm;

    boolean transposeA;
    boolean transposeB;
    boolean direct;
    boolean inPlaceB;

    /**
     * A single row against B in place, every column through {@link VectorTiles#rowStrip} and {@link
     * VectorTiles#rowSpan}: no micro-panel of B is packed, a ragged last one included.
     */
    boolean rowInPlace;

    float[] a;
    float[] b;
    float[] c;
    int m;
    int n;
    int k;
    float alpha;
    float beta;
    int mc;
    int rowBlocks;
    int width;
    int threads;

    /** The panel of B that every thread of the product shares; null when each packs its own. */
    float[] packedB;

    /** B's panels packed before the product, or null when the product packs them. */
    PackedB prepacked;

    /** For {@link #accept}: whether each thread takes a slice of the columns or of the rows. */
    private boolean byColumns;

    private int columnsPerPass;
    private int depth;

    Product set(
        VectorGemm gemm,
        boolean transposeA,
        boolean transposeB,
        float[] a,
        float[] b,
        float[] c,
        int m,
        int n,
        int k,
        float alpha,
        float beta,
        int mc,
        int width,
        int threads,
        PackedB prepacked) {
      this.gemm = gemm;
      this.transposeA = transposeA;
      this.transposeB = transposeB;
      this.direct = n <= DIRECT_MAX_N || k <= DIRECT_MAX_K;
      this.prepacked = prepacked;
      this.inPlaceB = prepacked == null && !transposeB && m <= IN_PLACE_B_MAX_M;
      this.rowInPlace = inPlaceB && m == 1 && width == NR && VectorTiles.MASKED_ACCESS;
      this.a = a;
      this.b = b;
      this.c = c;
      this.m = m;
      this.n = n;
      this.k = k;
      this.alpha = alpha;
      this.beta = beta;
      this.mc = mc;
      this.rowBlocks = (m + mc - 1) / mc;
      this.width = width;
      this.threads = threads;
      this.packedB = null;
      return this;
    }

    /** Lets the arrays of the last product go. */
    void clear() {
      gemm = null;
      a = null;
      b = null;
      c = null;
      packedB = null;
      prepacked = null;
    }

    /** The pass's panel of B: the prepacked one, else {@code own}, where it was packed. */
    float[] panel(GemmPasses.Pass pass, float[] own) {
      return prepacked != null ? prepacked.panel(pass.index()) : own;
    }

    /**
     * This product as a fork's task: chunk {@code t} of {@code threads} runs its thread's slice of
     * the columns ({@link #columnsAlone}) or of the rows ({@link #rowsAlone}) alone.
     */
    IntConsumer alone(boolean byColumns, int columnsPerPass, int depth) {
      this.byColumns = byColumns;
      this.columnsPerPass = columnsPerPass;
      this.depth = depth;
      return this;
    }

    @Override
    public void accept(int t) {
      if (byColumns) {
        columnsAlone(t, threads, columnsPerPass, depth);
      } else {
        int tiles = (m + MR - 1) / MR;
        rowsAlone(
            tiles * t / threads * MR,
            Math.min(m, tiles * (t + 1) / threads * MR),
            columnsPerPass,
            depth);
      }
    }

    private int panels(GemmPasses.Pass pass) {
      return (pass.nc() + width - 1) / width;
    }

    /** Column slices per row block: enough tasks for every thread when row blocks are few. */
    private int slices(GemmPasses.Pass pass) {
      return threads == 1 ? 1 : Math.min(panels(pass), (threads + rowBlocks - 1) / rowBlocks);
    }

    /**
     * The first micro-panel of the pass that is packed: all are, unless B is read in place; then
     * only a ragged last one is, whose lanes past the last column would read past B's end.
     */
    private int firstPacked(GemmPasses.Pass pass) {
      int panels = panels(pass);
      return !inPlaceB ? 0 : pass.nc() % width == 0 || rowInPlace ? panels : panels - 1;
    }

    @Override
    public int packTasks(GemmPasses.Pass pass) {
      return prepacked != null ? 0 : Math.min(panels(pass) - firstPacked(pass), threads);
    }

    @Override
    public void pack(GemmPasses.Pass pass, int task, int tasks) {
      int first = firstPacked(pass);
      int count = panels(pass) - first;
      packPanels(pass, first + count * task / tasks, first + count * (task + 1) / tasks, packedB);
    }

    /** Packs micro-panels {@code [from, to)} of the pass's panel of B into {@code dst}. */
    private void packPanels(GemmPasses.Pass pass, int from, int to, float[] dst) {
      VectorPacking.packB(
          transposeB, b, n, k, pass.pc(), pass.kc(), pass.jc(), pass.nc(), width, from, to, dst);
    }

    @Override
    public int multiplyTasks(GemmPasses.Pass pass) {
      return rowBlocks * slices(pass);
    }

    /** Row block {@code task / slices} against its slice of the B micro-panels. */
    @Override
    public void multiply(GemmPasses.Pass pass, int task, int tasks) {
      int s = slices(pass);
      int panels = panels(pass);
      int slice = task % s;
      int ic = task / s * mc;
      rowBlock(
          pass,
          ic,
          Math.min(mc, m - ic),
          panels * slice / s,
          panels * (slice + 1) / s,
          panel(pass, packedB),
          gemm.workspaces.get());
    }

    /**
     * Rows {@code [first, last)} of C through every pass, on the calling thread alone, with B
     * packed into the thread's own panel; blocks of at most {@code MC} rows, as equal as whole
     * tiles allow.
     */
    void rowsAlone(int first, int last, int columnsPerPass, int depth) {
      if (first >= last) {
        return;
      }
      Workspace ws = gemm.workspaces.get();
      float[] panel = ws.panelB(Math.min(depth, k) * roundUp(Math.min(columnsPerPass, n), width));
      RowShare share = ws.rowShare.set(this, first, last, panel, ws);
      try {
        ws.passes.run(gemm.parallel, false, n, k, columnsPerPass, depth, share);
      } finally {
        share.clear();
      }
    }

    /**
     * Slice {@code slice} of {@code slices} of C's columns (whole micro-panels of each pass, as
     * {@link #multiply} slices them), every row, through every pass, on the calling thread alone,
     * with what it needs of B packed into the thread's own panel.
     */
    void columnsAlone(int slice, int slices, int columnsPerPass, int depth) {
      Workspace ws = gemm.workspaces.get();
      float[] panel = ws.panelB(Math.min(depth, k) * roundUp(Math.min(columnsPerPass, n), width));
      ColumnSlice own = ws.columnSlice.set(this, slice, slices, panel, ws);
      try {
        ws.passes.run(gemm.parallel, false, n, k, columnsPerPass, depth, own);
      } finally {
        own.clear();
      }
    }

    private void rowBlock(
        GemmPasses.Pass pass, int ic, int rows, int from, int to, float[] panelB, Workspace ws) {
      int pc = pass.pc();
      int kc = pass.kc();
      float betaNow = pc == 0 ? beta : 1f;
      boolean packed = !direct && width == NR;
      if (packed) {
        VectorPacking.packA(transposeA, a, m, k, ic, rows, pc, kc, ws.packedA);
      }
      // Element (i, p) of op(A) at a[i * rs + p * cs] in place, or in the packed block.
      float[] src = packed ? ws.packedA : a;
      int rs = packed ? 1 : transposeA ? 1 : k;
      int cs = packed ? MR : transposeA ? m : 1;
      int firstPacked = firstPacked(pass);
      int strip = VectorTiles.STRIP_PANELS;
      // Strips read whole panels of B in place: never the ragged last one, nor a packed one.
      int stripsEnd = Math.min(to, Math.min(firstPacked, pass.nc() / width));
      // A single row's start in A, and its columns' starts in B and C in place (the row kernels).
      int rowA = packed ? 0 : ic * rs + pc * cs;
      int rowB = pc * n + pass.jc();
      int rowC = ic * n + pass.jc();
      for (int jr = from; jr < to; jr++) {
        int col = jr * width;
        if (rows == 1 && width == NR && jr + strip <= stripsEnd) {
          // A single row against B in place: a strip of panels at once (the same bits as tiles).
          VectorTiles.rowStrip(
              kc, src, rowA, cs, b, rowB + col, n, c, rowC + col, alpha, betaNow, ws.tile);
          jr += strip - 1;
          continue;
        }
        if (rowInPlace) {
          // The columns no strip covers, a ragged edge included, in masked spans of B in place.
          int span = Math.min(VectorTiles.SPAN_PANELS, to - jr);
          int cols = Math.min(span * width, pass.nc() - col);
          VectorTiles.rowSpan(
              kc, src, rowA, cs, b, rowB + col, n, cols, c, rowC + col, alpha, betaNow, ws.tile);
          jr += span - 1;
          continue;
        }
        int cols = Math.min(width, pass.nc() - col);
        boolean packedPanel = jr >= firstPacked;
        float[] bp = packedPanel ? panelB : b;
        int bOff = packedPanel ? jr * width * kc : pc * n + pass.jc() + col;
        int bs = packedPanel ? width : n;
        for (int ir = 0; ir < rows; ir += MR) {
          int live = Math.min(MR, rows - ir);
          int cOff = (ic + ir) * n + pass.jc() + col;
          int aOff = packed ? ir * kc : (ic + ir) * rs + pc * cs;
          if (packed) {
            VectorTiles.packedTile(
                kc, src, aOff, live, bp, bOff, bs, c, cOff, n, cols, alpha, betaNow, ws.tile);
          } else if (width == LANES) {
            VectorTiles.narrowTile(
                kc, src, aOff, rs, cs, live, bp, bOff, bs, c, cOff, n, cols, alpha, betaNow,
                ws.tile);
          } else {
            VectorTiles.tile(
                kc, src, aOff, rs, cs, live, bp, bOff, bs, c, cOff, n, cols, alpha, betaNow,
                ws.tile);
          }
        }
      }
    }
  }

  /** A thread's share of a product's rows, run alone ({@link Product#rowsAlone}). */
  private static final class RowShare implements GemmPasses.Steps {
    private Product product;
    private int first;
    private int last;
    private int blockRows;
    private float[] panel;
    private Workspace ws;

    RowShare set(Product product, int first, int last, float[] panel, Workspace ws) {
      this.product = product;
      this.first = first;
      this.last = last;
      int rows = last - first;
      int blocks = (rows + MC - 1) / MC;
      this.blockRows = Math.min(roundUp((rows + blocks - 1) / blocks, MR), MC);
      this.panel = panel;
      this.ws = ws;
      return this;
    }

    void clear() {
      product = null;
    }

    @Override
    public int packTasks(GemmPasses.Pass pass) {
      return product.prepacked != null
          ? 0
          : Math.min(1, product.panels(pass) - product.firstPacked(pass));
    }

    @Override
    public void pack(GemmPasses.Pass pass, int task, int tasks) {
      product.packPanels(pass, product.firstPacked(pass), product.panels(pass), panel);
    }

    @Override
    public int multiplyTasks(GemmPasses.Pass pass) {
      return (last - first + blockRows - 1) / blockRows;
    }

    @Override
    public void multiply(GemmPasses.Pass pass, int task, int tasks) {
      int ic = first + task * blockRows;
      product.rowBlock(
          pass,
          ic,
          Math.min(blockRows, last - ic),
          0,
          product.panels(pass),
          product.panel(pass, panel),
          ws);
    }
  }

  /** A thread's slice of a product's columns, run alone ({@link Product#columnsAlone}). */
  private static final class ColumnSlice implements GemmPasses.Steps {
    private Product product;
    private int slice;
    private int slices;
    private float[] panel;
    private Workspace ws;

    ColumnSlice set(Product product, int slice, int slices, float[] panel, Workspace ws) {
      this.product = product;
      this.slice = slice;
      this.slices = slices;
      this.panel = panel;
      this.ws = ws;
      return this;
    }

    void clear() {
      product = null;
    }

    private int from(GemmPasses.Pass pass) {
      return product.panels(pass) * slice / slices;
    }

    private int to(GemmPasses.Pass pass) {
      return product.panels(pass) * (slice + 1) / slices;
    }

    @Override
    public int packTasks(GemmPasses.Pass pass) {
      return product.prepacked == null && Math.max(product.firstPacked(pass), from(pass)) < to(pass)
          ? 1
          : 0;
    }

    @Override
    public void pack(GemmPasses.Pass pass, int task, int tasks) {
      product.packPanels(pass, Math.max(product.firstPacked(pass), from(pass)), to(pass), panel);
    }

    @Override
    public int multiplyTasks(GemmPasses.Pass pass) {
      return from(pass) < to(pass) ? 1 : 0;
    }

    @Override
    public void multiply(GemmPasses.Pass pass, int task, int tasks) {
      product.rowBlock(pass, 0, product.m, from(pass), to(pass), product.panel(pass, panel), ws);
    }
  }

  private static int roundUp(int x, int multiple) {
    return (x + multiple - 1) / multiple * multiple;
  }
}
