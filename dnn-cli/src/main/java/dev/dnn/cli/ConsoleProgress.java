package dev.dnn.cli;

import dev.dnn.cli.report.Format;
import dev.dnn.nn.Model;
import dev.dnn.train.EpochStats;
import dev.dnn.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows training as it happens: a progress bar of the current epoch on the error stream (redrawn at
 * most a few times a second, only when asked), and one line per finished epoch on the output
 * stream.
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
    this.out = out;
    this.err = err;
    this.label = label;
    this.epochs = epochs;
    this.batchesPerEpoch = batchesPerEpoch;
    this.bar = bar;
  }

  @Override
  public void onBatchEnd(Model model, int epoch, int batch, long step, double loss) {
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
            "\r%s epoch %d/%d [%s%s] %d/%d loss %.4f ",
            label,
            epoch + 1,
            epochs,
            "#".repeat(filled),
            ".".repeat(BAR_WIDTH - filled),
            done,
            batchesPerEpoch,
            loss));
    err.flush();
    barShown = true;
  }

  @Override
  public void onEpochEnd(Model model, EpochStats stats) {
    if (barShown) {
      // Clear the bar line so the epoch line does not land after it.
      err.print("\r" + " ".repeat(label.length() + BAR_WIDTH + 50) + "\r");
      err.flush();
      barShown = false;
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%s epoch %d/%d  train loss %.4f acc %s  dev loss %.4f acc %s  %s  %s samples/s",
            label,
            stats.epoch() + 1,
            epochs,
            stats.trainLoss(),
            Format.percent(stats.trainAccuracy()),
            stats.devLoss(),
            Format.percent(stats.devAccuracy()),
            Format.seconds(stats.seconds()),
            Format.rate(stats.samplesPerSecond())));
    out.flush();
  }
}
