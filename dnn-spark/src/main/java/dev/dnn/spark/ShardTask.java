package dev.dnn.spark;

import dev.dnn.backend.Backend;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Pass;
import dev.dnn.optim.Optimizer;
import dev.dnn.optim.Optimizers;
import dev.dnn.tensor.Tensor;
import java.util.Map;

/**
 * The executor side of a round: one worker's mini-batches on its shard. With one local step it
 * returns the gradient of its batch times the batch's rows (the driver divides the sum by the
 * global batch and steps its optimizer: exact synchronous SGD); with more it steps its own copy of
 * the optimizer and returns its parameters and optimizer state times the rows it trained on (the
 * driver averages). Everything random comes from (seed, epoch or step, partition), so a retry
 * returns the same bits. Stateless; the pooled {@link Worker}s are borrowed per task.
 */
final class ShardTask {
  /** A test's hook into every training task (null in production): it may throw to fail one. */
  interface Hook {
    void beforeRound(RoundState state, Shard shard);
  }

  static volatile Hook hook;

  private static final InstancePool<Worker> WORKERS = new InstancePool<>(4);

  private ShardTask() {}

  /** Runs the round's local steps of {@code shard}'s worker. */
  static Contribution train(Shard shard, RoundState state) {
    Hook h = hook;
    if (h != null) {
      h.beforeRound(state, shard);
    }
    BackendChoice choice = BackendChoice.forCurrentTask();
    String key = choice.key() + "|" + state.loss + "|" + state.spec;
    Worker worker =
        WORKERS.borrow(key, () -> new Worker(choice, ModelSpec.fromJson(state.spec), state.loss));
    try {
      Contribution c = train(worker, shard, state);
      WORKERS.giveBack(key, worker);
      return c;
    } catch (RuntimeException | Error e) {
      WORKERS.discard(worker);
      throw e;
    }
  }

  private static Contribution train(Worker w, Shard shard, RoundState state) {
    Model model = w.model;
    Backend backend = w.backend;
    Loss loss = state.loss;
    w.load(state.names, state.values);
    int[] order = ShardOrder.permutation(state.seed, state.epoch, shard.partition, shard.rows);
    long taskSeed = ShardOrder.taskSeed(state.seed, shard.partition);
    Optimizer optimizer = state.averaging() ? restoreOptimizer(model, state) : null;
    try {
      Contribution c = new Contribution();
      Map<String, Tensor> gradients = model.gradients();
      double[][] gradientSums = state.averaging() ? null : new double[gradients.size()][];
      int width = shard.featureCount;
      for (int k = 0; k < state.localSteps; k++) {
        int from = (state.firstStep + k) * state.batchRows;
        if (from >= shard.rows) {
          break;
        }
        int rows = Math.min(state.batchRows, shard.rows - from);
        float[] x = new float[rows * width];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
          int row = order[from + r];
          System.arraycopy(shard.features, row * width, x, r * width, width);
          y[r] = shard.labels[row];
        }
        Tensor[] batch = w.batch(rows, loss.usesClassLabels());
        backend.copyFromHost(x, 0, batch[0]);
        backend.copyFromHost(y, 0, batch[1]);
        Tensor output = model.forward(batch[0], Pass.training(taskSeed, state.stepCount + k, loss));
        backend.fill(w.lossSum, 0f);
        loss.apply(backend, output, batch[1], batch[2], w.lossSum);
        c.loss += backend.sum(w.lossSum);
        if (loss.usesClassLabels()) {
          backend.fill(w.correct, 0f);
          backend.countCorrect(output, batch[1], w.correct);
          c.correct += backend.sum(w.correct);
        }
        model.backward(batch[2]);
        if (optimizer != null) {
          optimizer.step(model.trainableParameters(), gradients);
        } else {
          int i = 0;
          for (Tensor g : gradients.values()) {
            gradientSums[i++] = weighted(g.toArray(), rows);
          }
        }
        c.rows += rows;
        c.steps++;
      }
      if (c.rows > 0) {
        c.sums =
            optimizer != null
                ? averagedState(model, optimizer, c.rows)
                : withBuffers(gradientSums, model, c.rows);
      }
      return c;
    } finally {
      if (optimizer != null) {
        optimizer.close();
      }
    }
  }

  /** The validation loss sum, correct predictions and rows of {@code shard} under the state. */
  static Contribution evaluate(Shard shard, RoundState state) {
    BackendChoice choice = BackendChoice.forCurrentTask();
    String key = choice.key() + "|" + state.loss + "|" + state.spec;
    Worker worker =
        WORKERS.borrow(key, () -> new Worker(choice, ModelSpec.fromJson(state.spec), state.loss));
    try {
      Contribution c = evaluate(worker, shard, state);
      WORKERS.giveBack(key, worker);
      return c;
    } catch (RuntimeException | Error e) {
      WORKERS.discard(worker);
      throw e;
    }
  }

  private static Contribution evaluate(Worker w, Shard shard, RoundState state) {
    w.load(state.names, state.values);
    Contribution c = new Contribution();
    int width = shard.featureCount;
    Loss loss = state.loss;
    for (int from = 0; from < shard.validationRows; from += Model.INFERENCE_BATCH) {
      int rows = Math.min(Model.INFERENCE_BATCH, shard.validationRows - from);
      Tensor[] batch = w.batch(rows, loss.usesClassLabels());
      w.backend.copyFromHost(
          java.util.Arrays.copyOfRange(
              shard.validationFeatures, from * width, (from + rows) * width),
          0,
          batch[0]);
      w.backend.copyFromHost(
          java.util.Arrays.copyOfRange(shard.validationLabels, from, from + rows), 0, batch[1]);
      Tensor output = w.model.forward(batch[0]);
      w.backend.fill(w.lossSum, 0f);
      loss.apply(w.backend, output, batch[1], batch[2], w.lossSum);
      c.loss += w.backend.sum(w.lossSum);
      if (loss.usesClassLabels()) {
        w.backend.fill(w.correct, 0f);
        w.backend.countCorrect(output, batch[1], w.correct);
        c.correct += w.backend.sum(w.correct);
      }
      c.rows += rows;
    }
    return c;
  }

  private static Optimizer restoreOptimizer(Model model, RoundState state) {
    Optimizer optimizer = Optimizers.named(state.optimizer, state.learningRate);
    optimizer.setStepCount(state.stepCount);
    Map<String, Tensor> slots = optimizer.state(model.trainableParameters());
    for (int i = 0; i < state.stateNames.length; i++) {
      Tensor t = slots.get(state.stateNames[i]);
      model.backend().copyFromHost(state.stateValues[i], 0, t);
    }
    return optimizer;
  }

  /** Gradients (already row-weighted) followed by the buffers times {@code rows}. */
  private static double[][] withBuffers(double[][] gradientSums, Model model, long rows) {
    Map<String, Tensor> buffers = model.buffers();
    double[][] sums = new double[gradientSums.length + buffers.size()][];
    System.arraycopy(gradientSums, 0, sums, 0, gradientSums.length);
    int i = gradientSums.length;
    for (Tensor t : buffers.values()) {
      sums[i++] = weighted(t.toArray(), rows);
    }
    return sums;
  }

  /** Parameters and buffers, then the optimizer's state, each times {@code rows}. */
  private static double[][] averagedState(Model model, Optimizer optimizer, long rows) {
    Map<String, Tensor> tensors = model.namedTensors();
    Map<String, Tensor> state = optimizer.state(model.trainableParameters());
    double[][] sums = new double[tensors.size() + state.size()][];
    int i = 0;
    for (Tensor t : tensors.values()) {
      sums[i++] = weighted(t.toArray(), rows);
    }
    for (Tensor t : state.values()) {
      sums[i++] = weighted(t.toArray(), rows);
    }
    return sums;
  }

  /**
   * {@code values} times {@code weight} in double: exact, as a float times an integer below 2^29.
   */
  private static double[] weighted(float[] values, long weight) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (double) values[i] * weight;
    }
    return out;
  }
}
