package dev.dnn.cli.run;

import java.util.function.LongSupplier;

/**
 * The time a run will take, measured as it goes: after one warm-up step (JIT compilation, first
 * allocations) it times the next {@value #MEASURED_STEPS} steps, turns them into a rate of
 * operations per second with the step's operation count ({@link RunCost}), and divides the
 * operations left by it. The rate keeps being measured from the end of the warm-up to now, so the
 * ETA follows the run. Not thread-safe: the training thread calls it.
 */
public final class RunClock {
  /** Steps timed, after the warm-up step, before the first estimate. */
  public static final int MEASURED_STEPS = 3;

  private final RunCost cost;
  private final LongSupplier nanos;
  private int stepsTimed;
  private double done;
  private long warmUpEnd;
  private double doneAtWarmUp;
  private boolean warm;
  private boolean estimated;
  private final long start;

  /**
   * @param cost the run's operation counts
   * @param nanos the clock, {@code System::nanoTime} outside tests
   */
  public RunClock(RunCost cost, LongSupplier nanos) {
    this.cost = cost;
    this.nanos = nanos;
    this.start = nanos.getAsLong();
  }

  /**
   * A training step of {@code epoch} (from 0) ended, {@code batch} (from 0) within it.
   *
   * @return true once: when this step completes the measurement and {@link #estimatedSeconds} is
   *     first known
   */
  public boolean stepDone(int epoch, int batch) {
    double trainingPerEpoch = cost.trainingFlopsPerExample() * cost.trainExamples();
    done =
        epoch * cost.flopsPerEpoch()
            + Math.min(trainingPerEpoch, (batch + 1) * cost.flopsPerStep());
    return tick(false);
  }

  /**
   * Epoch {@code epoch} (from 0) ended, its dev evaluation included.
   *
   * @return true once, as {@link #stepDone}: an epoch shorter than the measurement ends it
   */
  public boolean epochDone(int epoch) {
    done = (epoch + 1) * cost.flopsPerEpoch();
    return tick(true);
  }

  private boolean tick(boolean epochEnd) {
    long now = nanos.getAsLong();
    if (!warm) {
      warm = true;
      warmUpEnd = now;
      doneAtWarmUp = done;
      return false;
    }
    if (!epochEnd) {
      stepsTimed++;
    }
    if (!estimated
        && (stepsTimed >= MEASURED_STEPS || epochEnd)
        && done > doneAtWarmUp
        && now > warmUpEnd) {
      estimated = true;
      return true;
    }
    return false;
  }

  /** Operations per second since the warm-up, or NaN before the first estimate. */
  public double flopsPerSecond() {
    long elapsed = nanos.getAsLong() - warmUpEnd;
    return estimated && elapsed > 0 ? (done - doneAtWarmUp) / (elapsed / 1e9) : Double.NaN;
  }

  /** Seconds to the end of the run at the measured rate, or NaN before the first estimate. */
  public double etaSeconds() {
    return (cost.totalFlops() - done) / flopsPerSecond();
  }

  /** The whole run's seconds: those gone and the ETA; NaN before the first estimate. */
  public double estimatedSeconds() {
    return (nanos.getAsLong() - start) / 1e9 + etaSeconds();
  }

  /** Seconds of a run of this cost at a rate measured before, such as by the previous run. */
  public static double seconds(RunCost cost, double flopsPerSecond) {
    return cost.totalFlops() / flopsPerSecond;
  }
}
