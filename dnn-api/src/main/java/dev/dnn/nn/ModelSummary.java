package dev.dnn.nn;

import dev.dnn.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * The table {@link Model#summary()} prints: one row per top-level layer with its kind, output
 * width, parameter count and whether training updates it, then the totals.
 *
 * <pre>
 * #  layer                  output  parameters  trainable
 * 0  Dense[784 -&gt; 500, ...]     500     392,500  yes
 * ...
 * Total parameters: 397,510 (trainable 397,510, frozen 0); 784 inputs
 * </pre>
 */
final class ModelSummary {
  private ModelSummary() {}

  static String of(Model model) {
    List<Layer> layers = model.layers();
    String[][] rows = new String[layers.size()][];
    long trainable = 0;
    long frozen = 0;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      long count = parameterCount(layer);
      boolean trains = layer.isTrainable() && count > 0;
      if (layer.isTrainable()) {
        trainable += count;
      } else {
        frozen += count;
      }
      rows[i] =
          new String[] {
            String.valueOf(i),
            label(layer.spec()),
            String.valueOf(layer.outputWidth()),
            String.format(Locale.ROOT, "%,d", count),
            count == 0 ? "-" : trains ? "yes" : "frozen"
          };
    }
    String[] header = {"#", "layer", "output", "parameters", "trainable"};
    boolean[] right = {true, false, true, true, false};
    int[] widths = new int[header.length];
    for (int c = 0; c < header.length; c++) {
      widths[c] = header[c].length();
      for (String[] row : rows) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder s = new StringBuilder();
    appendRow(s, header, widths, right);
    for (String[] row : rows) {
      appendRow(s, row, widths, right);
    }
    s.append(
        String.format(
            Locale.ROOT,
            "Total parameters: %,d (trainable %,d, frozen %,d); %d inputs, %d outputs%n",
            trainable + frozen,
            trainable,
            frozen,
            model.inputCount(),
            model.outputCount()));
    return s.toString();
  }

  /** A short name of a layer kind and its settings. */
  static String label(LayerSpec spec) {
    if (spec instanceof Dense d) {
      return "Dense " + d.inputs() + " -> " + d.outputs();
    } else if (spec instanceof Activation a) {
      return a.kind().name().toLowerCase(Locale.ROOT);
    } else if (spec instanceof Dropout d) {
      return "Dropout keep " + d.keepProbability();
    } else if (spec instanceof BatchNorm) {
      return "BatchNorm";
    } else if (spec instanceof Maxout m) {
      return "Maxout " + m.pieces() + " pieces";
    } else if (spec instanceof Residual r) {
      return "Residual (" + r.body().size() + " layers)";
    }
    throw new IllegalArgumentException("unknown layer kind " + spec);
  }

  /** Parameters of {@code layer} and of the layers nested in it (a residual body). */
  private static long parameterCount(Layer layer) {
    long count = 0;
    for (Tensor t : layer.parameters().values()) {
      count += t.size();
    }
    for (Layer child : layer.children()) {
      count += parameterCount(child);
    }
    return count;
  }

  private static void appendRow(StringBuilder s, String[] cells, int[] widths, boolean[] right) {
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        s.append("  ");
      }
      String pad = " ".repeat(widths[c] - cells[c].length());
      s.append(right[c] ? pad + cells[c] : c == cells.length - 1 ? cells[c] : cells[c] + pad);
    }
    s.append(System.lineSeparator());
  }
}
