package dev.dnn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which layers had vanishing or exploding gradients in an epoch, judged from {@link
 * EpochStats#gradientNorms()} (one batch, before clipping).
 *
 * <ul>
 *   <li><b>Vanishing</b>: the layer's gradient norm is 0, or below {@code vanishingRatio} times the
 *       largest layer's norm. Such a layer barely moves while the others learn, the picture of a
 *       deep sigmoid network (each sigmoid scales the gradient by at most 1/4).
 *   <li><b>Exploding</b>: the norm is NaN or infinite, or above {@code explodingRatio} times the
 *       layer's own weight norm: a step at learning rate {@code 1 / explodingRatio} would then move
 *       the weights by more than their whole size.
 * </ul>
 *
 * <p>Immutable (the lists are copied) and safe to share between threads.
 *
 * @param vanishing the layers with vanishing gradients, in network order
 * @param exploding the layers with exploding gradients, in network order
 */
public record GradientHealth(List<String> vanishing, List<String> exploding) {
  /** Copies the lists. */
  public GradientHealth {
    vanishing = List.copyOf(vanishing);
    exploding = List.copyOf(exploding);
  }

  /** No layer flagged (also what an epoch without gradient statistics reports). */
  public static GradientHealth healthy() {
    return new GradientHealth(List.of(), List.of());
  }

  /** Whether no layer was flagged. */
  public boolean isHealthy() {
    return vanishing.isEmpty() && exploding.isEmpty();
  }

  /**
   * Judges one epoch's norms; a ratio of 0 turns that check off.
   *
   * @param gradientNorms per layer, in network order
   * @param weightNorms per layer
   */
  static GradientHealth assess(
      Map<String, Double> gradientNorms,
      Map<String, Double> weightNorms,
      double vanishingRatio,
      double explodingRatio) {
    double largest = 0;
    for (double norm : gradientNorms.values()) {
      if (Double.isFinite(norm)) {
        largest = Math.max(largest, norm);
      }
    }
    List<String> vanishing = new ArrayList<>();
    List<String> exploding = new ArrayList<>();
    for (Map.Entry<String, Double> e : gradientNorms.entrySet()) {
      double norm = e.getValue();
      Double weights = weightNorms.get(e.getKey());
      if (!Double.isFinite(norm)
          || explodingRatio > 0
              && weights != null
              && weights > 0
              && norm > explodingRatio * weights) {
        exploding.add(e.getKey());
      } else if (vanishingRatio > 0 && (norm == 0 || norm < vanishingRatio * largest)) {
        vanishing.add(e.getKey());
      }
    }
    return new GradientHealth(vanishing, exploding);
  }

  /** Checks the builder's ratios. */
  static void checkSettings(double vanishingRatio, double explodingRatio) {
    if (!(vanishingRatio >= 0 && vanishingRatio < 1)) {
      throw new IllegalArgumentException(
          "vanishing gradient ratio must be in [0, 1) (0 = off), got " + vanishingRatio);
    }
    if (!(explodingRatio >= 0) || Double.isInfinite(explodingRatio)) {
      throw new IllegalArgumentException(
          "exploding gradient ratio must be finite and >= 0 (0 = off), got " + explodingRatio);
    }
  }

  /** The warning to log, naming the flagged layers. */
  String describe(int epoch, Map<String, Double> gradientNorms, double vanishingRatio) {
    List<String> order = List.copyOf(gradientNorms.keySet());
    StringBuilder s = new StringBuilder("epoch ").append(epoch).append(": ");
    if (!vanishing.isEmpty()) {
      String largest = null;
      for (Map.Entry<String, Double> e : gradientNorms.entrySet()) {
        if (Double.isFinite(e.getValue())
            && (largest == null || e.getValue() > gradientNorms.get(largest))) {
          largest = e.getKey();
        }
      }
      s.append(
          String.format(
              Locale.ROOT,
              "vanishing gradients in %s: norm 0 or below %s x the largest (%.3g in %s); these"
                  + " layers barely learn, try ReLU, He initialization, batch normalization or"
                  + " residual connections",
              ranges(vanishing, order),
              Double.toString(vanishingRatio),
              largest == null ? 0.0 : gradientNorms.get(largest),
              largest));
    }
    if (!exploding.isEmpty()) {
      if (!vanishing.isEmpty()) {
        s.append("; ");
      }
      s.append("exploding gradients in ")
          .append(ranges(exploding, order))
          .append(": norm not finite or far above the layer's weight norm; try a smaller learning")
          .append(" rate or gradient clipping");
    }
    return s.toString();
  }

  /**
   * The flagged layers, runs of three or more that are adjacent among the trainable layers ({@code
   * order}) shortened to {@code first to last (n layers)}.
   */
  static String ranges(List<String> flagged, List<String> order) {
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < flagged.size()) {
      int j = i + 1;
      int position = order.indexOf(flagged.get(i));
      while (j < flagged.size()
          && position >= 0
          && order.indexOf(flagged.get(j)) == position + (j - i)) {
        j++;
      }
      if (j - i >= 3) {
        parts.add(flagged.get(i) + " to " + flagged.get(j - 1) + " (" + (j - i) + " layers)");
      } else {
        parts.addAll(flagged.subList(i, j));
      }
      i = j;
    }
    return String.join(", ", parts);
  }
}
