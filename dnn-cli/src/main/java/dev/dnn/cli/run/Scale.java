package dev.dnn.cli.run;

/**
 * How big the experiment is: the width of the wide layers, the epochs of each configuration, and
 * how many training examples are used at most.
 *
 * <p>Immutable and safe to share between threads.
 */
public enum Scale {
  /** Minutes on two CPU cores with the bundled 10,000 images. */
  SMALL(256, 15, 15, 30, 8_000, 1_000),
  /** Tens of minutes on a CPU, a few on a GPU; the full data set when it is there. */
  MEDIUM(1_000, 30, 15, 150, Integer.MAX_VALUE, Integer.MAX_VALUE),
  /** The lecture's setting, for a GPU: three hidden layers of 10,000 units, 600 epochs. */
  FULL(10_000, 600, 60, 600, Integer.MAX_VALUE, Integer.MAX_VALUE);

  private final int wideWidth;
  private final int epochs;
  private final int tunedEpochs;
  private final int overfitEpochs;
  private final int maxTrainExamples;
  private final int maxDevExamples;

  Scale(
      int wideWidth,
      int epochs,
      int tunedEpochs,
      int overfitEpochs,
      int maxTrainExamples,
      int maxDevExamples) {
    this.wideWidth = wideWidth;
    this.epochs = epochs;
    this.tunedEpochs = tunedEpochs;
    this.overfitEpochs = overfitEpochs;
    this.maxTrainExamples = maxTrainExamples;
    this.maxDevExamples = maxDevExamples;
  }

  /** The width of the wide hidden layers (MLP, Deep-tanh, ReLU). */
  public int wideWidth() {
    return wideWidth;
  }

  /** Epochs of the baseline configurations. */
  public int epochs() {
    return epochs;
  }

  /** Epochs of the tuned configuration. */
  public int tunedEpochs() {
    return tunedEpochs;
  }

  /** Epochs of the overfitted configuration. */
  public int overfitEpochs() {
    return overfitEpochs;
  }

  /** The most training examples used (the rest of the training split is left out). */
  public int maxTrainExamples() {
    return maxTrainExamples;
  }

  /** The most development examples evaluated after each epoch. */
  public int maxDevExamples() {
    return maxDevExamples;
  }
}
