package dev.dnn.train;

/** Training produced a loss that is NaN or infinite; the run was stopped. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final long step;
  private final double loss;

  /** A divergence at {@code epoch} (from 0) and global {@code step} (from 0). */
  public TrainingDivergedException(int epoch, int batch, long step, double loss) {
    super(
        "training diverged: loss is "
            + loss
            + " at epoch "
            + epoch
            + ", batch "
            + batch
            + " (step "
            + step
            + "); try a smaller learning rate or gradient clipping");
    this.epoch = epoch;
    this.step = step;
    this.loss = loss;
  }

  /** The epoch, from 0. */
  public int epoch() {
    return epoch;
  }

  /** The global step, from 0. */
  public long step() {
    return step;
  }

  /** The offending loss value. */
  public double loss() {
    return loss;
  }
}
