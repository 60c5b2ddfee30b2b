package dev.dnn.train;

import dev.dnn.backend.Backend;
import dev.dnn.data.BatchAugmentation;
import dev.dnn.data.DataSet;
import dev.dnn.io.Checkpoint;
import dev.dnn.loss.Loss;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.DeviceBatches;
import dev.dnn.nn.Evaluation;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.nn.Pass;
import dev.dnn.nn.Residual;
import dev.dnn.optim.LearningRateSchedule;
import dev.dnn.optim.Optimizer;
import dev.dnn.random.RandomStreams;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link Model} with mini-batch gradient descent: shuffles the training set every epoch
 * (from the seed), runs forward, loss, backward and one optimizer step per batch (the last partial
 * batch included), evaluates on the dev set after each epoch, and stops early if asked. Build one
 * with {@link #builder()}. A trainer can fit several models: fitting a model other than the last
 * one resets the optimizer's state and step count first, so each model starts as with a new
 * trainer; fitting the same model again continues with the state it left.
 *
 * <p>Training stops with {@link TrainingDivergedException} when a loss is NaN or infinite, or stays
 * far above its reference ({@link Builder#divergence}). After every epoch the per-layer gradient
 * norms are checked for vanishing and exploding gradients ({@link Builder#gradientHealth}); flagged
 * layers are logged as a warning and reported in {@link EpochStats#gradientHealth()}.
 *
 * <pre>{@code
 * try (Backend backend = Backends.select();
 *     Model model =
 *         Model.sequential(
 *                 Dense.of(784, 500).init(Init.HE_NORMAL), Activation.RELU,
 *                 Dropout.keep(0.8),
 *                 Dense.of(500, 10))
 *             .on(backend)) {
 *   Trainer trainer =
 *       Trainer.builder()
 *           .loss(Loss.SOFTMAX_CROSS_ENTROPY)
 *           .optimizer(Adam.learningRate(1e-3))
 *           .batchSize(512)
 *           .epochs(30)
 *           .seed(1)
 *           .earlyStopping(EarlyStopping.onDevAccuracy().patience(5))
 *           .build();
 *   History history = trainer.fit(model, train, dev);
 *   double accuracy = model.evaluate(test).accuracy();
 * }
 * }</pre>
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final Loss loss;
  private final Optimizer optimizer;
  private final int batchSize;
  private final int epochs;
  private final long seed;
  private final EarlyStopping earlyStopping;
  private final LearningRateSchedule schedule;
  private final double clipNorm;
  private final BatchAugmentation augmentation;
  private final List<TrainingListener> listeners;
  private final double divergenceFactor;
  private final int divergencePatience;
  private final double vanishingRatio;
  private final double explodingRatio;
  private final OptimizerOwner optimizerOwner;

  private Trainer(Builder b) {
    this.loss = b.loss;
    this.optimizer = b.optimizer;
    this.batchSize = b.batchSize;
    this.epochs = b.epochs;
    this.seed = b.seed;
    this.earlyStopping = b.earlyStopping;
    this.schedule = b.schedule;
    this.clipNorm = b.clipNorm;
    this.augmentation = b.augmentation;
    this.listeners = List.copyOf(b.listeners);
    this.divergenceFactor = b.divergenceFactor;
    this.divergencePatience = b.divergencePatience;
    this.vanishingRatio = b.vanishingRatio;
    this.explodingRatio = b.explodingRatio;
    this.optimizerOwner = new OptimizerOwner(b.optimizer);
  }

  private static String percent(double fraction) {
    return Double.isNaN(fraction) ? "NaN" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
  }

  /** A builder with batch size 32, 10 epochs, seed 0, no early stopping and no clipping. */
  public static Builder builder() {
    return new Builder();
  }

  /** The optimizer this trainer steps. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** Trains without a dev set. */
  public History fit(Model model, DataSet train) {
    return fit(model, train, null);
  }

  /**
   * Trains {@code model} on {@code train}, evaluating on {@code dev} (may be null) after every
   * epoch.
   *
   * @throws IllegalArgumentException if the data does not fit the model or the loss, or the model
   *     has batch normalization and a batch would hold a single example
   *     <p>A model other than the one this trainer fitted last starts with fresh optimizer state
   *     (step count 0, the learning rate as built); to continue a checkpointed run, use {@link
   *     #resume}.
   * @throws TrainingDivergedException if a batch loss becomes NaN or infinite, or stays above the
   *     divergence threshold
   */
  public History fit(Model model, DataSet train, DataSet dev) {
    return train(model, train, dev, 0, false);
  }

  /**
   * Continues a run from {@code checkpoint} up to this trainer's epoch count: epoch {@code
   * checkpoint.epoch()} is the first one run. The model and this trainer's optimizer must already
   * hold the checkpoint's weights, optimizer state and step count ({@code
   * ModelFile.loadCheckpoint(path, backend, trainer.optimizer())} does both), and this trainer must
   * use the checkpoint's seed; then shuffles, dropout masks, augmentation and the learning-rate
   * schedule continue exactly where the checkpointed run left them, so that an interrupted run ends
   * with the same weights as an uninterrupted one. Early stopping starts counting afresh at the
   * resumed epoch. The returned history holds the resumed epochs only (numbered from the
   * checkpoint's epoch).
   *
   * @throws IllegalArgumentException if the seed or the optimizer's step count differ from the
   *     checkpoint's, or the checkpoint has already completed this trainer's epoch count
   */
  public History resume(Checkpoint checkpoint, Model model, DataSet train, DataSet dev) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    if (checkpoint.seed() != seed) {
      throw new IllegalArgumentException(
          "the checkpoint was written by a run with seed "
              + checkpoint.seed()
              + " but this trainer has seed "
              + seed
              + "; build it with seed("
              + checkpoint.seed()
              + ")");
    }
    if (optimizer.stepCount() != checkpoint.step()) {
      throw new IllegalArgumentException(
          "the optimizer has taken "
              + optimizer.stepCount()
              + " steps but the checkpoint is at step "
              + checkpoint.step()
              + "; restore it with ModelFile.loadCheckpoint(path, backend, trainer.optimizer())");
    }
    if (checkpoint.epoch() >= epochs) {
      throw new IllegalArgumentException(
          "the checkpoint has completed "
              + checkpoint.epoch()
              + " epochs, nothing is left of this trainer's "
              + epochs);
    }
    return train(model, train, dev, checkpoint.epoch(), true);
  }

  private History train(Model model, DataSet train, DataSet dev, int firstEpoch, boolean resuming) {
    Objects.requireNonNull(model, "model");
    optimizerOwner.claim(model, resuming);
    model.checkData(train, "training");
    checkLossFits(train, "training");
    if (dev != null) {
      model.checkData(dev, "dev");
      checkLossFits(dev, "dev");
    }
    if (earlyStopping != null) {
      if (dev == null) {
        throw new IllegalArgumentException("early stopping needs a dev data set");
      }
      if (earlyStopping.metric() == EarlyStopping.Metric.DEV_ACCURACY && !dev.isClassification()) {
        throw new IllegalArgumentException(
            "early stopping on dev accuracy needs a dev data set with class labels");
      }
    }
    if (hasBatchNorm(model.spec().layers()) && (batchSize == 1 || train.size() % batchSize == 1)) {
      throw new IllegalArgumentException(
          "the training data set of "
              + train.size()
              + " examples in batches of "
              + batchSize
              + " leaves a batch of one example, and batch normalization cannot estimate a"
              + " variance from one example; choose another batch size");
    }
    model.setLoss(loss);
    try (Run run = new Run(model, train, dev)) {
      return run.execute(firstEpoch);
    }
  }

  private static boolean hasBatchNorm(List<LayerSpec> layers) {
    for (LayerSpec layer : layers) {
      if (layer instanceof BatchNorm || layer instanceof Residual r && hasBatchNorm(r.body())) {
        return true;
      }
    }
    return false;
  }

  private void checkLossFits(DataSet data, String what) {
    if (loss.usesClassLabels() != data.isClassification()) {
      throw new IllegalArgumentException(
          loss
              + " needs "
              + (loss.usesClassLabels() ? "class labels" : "float targets")
              + " but the "
              + what
              + " data set has "
              + (data.isClassification() ? "class labels" : "float targets"));
    }
  }

  /** The state of one {@link #fit} call: device buffers, counters, the best weights so far. */
  private final class Run implements AutoCloseable {
    private final Model model;
    private final Backend backend;
    private final DataSet train;
    private final DataSet dev;
    private final DeviceBatches batches;
    private final Tensor lossSum;
    private final Tensor correct;
    private final Map<Integer, Tensor> gradOutputs = new HashMap<>();
    private final Map<String, Tensor> best = new LinkedHashMap<>();
    private final double baseLearningRate;

    Run(Model model, DataSet train, DataSet dev) {
      this.model = model;
      this.backend = model.backend();
      this.train = train;
      this.dev = dev;
      this.batches = new DeviceBatches(backend);
      this.lossSum = backend.zeros(Shape.vector(1));
      this.correct = backend.zeros(Shape.vector(1));
      this.baseLearningRate = optimizer.learningRate();
    }

    History execute(int firstEpoch) {
      List<EpochStats> history = new ArrayList<>();
      double bestScore = Double.NEGATIVE_INFINITY;
      int bestEpoch = -1;
      int sinceBest = 0;
      boolean stoppedEarly = false;
      // Steps continue the optimizer's count, so a run resumed from a checkpoint (optimizer state
      // and step count restored) draws new dropout masks instead of repeating the first ones.
      long step = optimizer.stepCount();
      int n = train.size();
      int batchCount = (n + batchSize - 1) / batchSize;
      DivergenceGuard divergence =
          new DivergenceGuard(divergenceFactor, divergencePatience, loss, model.outputCount());
      GradientHealth lastHealth = GradientHealth.healthy();
      for (int epoch = firstEpoch; epoch < epochs; epoch++) {
        if (schedule != null) {
          optimizer.setLearningRate(schedule.learningRate(baseLearningRate, epoch));
        }
        for (TrainingListener l : listeners) {
          l.onEpochStart(model, epoch);
        }
        double learningRate = optimizer.learningRate();
        long start = System.nanoTime();
        int[] order = Shuffle.order(n, seed, epoch);
        backend.fill(correct, 0f);
        double lossTotal = 0;
        Map<String, Double> gradientNorms = Map.of();
        int normBatch = n % batchSize == 0 || batchCount == 1 ? batchCount - 1 : batchCount - 2;
        for (int b = 0; b < batchCount; b++) {
          int from = b * batchSize;
          int rows = Math.min(batchSize, n - from);
          DeviceBatches.Batch batch =
              batches.upload(
                  train,
                  order,
                  from,
                  rows,
                  augmentation,
                  seed,
                  RandomStreams.stream(RandomStreams.AUGMENT, epoch, b));
          Tensor output = model.forward(batch.features(), Pass.training(seed, step));
          Tensor grad =
              gradOutputs.computeIfAbsent(
                  rows, r -> backend.zeros(Shape.matrix(r, model.outputCount())));
          backend.fill(lossSum, 0f);
          loss.apply(backend, output, batch.targets(), grad, lossSum);
          if (train.isClassification()) {
            backend.countCorrect(output, batch.targets(), correct);
          }
          double batchLoss = backend.sum(lossSum) / loss.normalizer(rows, model.outputCount());
          divergence.check(epoch, b, step, batchLoss);
          lossTotal += batchLoss * rows;
          model.backward(grad);
          Map<String, Tensor> gradients = model.gradients();
          if (b == normBatch) {
            // Before clipping: clipped norms would hide the exploding gradients they are meant to
            // show.
            gradientNorms = Norms.perLayer(backend, gradients);
          }
          if (clipNorm > 0) {
            clip(gradients, epoch, b, step, batchLoss);
          }
          optimizer.step(model.trainableParameters(), gradients);
          for (TrainingListener l : listeners) {
            l.onBatchEnd(model, epoch, b, step, batchLoss);
          }
          step++;
        }
        double trainAccuracy =
            train.isClassification() ? backend.sum(correct) / (double) n : Double.NaN;
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        Evaluation devEval = dev == null ? null : model.evaluate(dev, loss);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> weightNorms = Norms.perLayer(backend, model.parameters());
        GradientHealth health =
            GradientHealth.assess(gradientNorms, weightNorms, vanishingRatio, explodingRatio);
        if (!health.isHealthy() && !health.equals(lastHealth)) {
          LOG.warn(health.describe(epoch, gradientNorms, vanishingRatio));
        }
        lastHealth = health;
        EpochStats stats =
            new EpochStats(
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
        history.add(stats);
        // Epochs are counted from 1 and accuracies given in percent, as the command line does.
        LOG.info(
            "epoch {}/{}: train loss {} acc {}, dev loss {} acc {}, {} s",
            epoch + 1,
            epochs,
            String.format(Locale.ROOT, "%.4f", stats.trainLoss()),
            percent(stats.trainAccuracy()),
            String.format(Locale.ROOT, "%.4f", stats.devLoss()),
            percent(stats.devAccuracy()),
            String.format(Locale.ROOT, "%.2f", seconds));
        for (TrainingListener l : listeners) {
          l.onEpochEnd(model, stats);
        }
        if (earlyStopping != null) {
          double score = earlyStopping.score(stats);
          // A dev loss that overflowed (infinite or NaN) is never an improvement, not even the
          // first: restoring such an epoch would pick weights by a score that says nothing.
          if (Double.isFinite(score)
              && (bestEpoch < 0 || score > bestScore + earlyStopping.minDelta())) {
            bestScore = score;
            bestEpoch = epoch;
            sinceBest = 0;
            if (earlyStopping.restoresBestWeights()) {
              snapshot();
            }
          } else if (++sinceBest >= earlyStopping.patience()) {
            stoppedEarly = epoch < epochs - 1;
            if (stoppedEarly) {
              LOG.info(
                  "early stopping after epoch {}/{}: {} has not improved for {} epochs; best was"
                      + " epoch {}",
                  epoch + 1,
                  epochs,
                  earlyStopping.metric().label(),
                  sinceBest,
                  bestEpoch + 1);
            }
            break;
          }
        }
      }
      int lastEpoch = firstEpoch + history.size() - 1;
      if (earlyStopping != null
          && earlyStopping.restoresBestWeights()
          && bestEpoch >= 0
          && bestEpoch != lastEpoch) {
        restore();
        LOG.info(
            "restored the weights of epoch {} ({} {})",
            bestEpoch + 1,
            earlyStopping.metric().label(),
            earlyStopping.metric() == EarlyStopping.Metric.DEV_LOSS
                ? String.format(Locale.ROOT, "%.4f", -bestScore)
                : percent(bestScore));
        return new History(history, bestEpoch, stoppedEarly);
      }
      return new History(history, lastEpoch, stoppedEarly);
    }

    /**
     * Scales all gradients by {@code clipNorm / norm} when their global norm exceeds it. A norm
     * that is not finite stops training: scaling by {@code clipNorm / infinity} would zero the
     * gradients and skip the step silently.
     */
    private void clip(
        Map<String, Tensor> gradients, int epoch, int batch, long step, double batchLoss) {
      double sumSquares = 0;
      for (Tensor g : gradients.values()) {
        sumSquares += backend.squaredNorm(g);
      }
      double norm = Math.sqrt(sumSquares);
      if (!Double.isFinite(norm)) {
        throw TrainingDivergedException.gradientNorm(epoch, batch, step, batchLoss, norm);
      }
      if (norm > clipNorm) {
        float factor = (float) (clipNorm / norm);
        for (Tensor g : gradients.values()) {
          backend.scale(g, factor);
        }
      }
    }

    private void snapshot() {
      for (Map.Entry<String, Tensor> e : model.namedTensors().entrySet()) {
        Tensor copy = best.computeIfAbsent(e.getKey(), k -> backend.zeros(e.getValue().shape()));
        backend.copy(e.getValue(), copy);
      }
    }

    private void restore() {
      for (Map.Entry<String, Tensor> e : model.namedTensors().entrySet()) {
        backend.copy(best.get(e.getKey()), e.getValue());
      }
    }

    @Override
    public void close() {
      batches.close();
      lossSum.close();
      correct.close();
      gradOutputs.values().forEach(Tensor::close);
      best.values().forEach(Tensor::close);
    }
  }

  /** Builds a {@link Trainer}; {@link #build()} checks the hyperparameters. */
  public static final class Builder {
    private Loss loss;
    private Optimizer optimizer;
    private int batchSize = 32;
    private int epochs = 10;
    private long seed;
    private EarlyStopping earlyStopping;
    private LearningRateSchedule schedule;
    private double clipNorm;
    private BatchAugmentation augmentation;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private double divergenceFactor = 100;
    private int divergencePatience = 5;
    private double vanishingRatio = 1e-5;
    private double explodingRatio = 100;

    private Builder() {}

    /** The training objective (required). */
    public Builder loss(Loss loss) {
      this.loss = loss;
      return this;
    }

    /** The optimizer (required); it keeps state, so use one per run. */
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    /** Examples per mini-batch, at least 1; the last batch of an epoch may be smaller. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** The maximum number of epochs, at least 1. */
    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /** The seed of shuffles, dropout masks, random slopes and augmentation. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Stops early on a dev-set metric (needs a dev set in {@code fit}). */
    public Builder earlyStopping(EarlyStopping earlyStopping) {
      this.earlyStopping = earlyStopping;
      return this;
    }

    /** A learning-rate schedule applied at the start of every epoch. */
    public Builder schedule(LearningRateSchedule schedule) {
      this.schedule = schedule;
      return this;
    }

    /** Clips the gradients by their global L2 norm; 0 (the default) turns clipping off. */
    public Builder clipGradientNorm(double maxNorm) {
      this.clipNorm = maxNorm;
      return this;
    }

    /** Augments every training batch on the host before upload. */
    public Builder augmentation(BatchAugmentation augmentation) {
      this.augmentation = augmentation;
      return this;
    }

    /**
     * When a finite loss counts as divergence: above {@code factor} times the reference (the larger
     * of the run's first batch loss and chance level, {@code ln(classes)} for softmax
     * cross-entropy) for {@code consecutiveBatches} batches in a row. Default 100 and 5; a factor
     * of 0 keeps only the check for NaN and infinite losses.
     */
    public Builder divergence(double factor, int consecutiveBatches) {
      this.divergenceFactor = factor;
      this.divergencePatience = consecutiveBatches;
      return this;
    }

    /**
     * The thresholds of the per-epoch gradient check (see {@link GradientHealth}): a layer's
     * gradients vanish below {@code vanishingRatio} times the largest layer's norm (default 1e-5)
     * and explode above {@code explodingRatio} times the layer's weight norm (default 100). 0 turns
     * a check off.
     */
    public Builder gradientHealth(double vanishingRatio, double explodingRatio) {
      this.vanishingRatio = vanishingRatio;
      this.explodingRatio = explodingRatio;
      return this;
    }

    /** Adds a listener. */
    public Builder listener(TrainingListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The trainer.
     *
     * @throws IllegalArgumentException naming the first bad or missing hyperparameter
     */
    public Trainer build() {
      if (loss == null) {
        throw new IllegalArgumentException("a loss is required: call loss(...)");
      }
      if (optimizer == null) {
        throw new IllegalArgumentException("an optimizer is required: call optimizer(...)");
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
      }
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
      }
      if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
        throw new IllegalArgumentException(
            "gradient clipping norm must be finite and >= 0 (0 = off), got " + clipNorm);
      }
      DivergenceGuard.checkSettings(divergenceFactor, divergencePatience);
      GradientHealth.checkSettings(vanishingRatio, explodingRatio);
      return new Trainer(this);
    }
  }
}
