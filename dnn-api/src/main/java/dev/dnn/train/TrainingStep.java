package dev.dnn.train;

import dev.dnn.backend.Backend;
import dev.dnn.data.BatchAugmentation;
import dev.dnn.data.DataSet;
import dev.dnn.internal.nn.DeviceBatches;
import dev.dnn.internal.random.RandomStreams;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Model;
import dev.dnn.nn.Pass;
import dev.dnn.optim.GradientClipping;
import dev.dnn.optim.Optimizer;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One mini-batch step of a {@link Trainer}'s run, the unit that {@link Trainer#fit} repeats: upload
 * of the batch, training forward pass, loss and its gradient, the count of correct predictions
 * (classification), the read of the batch's mean loss to the host and its divergence check, the
 * backward pass, gradient clipping and the optimizer update. Get one from {@link
 * Trainer#step(Model)} to drive training by hand or to time exactly what {@code fit} runs; close it
 * to free its device buffers.
 *
 * <p>Device buffers are kept per batch size, so steps after the first allocate nothing.
 *
 * <p>Not thread-safe: one thread drives a step. Each {@link #run} holds the model's training lease,
 * so other threads' predictions with the model are refused meanwhile, and on a backend that is not
 * thread-safe also the backend's monitor.
 */
public final class TrainingStep implements AutoCloseable {
  private final Model model;
  private final Backend backend;
  private final Loss loss;
  private final Optimizer optimizer;
  private final GradientClipping clipping;
  private final BatchAugmentation augmentation;
  private final DivergenceGuard divergence;
  private final long seed;
  private final DeviceBatches batches;
  private final Tensor lossSum;
  private final Tensor correct;
  private final Map<Integer, Tensor> gradOutputs = new HashMap<>();
  private boolean recordNorms;
  private Map<String, Double> gradientNorms = Map.of();

  TrainingStep(
      Model model,
      Loss loss,
      Optimizer optimizer,
      GradientClipping clipping,
      BatchAugmentation augmentation,
      DivergenceGuard divergence,
      long seed) {
    this.model = Objects.requireNonNull(model, "model");
    this.backend = model.backend();
    this.loss = loss;
    this.optimizer = optimizer;
    this.clipping = clipping;
    this.augmentation = augmentation;
    this.divergence = divergence;
    this.seed = seed;
    this.batches = new DeviceBatches(backend);
    this.lossSum = backend.zeros(Shape.vector(1));
    this.correct = backend.zeros(Shape.vector(1));
  }

  /**
   * Uploads examples {@code order[from .. from + rows)} of {@code data} (raw: through the model's
   * preprocessing and target scaling, then augmented if the trainer augments, from the stream of
   * {@code epoch} and {@code batch}) and runs the step on them.
   *
   * @return the batch's mean loss
   * @throws TrainingDivergedException if the loss or the gradient norm has diverged
   */
  public double run(
      DataSet data, int[] order, int from, int rows, int epoch, int batch, long step) {
    return guarded(
        () -> {
          DeviceBatches.Batch uploaded =
              batches.upload(
                  data,
                  order,
                  from,
                  rows,
                  model.preprocessing(),
                  model.targetScaling().orElse(null),
                  augmentation,
                  seed,
                  RandomStreams.stream(RandomStreams.AUGMENT, epoch, batch));
          return runLeased(uploaded.features(), uploaded.targets(), epoch, batch, step);
        });
  }

  /**
   * Runs the step on a batch already on the device and already preprocessed: {@code features}
   * {@code [rows, inputs]} and {@code targets} (labels as floats {@code [rows]}, or scaled target
   * rows). Holds the model's training lease while it runs. {@code step} addresses the random
   * numbers of dropout and randomized activations; {@code epoch} and {@code batch} name the step in
   * a divergence report.
   *
   * @return the batch's mean loss
   * @throws TrainingDivergedException if the loss or the gradient norm has diverged
   */
  public double run(Tensor features, Tensor targets, int epoch, int batch, long step) {
    return guarded(() -> runLeased(features, targets, epoch, batch, step));
  }

  /**
   * Runs {@code body} holding the model's training lease, and the backend's monitor when the
   * backend is not thread-safe (another model may be predicting on it).
   */
  private double guarded(java.util.function.DoubleSupplier body) {
    Model.TrainingLease lease = model.lockForTraining();
    try {
      if (backend.isThreadSafe()) {
        return body.getAsDouble();
      }
      synchronized (backend) {
        return body.getAsDouble();
      }
    } finally {
      lease.close();
    }
  }

  private double runLeased(Tensor features, Tensor targets, int epoch, int batch, long step) {
    int rows = features.shape().dim(0);
    Tensor output = model.forward(features, Pass.training(seed, step, loss));
    Tensor grad =
        gradOutputs.computeIfAbsent(rows, r -> backend.zeros(Shape.matrix(r, model.outputCount())));
    backend.fill(lossSum, 0f);
    loss.apply(backend, output, targets, grad, lossSum);
    if (loss.usesClassLabels()) {
      backend.countCorrect(output, targets, correct);
    }
    // The read waits for the device: fit needs the loss of every batch for the divergence check.
    double batchLoss = backend.sum(lossSum) / loss.normalizer(rows, model.outputCount());
    divergence.check(epoch, batch, step, batchLoss);
    model.backward(grad);
    Map<String, Tensor> gradients = model.gradients();
    if (recordNorms) {
      // Before clipping: clipped norms would hide the exploding gradients they are meant to show.
      gradientNorms = Norms.perLayer(backend, gradients);
      recordNorms = false;
    }
    if (clipping != null) {
      double norm = clipping.clip(backend, gradients);
      if (!Double.isFinite(norm)) {
        throw TrainingDivergedException.gradientNorm(epoch, batch, step, batchLoss, norm);
      }
    }
    optimizer.step(model.trainableParameters(), gradients);
    return batchLoss;
  }

  /** Makes the next step record the per-layer gradient norms, before clipping. */
  void recordGradientNorms() {
    recordNorms = true;
  }

  /** The per-layer gradient norms of the last step that recorded them; empty before that. */
  Map<String, Double> gradientNorms() {
    return gradientNorms;
  }

  /** Clears the count of correct predictions. */
  void resetCorrect() {
    backend.fill(correct, 0f);
  }

  /** Correct predictions since the last {@link #resetCorrect()} (classification only). */
  double correctCount() {
    return backend.sum(correct);
  }

  /** The model this step trains. */
  public Model model() {
    return model;
  }

  @Override
  public void close() {
    batches.close();
    lossSum.close();
    correct.close();
    gradOutputs.values().forEach(Tensor::close);
  }
}
