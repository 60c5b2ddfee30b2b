package dev.dnn.cli.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A number to predict cut into classes of equal size at its quantiles, the cuts fitted on the
 * training part only: with three classes, the tertiles, named cheap, average and expensive. Cuts
 * lie halfway between the neighbouring training values, so that with distinct values every class
 * holds {@code n / classes} training rows, give or take one. Immutable; may be shared between
 * threads.
 */
public final class QuantileClasses {
  /** The most classes a target is cut into. */
  public static final int MAX_CLASSES = 10;

  private final double[] cuts;
  private final List<String> names;

  private QuantileClasses(double[] cuts, List<String> names) {
    this.cuts = cuts;
    this.names = List.copyOf(names);
  }

  /**
   * Cuts at the quantiles of {@code trainTargets} into {@code classes} classes.
   *
   * @throws IllegalArgumentException if {@code classes} is outside [2, {@value #MAX_CLASSES}],
   *     there are fewer targets than classes, a target is not finite, or two cuts coincide (too
   *     many equal values to cut the column into that many classes)
   */
  public static QuantileClasses fit(float[] trainTargets, int classes) {
    if (classes < 2 || classes > MAX_CLASSES) {
      throw new IllegalArgumentException(
          "--classes must be between 2 and " + MAX_CLASSES + ", got " + classes);
    }
    int n = trainTargets.length;
    if (n < classes) {
      throw new IllegalArgumentException(
          "cannot cut " + n + " training rows into " + classes + " classes");
    }
    float[] sorted = trainTargets.clone();
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(sorted[i])) {
        throw new IllegalArgumentException("target of training row " + i + " is " + sorted[i]);
      }
    }
    Arrays.sort(sorted);
    double[] cuts = new double[classes - 1];
    for (int c = 1; c < classes; c++) {
      int k = (int) ((long) c * n / classes); // the first row of class c in sorted order
      cuts[c - 1] = ((double) sorted[k - 1] + sorted[k]) / 2;
      if (c > 1 && cuts[c - 1] <= cuts[c - 2]) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "the target cannot be cut into %d classes of equal size: quantiles %d and %d are"
                    + " both %s",
                classes,
                c - 1,
                c,
                cuts[c - 1]));
      }
    }
    return new QuantileClasses(cuts, names(classes));
  }

  private static List<String> names(int classes) {
    if (classes == 3) {
      return List.of("cheap", "average", "expensive");
    }
    if (classes == 2) {
      return List.of("low", "high");
    }
    List<String> names = new ArrayList<>();
    for (int c = 1; c <= classes; c++) {
      names.add("quantile-" + c);
    }
    return names;
  }

  /** The class of {@code target}: the number of cuts at or below it. */
  public int classOf(double target) {
    int c = 0;
    while (c < cuts.length && target >= cuts[c]) {
      c++;
    }
    return c;
  }

  /** The classes of {@code targets}, one per value. */
  public int[] classesOf(float[] targets) {
    int[] labels = new int[targets.length];
    for (int i = 0; i < targets.length; i++) {
      labels[i] = classOf(targets[i]);
    }
    return labels;
  }

  /** The cuts, ascending: class {@code c} holds targets in [cut c-1, cut c). */
  public double[] cuts() {
    return cuts.clone();
  }

  /** The class names, lowest target first. */
  public List<String> names() {
    return names;
  }

  /** Where the cuts are, such as {@code cheap < 139000 <= average < 191000 <= expensive}. */
  public String describe(String column) {
    StringBuilder s = new StringBuilder(column).append(": ").append(names.get(0));
    for (int c = 0; c < cuts.length; c++) {
      s.append(" < ").append(format(cuts[c])).append(" <= ").append(names.get(c + 1));
    }
    return s.toString();
  }

  /** A cut as written: whole numbers without a fraction, others to six significant digits. */
  static String format(double cut) {
    if (cut == Math.rint(cut) && Math.abs(cut) < 1e15) {
      return Long.toString((long) cut);
    }
    return String.format(Locale.ROOT, "%.6g", cut);
  }
}
