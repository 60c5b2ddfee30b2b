package dev.dnn.cli.report;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Number formats shared by the tables and the report, fixed to the root locale.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class Format {
  private Format() {}

  /** An accuracy in [0, 1] as a percentage with two decimals: {@code 87.45%}. */
  public static String percent(double fraction) {
    return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f%%", 100 * fraction) : "n/a";
  }

  /**
   * Seconds with a precision that suits their size: {@code 0.042 s}, {@code 3.21 s}, {@code 95 s}.
   */
  public static String seconds(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "n/a";
    }
    if (seconds < 1) {
      return String.format(Locale.ROOT, "%.3f s", seconds);
    }
    if (seconds < 100) {
      return String.format(Locale.ROOT, "%.2f s", seconds);
    }
    return String.format(Locale.ROOT, "%.0f s", seconds);
  }

  /**
   * A duration for people, to the second below an hour: {@code 42 s}, {@code 14 min 05 s}, {@code 2
   * h 07 min}.
   */
  public static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "n/a";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    long minutes = Math.round(seconds / 60);
    return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
  }

  /** A rate rounded to a whole number with thousands separators: {@code 12,345}. */
  public static String rate(double perSecond) {
    return Double.isFinite(perSecond) ? String.format(Locale.ROOT, "%,.0f", perSecond) : "n/a";
  }

  /** A ratio with two decimals and a times sign: {@code 14.20x}. */
  public static String ratio(double ratio) {
    return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2fx", ratio) : "n/a";
  }

  /** A number with up to four significant digits, for scores of any magnitude. */
  public static String number(double value) {
    if (!Double.isFinite(value)) {
      return "n/a";
    }
    double abs = Math.abs(value);
    if (abs != 0 && (abs < 1e-3 || abs >= 1e6)) {
      return String.format(Locale.ROOT, "%.3e", value);
    }
    if (abs >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    // Four significant digits without trailing zeros: 0.001, 0.1, 12.35.
    return new BigDecimal(String.format(Locale.ROOT, "%.4g", value))
        .stripTrailingZeros()
        .toPlainString();
  }
}
