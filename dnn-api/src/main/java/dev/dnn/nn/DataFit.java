package dev.dnn.nn;

import dev.dnn.data.DataSet;
import java.util.Arrays;
import java.util.Objects;

/** Checks that a data set fits a model, with messages that name the layer and the shapes. */
final class DataFit {
  private DataFit() {}

  /** See {@link Model#checkData}. */
  static void check(Model model, DataSet data, String what) {
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
              + model.layer(0).describe()
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
                + last.describe()
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
              + last.describe()
              + " has "
              + model.outputCount()
              + " outputs");
    }
  }
}
