package dev.dnn.train;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.nn.Evaluation;
import dev.dnn.nn.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Trainer#fit} or {@link Trainer#resume} call: the epoch loop around the trainer's
 * {@link TrainingStep}. Per epoch it sets the scheduled learning rate, shuffles, runs the steps,
 * evaluates on the dev set, checks the gradients' health, logs, and calls the listeners (early
 * stopping among them), which may end the run.
 */
final class TrainingRun implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final Trainer trainer;
  private final Model model;
  private final Backend backend;
  private final DataSet train;
  private final DataSet dev;
  private final TrainingStep step;
  private final TrainingContext context;
  private final EarlyStopper earlyStopper;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final double baseLearningRate;
  private long stepNumber;

  TrainingRun(Trainer trainer, Model model, DataSet train, DataSet dev) {
    this.trainer = trainer;
    this.model = model;
    this.backend = model.backend();
    this.train = train;
    this.dev = dev;
    this.step = trainer.step(model);
    this.context = new TrainingContext(model, trainer.optimizer, trainer.epochs);
    this.earlyStopper =
        trainer.earlyStopping == null ? null : new EarlyStopper(trainer.earlyStopping);
    listeners.addAll(trainer.listeners);
    if (earlyStopper != null) {
      // After the user's listeners, as before: a checkpoint of the epoch is written before the
      // run stops.
      listeners.add(earlyStopper);
    }
    this.baseLearningRate = trainer.optimizer.learningRate();
  }

  History execute(int firstEpoch) {
    List<EpochStats> history = new ArrayList<>();
    // Steps continue the optimizer's count, so a run resumed from a checkpoint (optimizer state
    // and step count restored) draws new dropout masks instead of repeating the first ones.
    stepNumber = trainer.optimizer.stepCount();
    boolean stoppedEarly = false;
    GradientHealth lastHealth = GradientHealth.healthy();
    for (int epoch = firstEpoch; epoch < trainer.epochs; epoch++) {
      EpochStats stats = epoch(epoch);
      if (!stats.gradientHealth().isHealthy() && !stats.gradientHealth().equals(lastHealth)) {
        LOG.warn(
            stats.gradientHealth().describe(epoch, stats.gradientNorms(), trainer.vanishingRatio));
      }
      lastHealth = stats.gradientHealth();
      history.add(stats);
      log(stats);
      for (TrainingListener l : listeners) {
        l.onEpochEnd(context, stats);
      }
      if (context.stopRequested()) {
        stoppedEarly = epoch < trainer.epochs - 1;
        break;
      }
    }
    for (TrainingListener l : listeners) {
      l.onTrainEnd(context);
    }
    int lastEpoch = firstEpoch + history.size() - 1;
    int restored = earlyStopper == null ? -1 : earlyStopper.restoredEpoch();
    return new History(history, restored >= 0 ? restored : lastEpoch, stoppedEarly);
  }

  /** Trains one epoch and evaluates it. */
  private EpochStats epoch(int epoch) {
    if (trainer.schedule != null) {
      trainer.optimizer.setLearningRate(trainer.schedule.learningRate(baseLearningRate, epoch));
    }
    for (TrainingListener l : listeners) {
      l.onEpochStart(model, epoch);
    }
    double learningRate = trainer.optimizer.learningRate();
    long start = System.nanoTime();
    int n = train.size();
    int batchSize = trainer.batchSize;
    int batchCount = (n + batchSize - 1) / batchSize;
    int[] order = Shuffle.order(n, trainer.seed, epoch);
    step.resetCorrect();
    double lossTotal = 0;
    // The norms come from the last full batch: a small last batch gives noisier gradients.
    int normBatch = n % batchSize == 0 || batchCount == 1 ? batchCount - 1 : batchCount - 2;
    for (int b = 0; b < batchCount; b++) {
      int from = b * batchSize;
      int rows = Math.min(batchSize, n - from);
      if (b == normBatch) {
        step.recordGradientNorms();
      }
      double batchLoss = step.run(train, order, from, rows, epoch, b, stepNumber);
      lossTotal += batchLoss * rows;
      for (TrainingListener l : listeners) {
        l.onBatchEnd(model, epoch, b, stepNumber, batchLoss);
      }
      stepNumber++;
    }
    double trainAccuracy = train.isClassification() ? step.correctCount() / n : Double.NaN;
    double trainSeconds = (System.nanoTime() - start) / 1e9;
    Evaluation devEval = dev == null ? null : model.evaluate(dev, trainer.loss);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Double> gradientNorms = step.gradientNorms();
    Map<String, Double> weightNorms = Norms.perLayer(backend, model.parameters());
    GradientHealth health =
        GradientHealth.assess(
            gradientNorms, weightNorms, trainer.vanishingRatio, trainer.explodingRatio);
    return new EpochStats(
        epoch,
        lossTotal / n,
        trainAccuracy,
        devEval == null ? Double.NaN : devEval.loss(),
        devEval == null ? Double.NaN : devEval.accuracy(),
        seconds,
        n / trainSeconds,
        learningRate,
        gradientNorms,
        weightNorms,
        health);
  }

  /** Epochs are counted from 1 and accuracies given in percent, as the command line does. */
  private void log(EpochStats stats) {
    LOG.info(
        "epoch {}/{}: train loss {} acc {}, dev loss {} acc {}, {} s",
        stats.epoch() + 1,
        trainer.epochs,
        String.format(Locale.ROOT, "%.4f", stats.trainLoss()),
        Trainer.percent(stats.trainAccuracy()),
        String.format(Locale.ROOT, "%.4f", stats.devLoss()),
        Trainer.percent(stats.devAccuracy()),
        String.format(Locale.ROOT, "%.2f", stats.seconds()));
  }

  @Override
  public void close() {
    step.close();
    if (earlyStopper != null) {
      earlyStopper.close();
    }
  }
}
