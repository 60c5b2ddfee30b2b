package dev.dnn.cli.report;

import dev.dnn.cli.run.EpochRecord;
import dev.dnn.cli.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The gradient health of a run for the experiment report: a warning naming the layers the trainer
 * flagged as vanishing or exploding (and in which epochs), and a table of every layer's gradient
 * norm across the epochs with the flagged cells marked.
 */
final class GradientHealthTable {
  /** Marks of a flagged cell; the legend above the tables explains them. */
  static final String VANISHING_MARK = "\u25BC";

  static final String EXPLODING_MARK = "\u25B2";

  private GradientHealthTable() {}

  /** The legend for the tables of {@link #append}. */
  static String legend() {
    return "<p>Flags as the trainer raised them: "
        + VANISHING_MARK
        + " <span class=\"vanishing\">vanishing</span> (norm 0 or far below the largest layer's),"
        + " "
        + EXPLODING_MARK
        + " <span class=\"exploding\">exploding</span> (not finite or far above the layer's"
        + " weight norm).</p>\n";
  }

  /** Appends the warning and the per-layer table of {@code run}. */
  static void append(StringBuilder html, RunResult run) {
    List<EpochRecord> epochs = run.epochs();
    String vanishing = flagged(epochs, EpochRecord::vanishingLayers);
    String exploding = flagged(epochs, EpochRecord::explodingLayers);
    html.append("<h4>").append(Html.escape(run.name())).append("</h4>\n");
    if (vanishing.isEmpty() && exploding.isEmpty()) {
      html.append("<p>No layer was flagged.</p>\n");
    } else {
      List<String> warnings = new ArrayList<>();
      if (!vanishing.isEmpty()) {
        warnings.add("vanishing gradients in " + vanishing);
      }
      if (!exploding.isEmpty()) {
        warnings.add("exploding gradients in " + exploding);
      }
      html.append("<p class=\"warning\">Warning: ")
          .append(Html.escape(String.join("; ", warnings)))
          .append(".</p>\n");
    }
    html.append("<div class=\"scroll\"><table>\n<tr><th>Layer</th>");
    for (EpochRecord e : epochs) {
      html.append("<th>Epoch ").append(e.epoch()).append("</th>");
    }
    html.append("</tr>\n");
    List<String> layers = new ArrayList<>(epochs.get(0).gradientNorms().keySet());
    for (String layer : layers) {
      html.append("<tr><td>").append(Html.escape(layer)).append("</td>");
      for (EpochRecord e : epochs) {
        cell(html, e, layer);
      }
      html.append("</tr>\n");
    }
    html.append("</table></div>\n");
  }

  private static void cell(StringBuilder html, EpochRecord e, String layer) {
    String norm = Format.number(e.gradientNorms().getOrDefault(layer, Double.NaN));
    if (e.explodingLayers().contains(layer)) {
      html.append("<td class=\"num exploding\">").append(EXPLODING_MARK).append(' ');
    } else if (e.vanishingLayers().contains(layer)) {
      html.append("<td class=\"num vanishing\">").append(VANISHING_MARK).append(' ');
    } else {
      html.append("<td class=\"num\">");
    }
    html.append(Html.escape(norm)).append("</td>");
  }

  /**
   * The layers {@code flags} names in any epoch, each with its epochs: {@code layers.0 (epochs
   * 1-3), layers.2 (epoch 2)}; empty if none.
   */
  static String flagged(List<EpochRecord> epochs, Function<EpochRecord, List<String>> flags) {
    List<String> layers = new ArrayList<>();
    for (EpochRecord e : epochs) {
      for (String layer : flags.apply(e)) {
        if (!layers.contains(layer)) {
          layers.add(layer);
        }
      }
    }
    List<String> parts = new ArrayList<>();
    for (String layer : layers) {
      List<Integer> in = new ArrayList<>();
      for (EpochRecord e : epochs) {
        if (flags.apply(e).contains(layer)) {
          in.add(e.epoch());
        }
      }
      parts.add(layer + " (" + epochRanges(in) + ")");
    }
    return String.join(", ", parts);
  }

  /** {@code epoch 2}, {@code epochs 1-3}, {@code epochs 1-3, 5}. */
  static String epochRanges(List<Integer> epochs) {
    List<String> runs = new ArrayList<>();
    int i = 0;
    while (i < epochs.size()) {
      int j = i;
      while (j + 1 < epochs.size() && epochs.get(j + 1) == epochs.get(j) + 1) {
        j++;
      }
      runs.add(i == j ? "" + epochs.get(i) : epochs.get(i) + "-" + epochs.get(j));
      i = j + 1;
    }
    return (epochs.size() == 1 ? "epoch " : "epochs ") + String.join(", ", runs);
  }
}
