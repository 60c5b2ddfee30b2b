package dev.dnn.cli.run;

import dev.dnn.data.DataSet;
import dev.dnn.data.DataSplit;
import dev.dnn.data.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Fashion-MNIST split for the harness. With the full data set (from {@code --data}, or where
 * Debian's package installs it) the official test images are the test set and 1/12 of the training
 * images (5,000) the dev set. With only the bundled 10,000 test images, they are split 80/10/10
 * into train, dev and test. Splits are stratified and seeded.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class FashionMnistData {
  /** The share of the bundled images used for training. */
  static final double BUNDLED_TRAIN = 0.8;

  /** The share of the bundled images used as the dev set. */
  static final double BUNDLED_DEV = 0.1;

  /** The share of the full training images used as the dev set. */
  static final double FULL_DEV = 1.0 / 12;

  private FashionMnistData() {}

  /**
   * Loads and splits the data.
   *
   * @param dataDir a directory with the four IDX files, or empty for the default places
   * @param seed the seed of the split
   * @param maxTrain keep at most this many training examples
   * @param maxDev keep at most this many dev examples
   */
  public static ExperimentData load(Optional<Path> dataDir, long seed, int maxTrain, int maxDev)
      throws IOException {
    FashionMnist data = FashionMnist.load(dataDir);
    DataSet train;
    DataSet dev;
    DataSet test;
    if (data.train().isPresent()) {
      DataSplit split = DataSplit.of(data.train().get(), 1 - FULL_DEV, FULL_DEV, seed, true);
      train = split.train();
      dev = split.dev();
      test = data.test();
    } else {
      DataSplit split = DataSplit.of(data.test(), BUNDLED_TRAIN, BUNDLED_DEV, seed, true);
      train = split.train();
      dev = split.dev();
      test = split.test();
    }
    train = limit(train, maxTrain);
    dev = limit(dev, maxDev);
    String source =
        data.source()
            + "; split with seed "
            + seed
            + ": "
            + train.size()
            + " train, "
            + dev.size()
            + " dev, "
            + test.size()
            + " test";
    return new ExperimentData(train, dev, test, source);
  }

  /** The first {@code max} examples (the split has shuffled them already). */
  static DataSet limit(DataSet data, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("an example limit must be at least 1, got " + max);
    }
    return data.size() <= max ? data : data.select(IntStream.range(0, max).toArray());
  }
}
