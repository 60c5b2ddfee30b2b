package dev.dnn.cpu;

/**
 * Whether a kernel with a vector and a plain form runs the vector one: after the warm-up ({@link
 * #AFTER_WARM_UP} and {@link #AFTER_LAYER_WARM_UP}, what the backend's kernels use), always ({@link
 * #ON}, the warm-up's own kernels and tests) or never ({@link #OFF}, tests).
 *
 * <p>One final class whose answer is one field, read without a branch, rather than a functional
 * interface or a test of which switch this is: the warm-up's kernels and the backend's then show
 * the JIT one receiver and one path, so the code C2 compiles from the warm-up's calls serves the
 * user's. With a lambda each, or a branch that only the user's calls took, the first real call of
 * the GEMM, Adam and the reductions discarded their compiled code and had C2 compile them again
 * during the first epoch.
 *
 * <p>Safe to share between threads: the flag is volatile and only ever turned on.
 */
final class VectorSwitch {
  /**
   * The vector form once the warm-up has turned it on ({@link #warmedUp}), the plain one until
   * then.
   */
  static final VectorSwitch AFTER_WARM_UP = new VectorSwitch(false);

  /**
   * The layers' vector forms (activations, the losses, dropout, batch normalization) once the
   * warm-up's second phase has turned them on ({@link #layersWarmedUp}), the plain ones until then.
   */
  static final VectorSwitch AFTER_LAYER_WARM_UP = new VectorSwitch(false);

  /** The vector form always. */
  static final VectorSwitch ON = new VectorSwitch(true);

  /** The plain form always. */
  static final VectorSwitch OFF = new VectorSwitch(false);

  private volatile boolean on;

  private VectorSwitch(boolean on) {
    this.on = on;
  }

  /** Whether the vector form runs now. */
  boolean on() {
    return on;
  }

  /** Turns {@link #AFTER_WARM_UP} on, once the vector forms are compiled ({@link VectorWarmUp}). */
  static void warmedUp() {
    AFTER_WARM_UP.on = true;
  }

  /**
   * Turns {@link #AFTER_LAYER_WARM_UP} on, after the warm-up's second phase (which compiles the
   * losses' forms; the others compile at their first use).
   */
  static void layersWarmedUp() {
    AFTER_LAYER_WARM_UP.on = true;
  }
}
