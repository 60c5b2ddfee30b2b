package dev.dnn.internal.nn;

/**
 * The row counts whose buffers a holder of per-row-count buffers keeps (up to three), and whether a
 * sweep of the others is due: none is when the same counts are asked for again and nothing was
 * added since the last sweep, so a serving loop sweeps (and allocates an iterator) only when its
 * sizes change.
 *
 * <p>Not thread-safe: it belongs to one holder, used by one thread at a time.
 */
public final class KeptRowCounts {
  private int a = -1;
  private int b = -1;
  private int c = -1;
  private int entriesAfterSweep = -1;

  /**
   * Keeps {@code a}, {@code b} and {@code c} (in any order, repeats allowed) from now on; true when
   * the holder, which has {@code entries} entries now, must sweep those of other counts.
   */
  public boolean keep(int a, int b, int c, int entries) {
    if (entries == entriesAfterSweep && holds(a) && holds(b) && holds(c) && within(a, b, c)) {
      return false;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    return true;
  }

  /** Whether buffers of {@code rows} rows are kept. */
  public boolean holds(int rows) {
    return rows == a || rows == b || rows == c;
  }

  /** Records the holder's entry count after its sweep. */
  public void swept(int entries) {
    entriesAfterSweep = entries;
  }

  /** Forgets the last sweep: the holder's entries were all freed. */
  public void reset() {
    entriesAfterSweep = -1;
  }

  /** Whether the kept counts are all among {@code x}, {@code y} and {@code z}. */
  private boolean within(int x, int y, int z) {
    return (a == x || a == y || a == z)
        && (b == x || b == y || b == z)
        && (c == x || c == y || c == z);
  }
}
