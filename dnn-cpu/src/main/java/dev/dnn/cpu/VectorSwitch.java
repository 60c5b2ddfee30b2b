package dev.dnn.cpu;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether a kernel with a vector and a plain form runs the vector one: after the warm-up ({@link
 * #AFTER_WARM_UP} and {@link #AFTER_LOSS_WARM_UP}, what the backend's kernels use), always ({@link
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
   * The losses' vector forms (and the input check's) once the warm-up's second phase has turned
   * them on ({@link #lossesWarmedUp}), the plain ones until then.
   */
  static final VectorSwitch AFTER_LOSS_WARM_UP = new VectorSwitch(false);

  /** The vector form always. */
  static final VectorSwitch ON = new VectorSwitch(true);

  /** The plain form always. */
  static final VectorSwitch OFF = new VectorSwitch(false);

  private volatile boolean on;

  /** The forms the warm-up compiles when a kernel asks ({@link #request}); null for the others. */
  private final VectorWarmUp.Family family;

  private final AtomicBoolean requested = new AtomicBoolean();

  private VectorSwitch(boolean on) {
    this(on, null);
  }

  private VectorSwitch(boolean on, VectorWarmUp.Family family) {
    this.on = on;
    this.family = family;
  }

  /**
   * A switch that stays off until a kernel has asked for its forms ({@link #request}) and the
   * warm-up has compiled them: for forms that only some networks call.
   */
  static VectorSwitch onRequest(VectorWarmUp.Family family) {
    return new VectorSwitch(false, family);
  }

  /**
   * Called by a kernel that ran its plain form because this switch was off: the first call of an
   * on-request switch asks the warm-up to compile its family's vector forms; otherwise nothing.
   */
  void request() {
    if (family != null && !requested.get() && requested.compareAndSet(false, true)) {
      VectorWarmUp.request(family);
    }
  }

  /** Turns an on-request switch on, once the warm-up has compiled its forms. */
  void turnOn() {
    on = true;
  }

  /** Whether the vector form runs now. */
  boolean on() {
    return on;
  }

  /** Turns {@link #AFTER_WARM_UP} on, once the vector forms are compiled ({@link VectorWarmUp}). */
  static void warmedUp() {
    AFTER_WARM_UP.on = true;
  }

  /** Turns {@link #AFTER_LOSS_WARM_UP} on, after the warm-up's second phase. */
  static void lossesWarmedUp() {
    AFTER_LOSS_WARM_UP.on = true;
  }
}
