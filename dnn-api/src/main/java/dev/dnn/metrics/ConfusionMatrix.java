package dev.dnn.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts of (true class, predicted class) pairs, with the per-class precision, recall and F1 and
 * their macro averages (unweighted means over classes) that follow from them.
 *
 * <p>A class that is never predicted has precision 0 (rather than undefined), and a class that
 * never occurs has recall 0, so that the macro averages stay defined; this is scikit-learn's {@code
 * zero_division=0} convention.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class ConfusionMatrix {
  private final long[][] counts;
  private final long total;

  private ConfusionMatrix(long[][] counts, long total) {
    this.counts = counts;
    this.total = total;
  }

  /**
   * Tallies {@code predicted[i]} against {@code actual[i]}.
   *
   * @throws IllegalArgumentException if the arrays differ in length or a class lies outside {@code
   *     [0, classes)} (naming the example)
   */
  public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
    Objects.requireNonNull(actual, "actual");
    Objects.requireNonNull(predicted, "predicted");
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be at least 1, got " + classes);
    }
    if (actual.length != predicted.length) {
      throw new IllegalArgumentException(
          actual.length + " true classes but " + predicted.length + " predictions");
    }
    long[][] counts = new long[classes][classes];
    for (int i = 0; i < actual.length; i++) {
      check(actual[i], classes, "true class", i);
      check(predicted[i], classes, "predicted class", i);
      counts[actual[i]][predicted[i]]++;
    }
    return new ConfusionMatrix(counts, actual.length);
  }

  private static void check(int c, int classes, String what, int example) {
    if (c < 0 || c >= classes) {
      throw new IllegalArgumentException(
          what + " of example " + example + " is " + c + ", outside [0, " + classes + ")");
    }
  }

  /** The number of classes. */
  public int classCount() {
    return counts.length;
  }

  /** The number of examples tallied. */
  public long total() {
    return total;
  }

  /** How many examples of class {@code actual} were predicted as {@code predicted}. */
  public long count(int actual, int predicted) {
    return counts[actual][predicted];
  }

  /** The share of examples predicted correctly. */
  public double accuracy() {
    long correct = 0;
    for (int c = 0; c < counts.length; c++) {
      correct += counts[c][c];
    }
    return total == 0 ? Double.NaN : correct / (double) total;
  }

  /** Of the examples predicted as {@code c}, the share that are {@code c}. */
  public double precision(int c) {
    long predicted = 0;
    for (long[] row : counts) {
      predicted += row[c];
    }
    return predicted == 0 ? 0 : counts[c][c] / (double) predicted;
  }

  /** Of the examples of class {@code c}, the share predicted as {@code c}. */
  public double recall(int c) {
    long actual = support(c);
    return actual == 0 ? 0 : counts[c][c] / (double) actual;
  }

  /** The harmonic mean of {@link #precision} and {@link #recall} of {@code c}. */
  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** How many examples belong to class {@code c}. */
  public long support(int c) {
    long n = 0;
    for (long v : counts[c]) {
      n += v;
    }
    return n;
  }

  /** The mean precision over classes. */
  public double macroPrecision() {
    double sum = 0;
    for (int c = 0; c < counts.length; c++) {
      sum += precision(c);
    }
    return sum / counts.length;
  }

  /** The mean recall over classes. */
  public double macroRecall() {
    double sum = 0;
    for (int c = 0; c < counts.length; c++) {
      sum += recall(c);
    }
    return sum / counts.length;
  }

  /** The mean F1 over classes. */
  public double macroF1() {
    double sum = 0;
    for (int c = 0; c < counts.length; c++) {
      sum += f1(c);
    }
    return sum / counts.length;
  }

  /**
   * A printable report: per class its precision, recall, F1 and support, the macro averages, then
   * the matrix itself (rows are true classes, columns predicted ones). Percentages throughout.
   *
   * @param names one name per class, or empty to number the classes
   */
  public String table(List<String> names) {
    Objects.requireNonNull(names, "names");
    if (!names.isEmpty() && names.size() != counts.length) {
      throw new IllegalArgumentException(
          names.size() + " class names for " + counts.length + " classes");
    }
    String[] labels = new String[counts.length];
    int nameWidth = "macro average".length();
    for (int c = 0; c < counts.length; c++) {
      String number = String.valueOf(c);
      labels[c] = names.isEmpty() || names.get(c).equals(number) ? number : c + " " + names.get(c);
      nameWidth = Math.max(nameWidth, labels[c].length());
    }
    StringBuilder s = new StringBuilder();
    String rowFormat = "%-" + nameWidth + "s  %9s  %7s  %7s  %7s%n";
    s.append(
        String.format(Locale.ROOT, rowFormat, "class", "precision", "recall", "F1", "support"));
    for (int c = 0; c < counts.length; c++) {
      s.append(
          String.format(
              Locale.ROOT,
              rowFormat,
              labels[c],
              percent(precision(c)),
              percent(recall(c)),
              percent(f1(c)),
              support(c)));
    }
    s.append(
        String.format(
            Locale.ROOT,
            rowFormat,
            "macro average",
            percent(macroPrecision()),
            percent(macroRecall()),
            percent(macroF1()),
            total));
    s.append(String.format(Locale.ROOT, "accuracy %s of %d%n", percent(accuracy()), total));
    s.append(System.lineSeparator())
        .append("Confusion matrix (rows: true class, columns: predicted)");
    s.append(System.lineSeparator());
    int cell = 1;
    for (long[] row : counts) {
      for (long v : row) {
        cell = Math.max(cell, Long.toString(v).length());
      }
    }
    cell = Math.max(cell, Integer.toString(counts.length - 1).length());
    s.append(" ".repeat(nameWidth));
    for (int c = 0; c < counts.length; c++) {
      s.append("  ").append(pad(String.valueOf(c), cell));
    }
    s.append(System.lineSeparator());
    for (int a = 0; a < counts.length; a++) {
      s.append(labels[a]).append(" ".repeat(nameWidth - labels[a].length()));
      for (int p = 0; p < counts.length; p++) {
        s.append("  ").append(pad(Long.toString(counts[a][p]), cell));
      }
      s.append(System.lineSeparator());
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix m && Arrays.deepEquals(counts, m.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(counts);
  }

  @Override
  public String toString() {
    return "ConfusionMatrix" + Arrays.deepToString(counts);
  }

  private static String pad(String value, int width) {
    return " ".repeat(width - value.length()) + value;
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
  }
}
