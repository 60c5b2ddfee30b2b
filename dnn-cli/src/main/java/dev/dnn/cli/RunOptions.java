package dev.dnn.cli;

import dev.dnn.cli.run.ExperimentData;
import dev.dnn.cli.run.FashionMnistData;
import dev.dnn.cli.run.RunClock;
import dev.dnn.cli.run.RunConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options every training command shares: where the data is, and how to show progress.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each command has its own
 * instance.
 */
public final class RunOptions {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Directory with the Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz], ...)."
              + " Default: /usr/share/datasets/fashion-mnist when present, else the bundled"
              + " 10,000 test images split 80/10/10. dnn experiment also takes 'ames': the"
              + " bundled Ames house-price table, its sale price cut into three classes.")
  Path dataDir;

  @Option(names = "--limit", paramLabel = "N", description = "Use at most N training examples.")
  Integer limit;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Draw a progress bar on stderr (default: when stderr is a terminal).")
  Boolean progress;

  /** Loads the data, split with {@code seed}, with at most {@code maxTrain} training examples. */
  ExperimentData load(long seed, int maxTrain, int maxDev) throws IOException {
    return FashionMnistData.load(Optional.ofNullable(dataDir), seed, trainCap(maxTrain), maxDev);
  }

  /** The most training examples to use: {@code maxTrain}, or --limit when smaller. */
  int trainCap(int maxTrain) {
    return limit == null ? maxTrain : Math.min(maxTrain, checkedLimit());
  }

  /** Whether --data names the bundled Ames table ({@code ames}, and no directory of that name). */
  boolean namesAmes() {
    return dataDir != null
        && dataDir.toString().equalsIgnoreCase("ames")
        && !java.nio.file.Files.isDirectory(dataDir);
  }

  private int checkedLimit() {
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
    }
    return limit;
  }

  /** Whether to draw progress bars. */
  boolean showProgress() {
    return progress != null ? progress : System.console() != null;
  }

  /** The progress listener of one run. */
  ConsoleProgress listener(
      PrintWriter out, PrintWriter err, String label, RunConfig config, int trainExamples) {
    return listener(out, err, label, config, trainExamples, null);
  }

  /** The progress listener of one run, with the clock of its estimate and ETA (may be null). */
  ConsoleProgress listener(
      PrintWriter out,
      PrintWriter err,
      String label,
      RunConfig config,
      int trainExamples,
      RunClock clock) {
    int batches = (trainExamples + config.batchSize() - 1) / config.batchSize();
    return new ConsoleProgress(out, err, label, config.epochs(), batches, showProgress(), clock);
  }
}
