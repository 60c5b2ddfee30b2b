package dev.dnn.train;

import java.util.Locale;

/**
 * Training produced a loss, or with gradient clipping a global gradient norm, that is NaN or
 * infinite, or a finite loss that stayed far above its reference for several consecutive batches
 * (see {@link Trainer.Builder#divergence}); the run was stopped.
 *
 * <p>Its fields are final: safe to share between threads once thrown.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final long step;
  private final double loss;

  /** A divergence at {@code epoch} (from 0) and global {@code step} (from 0). */
  public TrainingDivergedException(int epoch, int batch, long step, double loss) {
    this("loss is " + loss, epoch, batch, step, loss);
  }

  private TrainingDivergedException(String what, int epoch, int batch, long step, double loss) {
    super(
        "training diverged: "
            + what
            + " at epoch "
            + epoch
            + ", batch "
            + batch
            + " (step "
            + step
            + "); try a smaller learning rate"
            + (what.startsWith("the global") ? " or scaling the inputs" : " or gradient clipping"));
    this.epoch = epoch;
    this.step = step;
    this.loss = loss;
  }

  /**
   * The global norm of the gradients, computed for clipping, overflowed or became NaN while the
   * loss ({@code loss}) was still finite.
   */
  public static TrainingDivergedException gradientNorm(
      int epoch, int batch, long step, double loss, double norm) {
    return new TrainingDivergedException(
        "the global gradient norm is " + norm + " (loss " + loss + ")", epoch, batch, step, loss);
  }

  /**
   * The loss, still finite, exceeded {@code factor} times {@code reference} for {@code patience}
   * consecutive batches, the last being {@code batch}.
   */
  public static TrainingDivergedException lossGrowth(
      int epoch, int batch, long step, double loss, double reference, double factor, int patience) {
    return new TrainingDivergedException(
        String.format(
            Locale.ROOT,
            "loss %.4g has stayed above %s x its reference %.4g (the larger of the first batch's"
                + " loss and chance level) for %d consecutive batches",
            loss,
            factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor),
            reference,
            patience),
        epoch,
        batch,
        step,
        loss);
  }

  /** The epoch, from 0. */
  public int epoch() {
    return epoch;
  }

  /** The global step, from 0. */
  public long step() {
    return step;
  }

  /** The offending loss value (for a gradient-norm divergence, the finite loss of that batch). */
  public double loss() {
    return loss;
  }
}
