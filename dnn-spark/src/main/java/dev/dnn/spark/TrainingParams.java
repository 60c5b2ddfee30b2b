package dev.dnn.spark;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The {@code Param} objects of one stage's dnn params (see {@link DnnTrainingParams}), created for
 * that stage (Spark params belong to the stage whose uid they carry) with their defaults. It has no
 * public members: {@link DnnTrainingParams}' default methods expose each param through a public
 * accessor, as Spark's reflection over {@code params()} requires, and read and set its value. Like
 * its stage, not safe to configure from several threads at once.
 */
public final class TrainingParams {
  final IntArrayParam hidden;
  final Param<String> activation;
  final Param<String> spec;
  final Param<String> optimizer;
  final DoubleParam stepSize;
  final IntParam batchSize;
  final IntParam epochs;
  final DoubleParam dropout;
  final LongParam seed;
  final IntParam numWorkers;
  final IntParam localSteps;
  final Param<String> validationIndicatorCol;
  final IntParam earlyStoppingPatience;
  final Param<String> checkpointDir;
  final IntParam checkpointInterval;

  TrainingParams(Params owner) {
    hidden =
        new IntArrayParam(
            owner,
            "hidden",
            "widths of the hidden dense layers, input side first (ignored when spec is set)",
            widths -> {
              for (int w : widths) {
                if (w < 1) {
                  return false;
                }
              }
              return true;
            });
    activation =
        new Param<>(
            owner, "activation", "activation of the hidden layers (relu, tanh, elu, selu, ...)");
    spec =
        new Param<>(
            owner,
            "spec",
            "the whole architecture as dnn's dnn.spec JSON; empty: hidden, activation and dropout");
    optimizer =
        new Param<>(owner, "optimizer", "sgd, momentum, nesterov, adagrad, rmsprop, adam or nadam");
    stepSize = new DoubleParam(owner, "stepSize", "learning rate (> 0)", ParamValidators.gt(0));
    batchSize =
        new IntParam(
            owner,
            "batchSize",
            "rows per synchronous step over all workers; each worker takes batchSize / numWorkers",
            ParamValidators.gtEq(1));
    epochs = new IntParam(owner, "epochs", "passes over the data (>= 1)", ParamValidators.gtEq(1));
    dropout =
        new DoubleParam(
            owner,
            "dropout",
            "fraction of hidden units dropped in training, in [0, 1) (ignored when spec is set)",
            ParamValidators.inRange(0, 1, true, false));
    seed = new LongParam(owner, "seed", "seed of the initial weights, shuffles and dropout masks");
    numWorkers =
        new IntParam(
            owner,
            "numWorkers",
            "partitions that train in parallel; 0: the Spark context's default parallelism",
            ParamValidators.gtEq(0));
    localSteps =
        new IntParam(
            owner,
            "localSteps",
            "mini-batches each worker runs per round; 1 is exact synchronous SGD, more average the"
                + " workers' parameters",
            ParamValidators.gtEq(1));
    validationIndicatorCol =
        new Param<>(
            owner,
            "validationIndicatorCol",
            "boolean column: true rows are held out for validation and early stopping");
    earlyStoppingPatience =
        new IntParam(
            owner,
            "earlyStoppingPatience",
            "epochs without a lower validation loss before training stops; 0: never stops early",
            ParamValidators.gtEq(0));
    checkpointDir =
        new Param<>(
            owner,
            "checkpointDir",
            "directory (any Hadoop file system) for training checkpoints; a fit resumes from one");
    checkpointInterval =
        new IntParam(
            owner,
            "checkpointInterval",
            "epochs between checkpoints (>= 1)",
            ParamValidators.gtEq(1));
    owner.setDefault(hidden, new int[] {64});
    owner.setDefault(activation, "relu");
    owner.setDefault(spec, "");
    owner.setDefault(optimizer, "adam");
    owner.setDefault(stepSize, 1e-3);
    owner.setDefault(batchSize, 128);
    owner.setDefault(epochs, 10);
    owner.setDefault(dropout, 0.0);
    owner.setDefault(seed, 0L);
    owner.setDefault(numWorkers, 0);
    owner.setDefault(localSteps, 1);
    owner.setDefault(validationIndicatorCol, "");
    owner.setDefault(earlyStoppingPatience, 5);
    owner.setDefault(checkpointDir, "");
    owner.setDefault(checkpointInterval, 1);
  }
}
