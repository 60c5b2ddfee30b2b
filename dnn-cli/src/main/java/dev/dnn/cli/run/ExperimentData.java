package dev.dnn.cli.run;

import dev.dnn.data.DataSet;
import java.util.Objects;

/**
 * The three parts a run needs: examples to fit on, to watch during training, and to report on.
 *
 * @param train the training set
 * @param dev the development (validation) set, evaluated after every epoch
 * @param test the held-out test set, evaluated once at the end
 * @param source where the examples came from and how they were split, in words
 */
public record ExperimentData(DataSet train, DataSet dev, DataSet test, String source) {
  /** Checks that every part is there and that the parts agree on features and classes. */
  public ExperimentData {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(dev, "dev");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(source, "source");
    for (DataSet part : new DataSet[] {dev, test}) {
      if (part.featureCount() != train.featureCount() || part.classCount() != train.classCount()) {
        throw new IllegalArgumentException(
            "data parts disagree: train " + train + ", dev " + dev + ", test " + test);
      }
    }
  }

  /** Input features per example. */
  public int features() {
    return train.featureCount();
  }

  /** The number of classes. */
  public int classes() {
    return train.classCount();
  }
}
