package dev.dnn.spark;

import dev.dnn.backend.Backend;
import dev.dnn.cpu.CpuBackend;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Optimizer;
import dev.dnn.optim.Optimizers;
import dev.dnn.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of training: synchronous rounds of broadcast, local steps on every shard ({@link
 * ShardTask}) and a {@code treeAggregate} summed in a fixed order ({@link OrderedSum}), then the
 * update with dnn's optimizer on the driver's copy of the model. After every epoch: validation and
 * early stopping (best weights kept), and checkpoints. One fit at a time per instance; not shared.
 */
final class DistributedTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);
  private static final String CHECKPOINT_FILE = "checkpoint.safetensors";

  /** What a fit was asked for. */
  record Settings(
      ModelSpec spec,
      Loss loss,
      String optimizer,
      double learningRate,
      int batchSize,
      int epochs,
      long seed,
      int localSteps,
      int patience,
      String checkpointDir,
      int checkpointInterval) {}

  /**
   * What a fit produced: the model file, and per epoch the mean training loss and (NaN without
   * validation rows) the mean validation loss and accuracy.
   */
  record Result(
      byte[] modelFile,
      double[] trainingLoss,
      double[] validationLoss,
      double[] validationAccuracy) {}

  private DistributedTrainer() {}

  static Result train(JavaSparkContext jsc, TrainingData data, Settings s) {
    int workers = data.shardRows.length;
    int batchRows = Math.max(1, s.batchSize() / workers);
    int maxRows = 0;
    for (int rows : data.shardRows) {
      maxRows = Math.max(maxRows, rows);
    }
    checkBatchNorm(s.spec(), data.shardRows, batchRows);
    int stepsPerEpoch = (maxRows + batchRows - 1) / batchRows;
    int rounds = (stepsPerEpoch + s.localSteps() - 1) / s.localSteps();
    Configuration conf = jsc.hadoopConfiguration();
    try (Backend backend = new CpuBackend();
        Optimizer optimizer = Optimizers.named(s.optimizer(), s.learningRate())) {
      Model model = Model.fromSpec(s.spec(), backend, s.seed(), s.loss());
      try {
        int firstEpoch = 0;
        if (!s.checkpointDir().isEmpty()) {
          firstEpoch = resume(s, model, optimizer, conf);
        }
        Map<String, Tensor> gradients = new LinkedHashMap<>();
        model.trainableParameters().forEach((n, t) -> gradients.put(n, backend.zeros(t.shape())));
        try {
          return run(
              jsc, data, s, model, optimizer, gradients, firstEpoch, rounds, batchRows, conf);
        } finally {
          gradients.values().forEach(Tensor::close);
        }
      } finally {
        model.close();
      }
    }
  }

  private static Result run(
      JavaSparkContext jsc,
      TrainingData data,
      Settings s,
      Model model,
      Optimizer optimizer,
      Map<String, Tensor> gradients,
      int firstEpoch,
      int rounds,
      int batchRows,
      Configuration conf) {
    int workers = data.shardRows.length;
    List<Double> trainingLoss = new ArrayList<>();
    List<Double> validationLoss = new ArrayList<>();
    List<Double> validationAccuracy = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    Map<String, float[]> bestWeights = null;
    int sinceBest = 0;
    for (int epoch = firstEpoch; epoch < s.epochs(); epoch++) {
      double lossSum = 0;
      long rows = 0;
      for (int round = 0; round < rounds; round++) {
        RoundState state =
            state(model, optimizer, s, batchRows, epoch, round * s.localSteps(), s.localSteps());
        Contribution c = aggregate(jsc, data, state, workers, true);
        apply(model, optimizer, gradients, state, c);
        lossSum += c.loss;
        rows += c.rows;
      }
      double meanLoss = meanLoss(s.loss(), lossSum, rows, model.outputCount());
      trainingLoss.add(meanLoss);
      if (!Double.isFinite(meanLoss)) {
        throw new IllegalStateException(
            "training diverged in epoch "
                + (epoch + 1)
                + ": the mean loss is "
                + meanLoss
                + "; lower stepSize");
      }
      double vLoss = Double.NaN;
      double vAccuracy = Double.NaN;
      if (data.validationRows > 0) {
        RoundState state = state(model, optimizer, s, batchRows, epoch, 0, 0);
        Contribution c = aggregate(jsc, data, state, workers, false);
        vLoss = meanLoss(s.loss(), c.loss, c.rows, model.outputCount());
        vAccuracy = s.loss().usesClassLabels() ? c.correct / c.rows : Double.NaN;
      }
      validationLoss.add(vLoss);
      validationAccuracy.add(vAccuracy);
      LOG.info(
          String.format(
              Locale.ROOT,
              "epoch %d/%d: training loss %.5f, validation loss %.5f, accuracy %.4f (%d rounds"
                  + " of %d workers)",
              epoch + 1,
              s.epochs(),
              meanLoss,
              vLoss,
              vAccuracy,
              rounds,
              workers));
      if (!s.checkpointDir().isEmpty() && (epoch + 1) % s.checkpointInterval() == 0) {
        checkpoint(s, model, optimizer, epoch + 1, conf);
      }
      if (data.validationRows > 0) {
        if (vLoss < best) {
          best = vLoss;
          bestWeights = hostCopies(model);
          sinceBest = 0;
        } else if (++sinceBest >= s.patience() && s.patience() > 0) {
          LOG.info(
              "early stop after epoch {}: no lower validation loss for {} epochs",
              epoch + 1,
              sinceBest);
          break;
        }
      }
    }
    if (bestWeights != null) {
      bestWeights.forEach(model::set);
    }
    if (!data.classNames.isEmpty()) {
      model.setClassNames(data.classNames);
    }
    return new Result(
        ModelBytes.of(model),
        toArray(trainingLoss),
        toArray(validationLoss),
        toArray(validationAccuracy));
  }

  private static Contribution aggregate(
      JavaSparkContext jsc, TrainingData data, RoundState state, int workers, boolean training) {
    Broadcast<RoundState> broadcast = jsc.broadcast(state);
    try {
      OrderedSum sum =
          data.shards.treeAggregate(
              new OrderedSum(workers),
              (acc, shard) ->
                  acc.add(
                      shard.partition,
                      training
                          ? ShardTask.train(shard, broadcast.value())
                          : ShardTask.evaluate(shard, broadcast.value())),
              OrderedSum::merge,
              2);
      return sum.total();
    } finally {
      broadcast.destroy();
    }
  }

  private static RoundState state(
      Model model,
      Optimizer optimizer,
      Settings s,
      int batchRows,
      int epoch,
      int firstStep,
      int localSteps) {
    Map<String, Tensor> tensors = model.namedTensors();
    String[] names = tensors.keySet().toArray(String[]::new);
    float[][] values = new float[names.length][];
    for (int i = 0; i < names.length; i++) {
      values[i] = tensors.get(names[i]).toArray();
    }
    String[] stateNames = new String[0];
    float[][] stateValues = new float[0][];
    if (localSteps > 1) {
      Map<String, Tensor> slots = optimizer.state(model.trainableParameters());
      stateNames = slots.keySet().toArray(String[]::new);
      stateValues = new float[stateNames.length][];
      for (int i = 0; i < stateNames.length; i++) {
        stateValues[i] = slots.get(stateNames[i]).toArray();
      }
    }
    return new RoundState(
        model.spec().toJson(),
        s.loss(),
        s.seed(),
        batchRows,
        Math.max(localSteps, 1),
        epoch,
        firstStep,
        optimizer.stepCount(),
        s.optimizer(),
        optimizer.learningRate(),
        names,
        values,
        stateNames,
        stateValues);
  }

  /** The driver's update from a round's sum. */
  private static void apply(
      Model model,
      Optimizer optimizer,
      Map<String, Tensor> gradients,
      RoundState state,
      Contribution c) {
    if (c.rows == 0 || c.sums == null) {
      return;
    }
    Backend backend = model.backend();
    double rows = c.rows;
    int i = 0;
    if (state.averaging()) {
      for (String name : state.names) {
        model.set(name, mean(c.sums[i++], rows));
      }
      for (Tensor t : optimizer.state(model.trainableParameters()).values()) {
        backend.copyFromHost(mean(c.sums[i++], rows), 0, t);
      }
      optimizer.setStepCount(state.stepCount + c.steps);
      return;
    }
    for (Tensor g : gradients.values()) {
      backend.copyFromHost(mean(c.sums[i++], rows), 0, g);
    }
    optimizer.step(model.trainableParameters(), gradients);
    for (String name : model.buffers().keySet()) {
      model.set(name, mean(c.sums[i++], rows));
    }
  }

  /** {@code sums / rows}, rounded once to float. */
  private static float[] mean(double[] sums, double rows) {
    float[] out = new float[sums.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (sums[i] / rows);
    }
    return out;
  }

  private static Map<String, float[]> hostCopies(Model model) {
    Map<String, float[]> copies = new LinkedHashMap<>();
    model.namedTensors().forEach((n, t) -> copies.put(n, t.toArray()));
    return copies;
  }

  /** A loss sum over {@code rows} as the mean the loss is defined as (per row or per element). */
  private static double meanLoss(Loss loss, double sum, long rows, int outputs) {
    return loss.usesClassLabels() ? sum / rows : sum / ((double) rows * outputs);
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Batch normalization cannot train on a batch of one row (its variance is undefined). */
  private static void checkBatchNorm(ModelSpec spec, int[] shardRows, int batchRows) {
    int minimum = 1;
    for (LayerSpec layer : spec.layers()) {
      minimum = Math.max(minimum, layer.minimumTrainingRows());
    }
    if (minimum < 2) {
      return;
    }
    for (int i = 0; i < shardRows.length; i++) {
      if (batchRows == 1 || shardRows[i] % batchRows == 1) {
        throw new IllegalArgumentException(
            "worker "
                + i
                + " would train on a batch of one row ("
                + shardRows[i]
                + " rows in batches of "
                + batchRows
                + "), and batch normalization cannot estimate a variance from one row; choose"
                + " another batchSize or numWorkers");
      }
    }
  }

  private static void checkpoint(
      Settings s, Model model, Optimizer optimizer, int epoch, Configuration conf) {
    try {
      byte[] bytes =
          TempFiles.with(
              CHECKPOINT_FILE,
              file -> {
                ModelFile.saveCheckpoint(file, model, optimizer, epoch, s.seed(), null);
                return Files.readAllBytes(file);
              });
      HadoopFiles.write(s.checkpointDir() + "/" + CHECKPOINT_FILE, bytes, conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a checkpoint to " + s.checkpointDir(), e);
    }
  }

  /**
   * Loads the checkpoint in the checkpoint directory, if there is one, into {@code model} and
   * {@code optimizer}; returns the epochs it had completed (0 without a checkpoint).
   */
  private static int resume(Settings s, Model model, Optimizer optimizer, Configuration conf) {
    String path = s.checkpointDir() + "/" + CHECKPOINT_FILE;
    try {
      if (!HadoopFiles.exists(path, conf)) {
        return 0;
      }
      byte[] bytes = HadoopFiles.read(path, conf);
      return TempFiles.with(
          CHECKPOINT_FILE,
          file -> {
            Files.write(file, bytes);
            try (ModelFile.Restored restored =
                ModelFile.loadCheckpoint(file, model.backend(), optimizer)) {
              if (!restored.model().spec().equals(s.spec())
                  || restored.checkpoint().seed() != s.seed()) {
                throw new IllegalArgumentException(
                    "the checkpoint "
                        + path
                        + " is of another architecture or seed than this fit; remove it or choose"
                        + " another checkpointDir");
              }
              // Into the fit's own model, which knows its loss (a restored model does not).
              restored.model().namedTensors().forEach((n, t) -> model.set(n, t.toArray()));
              int epoch = restored.checkpoint().epoch();
              LOG.info("resuming from {} after epoch {}", path, epoch);
              return epoch;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint " + path, e);
    }
  }
}
