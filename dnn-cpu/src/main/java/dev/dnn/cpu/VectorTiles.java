package dev.dnn.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled micro-kernels of {@link VectorGemm}: one {@code MR x NR} tile of C (6 rows by
 * two vectors) in 12 vector accumulators, per k step two loads of packed B, six broadcasts of A and
 * twelve fused multiply-adds (four rows and eight accumulators on x86 without AVX-512: {@link
 * #FOUR_ROW_TILES}); and its one-vector-wide form for C of at most one vector of columns.
 *
 * <p>Element (r, p) of the tile's rows of op(A) is read at {@code a[aOff + r * rs + p * cs]}: a
 * packed micro-panel is {@code rs = 1, cs = MR} ({@link #packedTile}, whose strides are constants),
 * A in place has its own strides ({@link #tile}). Rows past {@code rows} repeat the last live row
 * (their results are dropped), so no read leaves A. On a Zen 4 core, which issues one 512-bit FMA a
 * cycle, the tile runs at 80 to 90% of that limit over in-cache panels; on a Zen 5 core, which
 * issues two, the packed form runs at 204 to 219 GFLOP/s on one thread; see BENCHMARKS.md.
 */
final class VectorTiles {
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();

  /**
   * Whether the tile has four rows instead of six: on x86 without AVX-512 (16 vector registers, 256
   * bits), where the six-row tile's 12 accumulators and three operands leave C2 no register and it
   * ran at half the four-row tile's speed (52 against 98 GFLOP/s on one thread, a scratch loop over
   * one tile). The bits do not change: each element gets the same operations in either.
   */
  static final boolean FOUR_ROW_TILES =
      fourRowTiles(System.getProperty("os.arch", ""), SPECIES.vectorBitSize());

  /** Rows of C per tile. */
  static final int MR = FOUR_ROW_TILES ? 4 : GemmForm.TILE_ROWS;

  /** Floats of a tile buffer: room for the six rows of {@link #narrowTile} whatever {@link #MR}. */
  static final int TILE_BUFFER = GemmForm.TILE_ROWS * 2 * LANES;

  /** Columns of C per tile: two vectors. */
  static final int NR = 2 * LANES;

  /** Whether masked loads and stores compile to masked instructions (see updateC). */
  static final boolean MASKED_ACCESS = Runtime.version().feature() >= 18;

  private VectorTiles() {}

  /**
   * Whether a processor of architecture {@code arch} (as {@code os.arch} names it) with float
   * vectors of {@code vectorBits} gets {@link #FOUR_ROW_TILES}: x86 below 512 bits, which has 16
   * vector registers. Other architectures were not measured and keep the six-row tile (AArch64 has
   * 32 vector registers).
   */
  static boolean fourRowTiles(String arch, int vectorBits) {
    boolean x86 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86");
    return x86 && vectorBits < 512;
  }

  /**
   * {@code C[0..rows, 0..cols] = alpha op(A) B + beta C} for one {@code MR x NR} tile, row p of B's
   * {@code kc x NR} micro-panel at {@code bp[bOff + p * bs]} (packed, {@code bs = NR}, or B in
   * place); {@code tile} is an {@code MR x NR} scratch buffer.
   */
  static void tile(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      int rows,
      float[] bp,
      int bOff,
      int bs,
      float[] c,
      int cOff,
      int ldc,
      int cols,
      float alpha,
      float beta,
      float[] tile) {
    if (FOUR_ROW_TILES) {
      fourRowTileProducts(kc, a, aOff, rs, cs, rows, bp, bOff, bs, tile);
    } else {
      tileProducts(kc, a, aOff, rs, cs, rows, bp, bOff, bs, tile);
    }
    updateC(tile, c, cOff, ldc, rows, cols, alpha, beta);
  }

  /**
   * The products of {@link #tile} into {@code tile}, row r at {@code tile[r * NR]}. A method apart
   * from {@link #updateC}, whose branches (beta, a ragged edge) the JIT may first see late: a
   * kernel compiled without them is discarded and compiled again when they come, and this loop is
   * the most expensive method of the library to compile (0.2 to 0.8 s of C2 time each time).
   */
  private static void tileProducts(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      int rows,
      float[] bp,
      int bOff,
      int bs,
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
      int bo = bOff + p * bs;
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
  }

  /**
   * {@link #tile} on a packed micro-panel of A ({@code rs = 1, cs = MR}, rows past {@code rows}
   * zero). Its strides are constants, so the six reads of A per k step share one base and one
   * bounds check: over in-cache panels this form measured 10% faster than {@link #tile} with the
   * packed strides passed in. Every element gets the same operations in the same order, so the same
   * bits.
   */
  static void packedTile(
      int kc,
      float[] a,
      int aOff,
      int rows,
      float[] bp,
      int bOff,
      int bs,
      float[] c,
      int cOff,
      int ldc,
      int cols,
      float alpha,
      float beta,
      float[] tile) {
    if (FOUR_ROW_TILES) {
      packedFourRowTileProducts(kc, a, aOff, bp, bOff, bs, tile);
    } else {
      packedTileProducts(kc, a, aOff, bp, bOff, bs, tile);
    }
    updateC(tile, c, cOff, ldc, rows, cols, alpha, beta);
  }

  /** The products of {@link #packedTile} into {@code tile}, apart as {@link #tileProducts} is. */
  private static void packedTileProducts(
      int kc, float[] a, int aOff, float[] bp, int bOff, int bs, float[] tile) {
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
    for (int p = 0, q = aOff; p < kc; p++, q += MR) {
      int bo = bOff + p * bs;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, a[q]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(SPECIES, a[q + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(SPECIES, a[q + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(SPECIES, a[q + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(SPECIES, a[q + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(SPECIES, a[q + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
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
  }

  /**
   * {@link #tileProducts} on four rows: the {@link #FOUR_ROW_TILES} form. It repeats the six-row
   * loop's shape rather than sharing code with it: the accumulators must be locals for C2 to keep
   * them in registers, and a helper that returned them would box them.
   */
  private static void fourRowTileProducts(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      int rows,
      float[] bp,
      int bOff,
      int bs,
      float[] tile) {
    int last = rows - 1;
    int a0 = aOff;
    int a1 = aOff + Math.min(1, last) * rs;
    int a2 = aOff + Math.min(2, last) * rs;
    int a3 = aOff + Math.min(3, last) * rs;
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    for (int p = 0, q = 0; p < kc; p++, q += cs) {
      int bo = bOff + p * bs;
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
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, LANES);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + LANES);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + LANES);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + LANES);
  }

  /** {@link #packedTileProducts} on four rows: the {@link #FOUR_ROW_TILES} form. */
  private static void packedFourRowTileProducts(
      int kc, float[] a, int aOff, float[] bp, int bOff, int bs, float[] tile) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    for (int p = 0, q = aOff; p < kc; p++, q += MR) {
      int bo = bOff + p * bs;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, a[q]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(SPECIES, a[q + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(SPECIES, a[q + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(SPECIES, a[q + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, LANES);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + LANES);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + LANES);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + LANES);
  }

  /** Micro-panels of B one {@link #rowStrip} spans. */
  static final int STRIP_PANELS = 4;

  /**
   * One row of C across {@value #STRIP_PANELS} consecutive {@code NR}-wide micro-panels of B (the
   * shape of a single-row product, a GEMV): {@link #tile} on a row would compute five padding rows
   * beside it, and its two accumulators would wait on each other's fused multiply-adds. Every
   * element gets the same operations, in the same order, as in {@link #tile} (a zero accumulator,
   * one fused multiply-add per k step, then {@link #updateC}), so the same bits. Row p of B at
   * {@code bp[bOff + p * bs]} holds all {@code STRIP_PANELS * NR} columns (B in place); {@code
   * tile} holds at least that many floats.
   */
  static void rowStrip(
      int kc,
      float[] a,
      int aOff,
      int cs,
      float[] bp,
      int bOff,
      int bs,
      float[] c,
      int cOff,
      float alpha,
      float beta,
      float[] tile) {
    rowStripProducts(kc, a, aOff, cs, bp, bOff, bs, tile);
    updateC(tile, c, cOff, 0, 1, STRIP_PANELS * NR, alpha, beta);
  }

  /** The products of {@link #rowStrip} into {@code tile}, apart as {@link #tileProducts} is. */
  private static void rowStripProducts(
      int kc, float[] a, int aOff, int cs, float[] bp, int bOff, int bs, float[] tile) {
    FloatVector c0 = FloatVector.zero(SPECIES);
    FloatVector c1 = c0;
    FloatVector c2 = c0;
    FloatVector c3 = c0;
    FloatVector c4 = c0;
    FloatVector c5 = c0;
    FloatVector c6 = c0;
    FloatVector c7 = c0;
    for (int p = 0, q = aOff; p < kc; p++, q += cs) {
      int bo = bOff + p * bs;
      FloatVector x = FloatVector.broadcast(SPECIES, a[q]);
      c0 = x.fma(FloatVector.fromArray(SPECIES, bp, bo), c0);
      c1 = x.fma(FloatVector.fromArray(SPECIES, bp, bo + LANES), c1);
      c2 = x.fma(FloatVector.fromArray(SPECIES, bp, bo + 2 * LANES), c2);
      c3 = x.fma(FloatVector.fromArray(SPECIES, bp, bo + 3 * LANES), c3);
      c4 = x.fma(FloatVector.fromArray(SPECIES, bp, bo + 4 * LANES), c4);
      c5 = x.fma(FloatVector.fromArray(SPECIES, bp, bo + 5 * LANES), c5);
      c6 = x.fma(FloatVector.fromArray(SPECIES, bp, bo + 6 * LANES), c6);
      c7 = x.fma(FloatVector.fromArray(SPECIES, bp, bo + 7 * LANES), c7);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, LANES);
    c2.intoArray(tile, 2 * LANES);
    c3.intoArray(tile, 3 * LANES);
    c4.intoArray(tile, 4 * LANES);
    c5.intoArray(tile, 5 * LANES);
    c6.intoArray(tile, 6 * LANES);
    c7.intoArray(tile, 7 * LANES);
  }

  /** Micro-panels of B one {@link #rowSpan} spans at most. */
  static final int SPAN_PANELS = 2;

  /**
   * One row of C across {@code cols} columns, at most {@value #SPAN_PANELS} micro-panels, of B read
   * in place: the columns of a single-row product that no {@link #rowStrip} covers. Its last vector
   * is loaded through a lane mask, so B's ragged right edge needs no packed copy (packing it cost a
   * fifth of a one-row forward pass) and no padding rows are computed (a {@link #tile} on one row
   * computes five more). Every element gets {@link #tile}'s operations in its order, so the same
   * bits. Needs {@link #MASKED_ACCESS}.
   */
  static void rowSpan(
      int kc,
      float[] a,
      int aOff,
      int cs,
      float[] b,
      int bOff,
      int bs,
      int cols,
      float[] c,
      int cOff,
      float alpha,
      float beta,
      float[] tile) {
    rowSpanProducts(kc, a, aOff, cs, b, bOff, bs, cols, tile);
    updateC(tile, c, cOff, 0, 1, cols, alpha, beta);
  }

  /**
   * The products of {@link #rowSpan} into {@code tile}, apart as {@link #tileProducts} is: four
   * accumulators, each load masked to the columns that exist (lanes past {@code cols} stay zero).
   */
  private static void rowSpanProducts(
      int kc, float[] a, int aOff, int cs, float[] b, int bOff, int bs, int cols, float[] tile) {
    VectorMask<Float> m0 = SPECIES.indexInRange(0, cols);
    VectorMask<Float> m1 = SPECIES.indexInRange(LANES, cols);
    VectorMask<Float> m2 = SPECIES.indexInRange(2 * LANES, cols);
    VectorMask<Float> m3 = SPECIES.indexInRange(3 * LANES, cols);
    FloatVector c0 = FloatVector.zero(SPECIES);
    FloatVector c1 = c0;
    FloatVector c2 = c0;
    FloatVector c3 = c0;
    for (int p = 0, q = aOff; p < kc; p++, q += cs) {
      int bo = bOff + p * bs;
      FloatVector x = FloatVector.broadcast(SPECIES, a[q]);
      c0 = x.fma(FloatVector.fromArray(SPECIES, b, bo, m0), c0);
      c1 = x.fma(FloatVector.fromArray(SPECIES, b, bo + LANES, m1), c1);
      c2 = x.fma(FloatVector.fromArray(SPECIES, b, bo + 2 * LANES, m2), c2);
      c3 = x.fma(FloatVector.fromArray(SPECIES, b, bo + 3 * LANES, m3), c3);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, LANES);
    c2.intoArray(tile, 2 * LANES);
    c3.intoArray(tile, 3 * LANES);
  }

  /**
   * {@link #tile} one vector wide, B a {@code kc x LANES} micro-panel (packed: {@code bs = LANES}).
   */
  static void narrowTile(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      int rows,
      float[] bp,
      int bOff,
      int bs,
      float[] c,
      int cOff,
      int ldc,
      int cols,
      float alpha,
      float beta,
      float[] tile) {
    narrowTileProducts(kc, a, aOff, rs, cs, rows, bp, bOff, bs, tile);
    updateC(tile, c, cOff, ldc, rows, cols, alpha, beta);
  }

  /** The products of {@link #narrowTile} into {@code tile}, apart as {@link #tileProducts} is. */
  private static void narrowTileProducts(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      int rows,
      float[] bp,
      int bOff,
      int bs,
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
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bOff + p * bs);
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
        scalarEdge(tile, c, cOff, ldc, rows, j, cols, alpha, beta);
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

  /** Columns {@code [from, cols)} of {@link #updateC}, element by element. */
  private static void scalarEdge(
      float[] tile,
      float[] c,
      int cOff,
      int ldc,
      int rows,
      int from,
      int cols,
      float alpha,
      float beta) {
    for (int r = 0; r < rows; r++) {
      int o = cOff + r * ldc;
      int t = r * NR;
      if (beta == 0f) {
        for (int j = from; j < cols; j++) {
          c[o + j] = tile[t + j] * alpha;
        }
      } else {
        for (int j = from; j < cols; j++) {
          c[o + j] = Math.fma(tile[t + j], alpha, beta * c[o + j]);
        }
      }
    }
  }
}
