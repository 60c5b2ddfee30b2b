package dev.dnn.internal.nn;

import dev.dnn.data.DataSet;
import dev.dnn.nn.Layer;
import dev.dnn.nn.Model;
import java.util.Arrays;
import java.util.Objects;

/**
 * Checks that a data set fits a model, with messages that name the layer and the shapes.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class DataFit {
  private DataFit() {}

  /**
   * Checks that {@code data} fits {@code model}: its feature count matches the first layer, and its
   * labels or targets fit the last layer.
   *
   * @param what the role of the data set in messages, such as {@code training}
   * @throws IllegalArgumentException naming the layer and the shapes otherwise
   */
  public static void check(Model model, DataSet data, String what) {
    Objects.requireNonNull(data, what);
    if (data.size() == 0) {
      throw new IllegalArgumentException("the " + what + " data set is empty");
    }
    if (!data.hasTargets()) {
      throw new IllegalArgumentException(
          "the " + what + " data set has features only; it needs labels or targets");
    }
    if (data.featureCount() != model.inputCount()) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " data set has "
              + data.featureCount()
              + " features per example but layer "
              + describe(model.layer(0))
              + " expects "
              + model.inputCount());
    }
    Layer last = model.layer(model.layers().size() - 1);
    if (data.isClassification()) {
      int max = Arrays.stream(data.labels()).max().orElse(0);
      if (max >= model.outputCount()) {
        throw new IllegalArgumentException(
            "the "
                + what
                + " data set has label "
                + max
                + " but the last layer "
                + describe(last)
                + " has only "
                + model.outputCount()
                + " outputs");
      }
    } else if (data.targetCount() != model.outputCount()) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " data set has "
              + data.targetCount()
              + " targets per example but the last layer "
              + describe(last)
              + " has "
              + model.outputCount()
              + " outputs");
    }
  }

  /** The layer as messages name it, such as {@code layers.0 (Dense[...], 784 -> 10)}. */
  private static String describe(Layer layer) {
    return layer.name()
        + " ("
        + layer.spec()
        + ", "
        + layer.inputWidth()
        + " -> "
        + layer.outputWidth()
        + ")";
  }
}
