package dev.dnn.tests;

import java.util.List;

/**
 * A number computed in float32 (immutable, may be shared), held as its exact value (in double) and
 * a first-order bound on the error of the float32 evaluation: a running error analysis (Higham,
 * Accuracy and Stability of Numerical Algorithms, 2nd ed., 3.3). Each correctly rounded operation
 * adds {@code u |result|}, {@code u = 2^-24}; the operands' errors propagate with the operation's
 * partial derivatives; a library function accurate to {@code k} ulps adds {@code 2 k u |result|}
 * (one ulp of x is at most {@code 2 u |x|}). A fused multiply-add rounds once where the separate
 * operations round twice, so the bound also covers a compiler that contracts. Sums of many terms
 * use the bound of any summation order, {@code (n - 1) u sum |x_i|} (Higham 4.2), so a tree, a warp
 * shuffle or a sequential loop are all covered.
 *
 * <p>The ulps of the library functions are the larger of the two backends': CUDA's expf 2, logf 1,
 * log1pf 1 (CUDA C Programming Guide, table of single-precision mathematical functions), and the
 * CPU backend's Vector API forms, exp 1.5 and log1p 2.5 ({@code dev.dnn.cpu.VectorMath}); its
 * plain-Java forms compute in double and round once.
 */
public record Rounded(double value, double error) {
  /** Unit roundoff of float32. */
  public static final double U = 0x1p-24;

  public static final double EXP_ULPS = 2;
  public static final double LOG_ULPS = 1;
  public static final double LOG1P_ULPS = 2.5;

  /** A float32 input, or a constant both backends hold as the same float: no error. */
  public static Rounded of(double value) {
    return new Rounded(value, 0);
  }

  /**
   * A constant the host computes and rounds to float once ({@code 1 - beta^t}, {@code lr * wd}).
   */
  public static Rounded roundedOnce(double value) {
    return new Rounded(value, U * Math.abs(value));
  }

  private static Rounded rounded(double value, double propagated) {
    return new Rounded(value, propagated + U * Math.abs(value));
  }

  public Rounded plus(Rounded o) {
    return rounded(value + o.value, error + o.error);
  }

  public Rounded minus(Rounded o) {
    return rounded(value - o.value, error + o.error);
  }

  public Rounded times(Rounded o) {
    return rounded(value * o.value, Math.abs(o.value) * error + Math.abs(value) * o.error);
  }

  public Rounded dividedBy(Rounded o) {
    double q = value / o.value;
    return rounded(q, (error + Math.abs(q) * o.error) / Math.abs(o.value));
  }

  public Rounded sqrt() {
    double r = Math.sqrt(value);
    return rounded(r, r == 0 ? error : error / (2 * r));
  }

  /** Exact, like the operations that only pick or negate. */
  public Rounded negate() {
    return new Rounded(-value, error);
  }

  public Rounded abs() {
    return new Rounded(Math.abs(value), error);
  }

  public Rounded max(double other) {
    return value >= other ? this : of(other);
  }

  public Rounded exp() {
    double r = Math.exp(value);
    return new Rounded(r, r * error + 2 * EXP_ULPS * U * r);
  }

  public Rounded log() {
    double r = Math.log(value);
    return new Rounded(r, error / Math.abs(value) + 2 * LOG_ULPS * U * Math.abs(r));
  }

  public Rounded log1p() {
    double r = Math.log1p(value);
    return new Rounded(r, error / (1 + value) + 2 * LOG1P_ULPS * U * Math.abs(r));
  }

  /** The sum of {@code terms} in any order. */
  public static Rounded sum(List<Rounded> terms) {
    double value = 0;
    double magnitudes = 0;
    double errors = 0;
    for (Rounded t : terms) {
      value += t.value;
      magnitudes += Math.abs(t.value);
      errors += t.error;
    }
    return new Rounded(value, errors + Math.max(0, terms.size() - 1) * U * magnitudes);
  }
}
