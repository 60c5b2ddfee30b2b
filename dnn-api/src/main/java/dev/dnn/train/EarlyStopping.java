package dev.dnn.train;

/**
 * Stops training when a dev-set metric has not improved for {@code patience} epochs, and by default
 * restores the weights of the best epoch. Immutable (the configuration methods return new
 * instances) and safe to share between threads, also between trainers.
 */
public final class EarlyStopping {
  /** What is watched. */
  public enum Metric {
    /** Dev loss, lower is better. */
    DEV_LOSS("dev loss"),
    /** Dev accuracy, higher is better. */
    DEV_ACCURACY("dev accuracy");

    private final String label;

    Metric(String label) {
      this.label = label;
    }

    /** The metric in words, as log lines name it. */
    public String label() {
      return label;
    }
  }

  private final Metric metric;
  private final int patience;
  private final double minDelta;
  private final boolean restoreBest;

  private EarlyStopping(Metric metric, int patience, double minDelta, boolean restoreBest) {
    if (patience < 1) {
      throw new IllegalArgumentException(
          "early-stopping patience must be at least 1, got " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("early-stopping minDelta must be >= 0, got " + minDelta);
    }
    this.metric = metric;
    this.patience = patience;
    this.minDelta = minDelta;
    this.restoreBest = restoreBest;
  }

  /** Watch the dev loss, patience 5, restoring the best weights. */
  public static EarlyStopping onDevLoss() {
    return new EarlyStopping(Metric.DEV_LOSS, 5, 0, true);
  }

  /** Watch the dev accuracy, patience 5, restoring the best weights. */
  public static EarlyStopping onDevAccuracy() {
    return new EarlyStopping(Metric.DEV_ACCURACY, 5, 0, true);
  }

  /** Epochs without improvement before stopping. */
  public EarlyStopping patience(int epochs) {
    return new EarlyStopping(metric, epochs, minDelta, restoreBest);
  }

  /** The smallest change that counts as an improvement. */
  public EarlyStopping minDelta(double delta) {
    return new EarlyStopping(metric, patience, delta, restoreBest);
  }

  /** Whether to restore the weights of the best epoch when training ends. */
  public EarlyStopping restoreBestWeights(boolean restore) {
    return new EarlyStopping(metric, patience, minDelta, restore);
  }

  /** The watched metric. */
  public Metric metric() {
    return metric;
  }

  /** Epochs without improvement before stopping. */
  public int patience() {
    return patience;
  }

  /** The smallest change that counts as an improvement. */
  public double minDelta() {
    return minDelta;
  }

  /** Whether the best weights are restored at the end. */
  public boolean restoresBestWeights() {
    return restoreBest;
  }

  /** The watched value of {@code stats}, oriented so that larger is better. */
  double score(EpochStats stats) {
    return metric == Metric.DEV_LOSS ? -stats.devLoss() : stats.devAccuracy();
  }

  @Override
  public String toString() {
    return "EarlyStopping(" + metric + ", patience=" + patience + ", minDelta=" + minDelta + ")";
  }
}
