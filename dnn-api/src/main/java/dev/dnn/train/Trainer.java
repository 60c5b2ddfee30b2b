package dev.dnn.train;

import dev.dnn.data.BatchAugmentation;
import dev.dnn.data.DataSet;
import dev.dnn.internal.nn.DataFit;
import dev.dnn.io.Checkpoint;
import dev.dnn.loss.Loss;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.optim.GradientClipping;
import dev.dnn.optim.LearningRateSchedule;
import dev.dnn.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Trains a {@link Model} with mini-batch gradient descent: shuffles the training set every epoch
 * (from the seed), runs forward, loss, backward and one optimizer step per batch (the last partial
 * batch included), evaluates on the dev set after each epoch, and stops early if asked. Build one
 * with {@link #builder()}. A trainer can fit several models: fitting a model other than the last
 * one resets the optimizer's state and step count first, so each model starts as with a new
 * trainer; fitting the same model again continues with the state it left.
 *
 * <p>Every batch runs this trainer's {@link TrainingStep} ({@link #step}), which benchmarks can
 * time alone. Early stopping and checkpointing ({@code dev.dnn.io.CheckpointListener}) are {@link
 * TrainingListener}s, called after every epoch with a {@link TrainingContext} through which they
 * may end the run.
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
 *
 * <p>Not thread-safe: a trainer holds its optimizer's state, so run one {@code fit} (or {@code
 * resume}) of it at a time. While it trains a model, the model refuses predictions from other
 * threads.
 */
public final class Trainer {
  // Read by TrainingRun, the epoch loop of one fit.
  final Loss loss;
  final Optimizer optimizer;
  final int batchSize;
  final int epochs;
  final long seed;
  final EarlyStopping earlyStopping;
  final LearningRateSchedule schedule;
  final List<TrainingListener> listeners;
  final double vanishingRatio;
  final double explodingRatio;
  private final GradientClipping clipping;
  private final BatchAugmentation augmentation;
  private final double divergenceFactor;
  private final int divergencePatience;
  private final OptimizerOwner optimizerOwner;

  private Trainer(Builder b) {
    this.loss = b.loss;
    this.optimizer = b.optimizer;
    this.batchSize = b.batchSize;
    this.epochs = b.epochs;
    this.seed = b.seed;
    this.earlyStopping = b.earlyStopping;
    this.schedule = b.schedule;
    this.clipping = b.clipNorm > 0 ? GradientClipping.byGlobalNorm(b.clipNorm) : null;
    this.augmentation = b.augmentation;
    this.listeners = List.copyOf(b.listeners);
    this.divergenceFactor = b.divergenceFactor;
    this.divergencePatience = b.divergencePatience;
    this.vanishingRatio = b.vanishingRatio;
    this.explodingRatio = b.explodingRatio;
    this.optimizerOwner = new OptimizerOwner(b.optimizer);
  }

  static String percent(double fraction) {
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

  /**
   * The step that {@link #fit} runs for every mini-batch of {@code model}, with this trainer's
   * loss, optimizer, clipping, augmentation, seed and divergence check: for driving training by
   * hand, or timing exactly what {@code fit} does per batch. It checks neither the data nor the
   * optimizer's ownership, as {@code fit} does first; the caller closes it.
   */
  public TrainingStep step(Model model) {
    DivergenceGuard divergence =
        new DivergenceGuard(divergenceFactor, divergencePatience, loss, model.outputCount());
    return new TrainingStep(model, loss, optimizer, clipping, augmentation, divergence, seed);
  }

  /** Trains without a dev set. */
  public History fit(Model model, DataSet train) {
    return fit(model, train, null);
  }

  /**
   * Trains {@code model} on {@code train}, evaluating on {@code dev} (may be null) after every
   * epoch. Both hold raw examples: each batch goes through the model's {@linkplain
   * Model#preprocessing() preprocessing} and, for float targets, its {@linkplain
   * Model#targetScaling() target scaling} as it is uploaded. The calling thread holds the model's
   * {@linkplain Model#lockForTraining() training lease} meanwhile, so other threads' predictions
   * are refused until it returns.
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
    DataFit.check(model, train, "training");
    checkLossFits(train, "training");
    if (dev != null) {
      DataFit.check(model, dev, "dev");
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
    if (minimumRows(model.spec().layers()) > 1
        && (batchSize == 1 || train.size() % batchSize == 1)) {
      throw new IllegalArgumentException(
          "the training data set of "
              + train.size()
              + " examples in batches of "
              + batchSize
              + " leaves a batch of one example, and batch normalization cannot estimate a"
              + " variance from one example; choose another batch size");
    }
    Model.TrainingLease lease = model.lockForTraining();
    try (TrainingRun run = new TrainingRun(this, model, train, dev)) {
      return run.execute(firstEpoch);
    } finally {
      lease.close();
    }
  }

  /** The fewest rows a training batch may hold for these layers (2 with batch normalization). */
  private static int minimumRows(List<LayerSpec> layers) {
    int rows = 1;
    for (LayerSpec layer : layers) {
      rows = Math.max(rows, layer.minimumTrainingRows());
    }
    return rows;
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

    /** Clips the gradients as {@code clipping} says; null turns clipping off. */
    public Builder clipping(GradientClipping clipping) {
      this.clipNorm = clipping == null ? 0 : clipping.maxNorm();
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
