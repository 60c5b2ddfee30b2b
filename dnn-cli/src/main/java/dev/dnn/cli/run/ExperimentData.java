package dev.dnn.cli.run;

import dev.dnn.data.DataSet;
import dev.dnn.data.Preprocessing;
import java.util.List;
import java.util.Objects;

/**
 * The three parts a run needs: examples to fit on, to watch during training, and to report on.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param train the training set
 * @param dev the development (validation) set, evaluated after every epoch
 * @param test the held-out test set, evaluated once at the end
 * @param source where the examples came from and how they were split, in words
 * @param preprocessing what the models apply to the raw rows of the parts (columns, one-hot
 *     vocabularies, scaling), given to every model before it trains; null when the rows are ready
 * @param classNames the names of the classes, in label order; empty when they have none
 */
public record ExperimentData(
    DataSet train,
    DataSet dev,
    DataSet test,
    String source,
    Preprocessing preprocessing,
    List<String> classNames) {
  /** Checks that every part is there and that the parts agree on features and classes. */
  public ExperimentData {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(dev, "dev");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(source, "source");
    classNames = List.copyOf(classNames);
    if (!classNames.isEmpty() && classNames.size() != train.classCount()) {
      throw new IllegalArgumentException(
          classNames.size()
              + " class names "
              + classNames
              + " for "
              + train.classCount()
              + " classes");
    }
    for (DataSet part : new DataSet[] {dev, test}) {
      if (part.featureCount() != train.featureCount() || part.classCount() != train.classCount()) {
        throw new IllegalArgumentException(
            "data parts disagree: train " + train + ", dev " + dev + ", test " + test);
      }
    }
  }

  /** Parts whose rows are ready for the network, with no class names. */
  public ExperimentData(DataSet train, DataSet dev, DataSet test, String source) {
    this(train, dev, test, source, null, List.of());
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
