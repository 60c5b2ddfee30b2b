package dev.dnn.cli;

import dev.dnn.cli.report.Format;
import dev.dnn.cli.run.RunClock;
import dev.dnn.nn.Model;
import dev.dnn.train.EpochStats;
import dev.dnn.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows training as it happens: a progress bar of the current epoch on the error stream (redrawn at
 * most a few times a second, only when asked), and one line per finished epoch on the output
 * stream. Given a {@link RunClock}, it also prints the run's time estimate once the first steps are
 * timed, and the ETA on the bar and on every epoch line. One per run, on the training thread.
 */
final class ConsoleProgress implements TrainingListener {
  private static final int BAR_WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter out;
  private final PrintWriter err;
  private final String label;
  private final int epochs;
  private final int batchesPerEpoch;
  private final boolean bar;
  private final RunClock clock;
  private long lastDraw;
  private boolean barShown;

  /**
   * @param label what is training, such as {@code Tuned on cpu}
   * @param epochs the epochs of the run
   * @param batchesPerEpoch the steps in one epoch
   * @param bar whether to draw the progress bar
   */
  ConsoleProgress(
      PrintWriter out,
      PrintWriter err,
      String label,
      int epochs,
      int batchesPerEpoch,
      boolean bar) {
    this(out, err, label, epochs, batchesPerEpoch, bar, null);
  }

  /** As the other constructor, with a clock for the estimate and the ETA (may be null). */
  ConsoleProgress(
      PrintWriter out,
      PrintWriter err,
      String label,
      int epochs,
      int batchesPerEpoch,
      boolean bar,
      RunClock clock) {
    this.clock = clock;
    this.out = out;
    this.err = err;
    this.label = label;
    this.epochs = epochs;
    this.batchesPerEpoch = batchesPerEpoch;
    this.bar = bar;
  }

  @Override
  public void onBatchEnd(Model model, int epoch, int batch, long step, double loss) {
    if (clock != null && clock.stepDone(epoch, batch)) {
      printEstimate();
    }
    if (!bar) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < REDRAW_NANOS && batch + 1 < batchesPerEpoch) {
      return;
    }
    lastDraw = now;
    int done = Math.min(batch + 1, batchesPerEpoch);
    int filled = (int) ((long) BAR_WIDTH * done / batchesPerEpoch);
    err.print(
        String.format(
            Locale.ROOT,
            "\r%s epoch %d/%d [%s%s] %d/%d loss %.4f%s ",
            label,
            epoch + 1,
            epochs,
            "#".repeat(filled),
            ".".repeat(BAR_WIDTH - filled),
            done,
            batchesPerEpoch,
            loss,
            eta()));
    err.flush();
    barShown = true;
  }

  @Override
  public void onEpochEnd(Model model, EpochStats stats) {
    boolean estimate = clock != null && clock.epochDone(stats.epoch());
    if (barShown) {
      // Clear the bar line so the epoch line does not land after it.
      err.print("\r" + " ".repeat(label.length() + BAR_WIDTH + 70) + "\r");
      err.flush();
      barShown = false;
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%s epoch %d/%d  train loss %.4f acc %s  dev loss %.4f acc %s  %s  %s samples/s%s",
            label,
            stats.epoch() + 1,
            epochs,
            stats.trainLoss(),
            Format.percent(stats.trainAccuracy()),
            stats.devLoss(),
            Format.percent(stats.devAccuracy()),
            Format.seconds(stats.seconds()),
            Format.rate(stats.samplesPerSecond()),
            stats.epoch() + 1 < epochs ? " " + eta() : ""));
    if (estimate) {
      printEstimate();
    }
    out.flush();
  }

  /** {@code ETA 3 min 05 s}, or nothing before the clock has an estimate. */
  private String eta() {
    if (clock == null || !Double.isFinite(clock.etaSeconds())) {
      return "";
    }
    return " ETA " + Format.duration(clock.etaSeconds());
  }

  private void printEstimate() {
    if (barShown) {
      err.print("\r" + " ".repeat(label.length() + BAR_WIDTH + 70) + "\r");
      err.flush();
      barShown = false;
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%s: estimate %s for the run, ETA %s (the steps after the first ran at %s FLOP/s;"
                + " FLOPs counted from the layer widths)",
            label,
            Format.duration(clock.estimatedSeconds()),
            Format.duration(clock.etaSeconds()),
            Format.number(clock.flopsPerSecond())));
    out.flush();
  }
}
