package dev.dnn.spark;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The training parameters that {@link DnnClassifier} and {@link DnnRegressor} share, with their
 * getters and chainable setters. Like every Spark stage, an implementation is not safe to configure
 * from several threads at once.
 *
 * @param <T> the estimator, which the setters return
 */
public interface DnnTrainingParams<T extends DnnTrainingParams<T>> extends Params {
  /**
   * The {@code Param} objects of this stage's dnn params, made once when the stage is constructed
   * (a Java interface holds no fields, so each estimator keeps them and hands them out here). Read
   * and set their values through the accessors and setters below.
   */
  TrainingParams trainingParams();

  /** Widths of the hidden dense layers, input side first (default {@code [64]}). */
  default IntArrayParam hidden() {
    return trainingParams().hidden;
  }

  /** Activation of the hidden layers by dnn's name (default {@code relu}). */
  default Param<String> activation() {
    return trainingParams().activation;
  }

  /** The whole architecture as dnn's {@code dnn.spec} JSON; empty (the default) builds one. */
  default Param<String> spec() {
    return trainingParams().spec;
  }

  /** The optimizer by dnn's name (default {@code adam}). */
  default Param<String> optimizer() {
    return trainingParams().optimizer;
  }

  /** The learning rate (default 1e-3). */
  default DoubleParam stepSize() {
    return trainingParams().stepSize;
  }

  /** Rows per synchronous step over all workers (default 128). */
  default IntParam batchSize() {
    return trainingParams().batchSize;
  }

  /** Passes over the training rows (default 10). */
  default IntParam epochs() {
    return trainingParams().epochs;
  }

  /** Fraction of hidden units dropped in training (default 0). */
  default DoubleParam dropout() {
    return trainingParams().dropout;
  }

  /** Seed of the initial weights, shuffles and dropout masks (default 0). */
  default LongParam seed() {
    return trainingParams().seed;
  }

  /** Partitions that train in parallel; 0 (the default) takes the default parallelism. */
  default IntParam numWorkers() {
    return trainingParams().numWorkers;
  }

  /** Mini-batches each worker runs per round (default 1: exact synchronous SGD). */
  default IntParam localSteps() {
    return trainingParams().localSteps;
  }

  /** Boolean column marking validation rows; empty (the default): no validation. */
  default Param<String> validationIndicatorCol() {
    return trainingParams().validationIndicatorCol;
  }

  /** Epochs without a lower validation loss before training stops (default 5; 0: never). */
  default IntParam earlyStoppingPatience() {
    return trainingParams().earlyStoppingPatience;
  }

  /** Directory of training checkpoints; empty (the default): none. */
  default Param<String> checkpointDir() {
    return trainingParams().checkpointDir;
  }

  /** Epochs between checkpoints (default 1). */
  default IntParam checkpointInterval() {
    return trainingParams().checkpointInterval;
  }

  /** This estimator, typed for the setters. */
  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  /** The hidden widths. */
  default int[] getHidden() {
    return getOrDefault(hidden()).clone();
  }

  /** Sets the hidden widths. */
  default T setHidden(int... widths) {
    set(hidden(), widths.clone());
    return self();
  }

  /** The hidden activation's name. */
  default String getActivation() {
    return getOrDefault(activation());
  }

  /** Sets the hidden activation by name ({@code relu}, {@code tanh}, {@code elu}, ...). */
  default T setActivation(String name) {
    set(activation(), name);
    return self();
  }

  /** The architecture JSON, or empty. */
  default String getSpec() {
    return getOrDefault(spec());
  }

  /** Sets the whole architecture as dnn's {@code dnn.spec} JSON (empty: built from hidden). */
  default T setSpec(String json) {
    set(spec(), json);
    return self();
  }

  /** The optimizer's name. */
  default String getOptimizer() {
    return getOrDefault(optimizer());
  }

  /** Sets the optimizer by name ({@code sgd}, {@code momentum}, {@code adam}, ...). */
  default T setOptimizer(String name) {
    set(optimizer(), name);
    return self();
  }

  /** The learning rate. */
  default double getStepSize() {
    return (Double) getOrDefault(stepSize());
  }

  /** Sets the learning rate. */
  default T setStepSize(double rate) {
    set(stepSize(), rate);
    return self();
  }

  /** Rows per synchronous step. */
  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  /** Sets the rows per synchronous step over all workers. */
  default T setBatchSize(int rows) {
    set(batchSize(), rows);
    return self();
  }

  /** Passes over the data. */
  default int getEpochs() {
    return (Integer) getOrDefault(epochs());
  }

  /** Sets the passes over the data. */
  default T setEpochs(int count) {
    set(epochs(), count);
    return self();
  }

  /** The dropout fraction. */
  default double getDropout() {
    return (Double) getOrDefault(dropout());
  }

  /** Sets the fraction of hidden units dropped in training. */
  default T setDropout(double fraction) {
    set(dropout(), fraction);
    return self();
  }

  /** The seed. */
  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  /** Sets the seed of the initial weights, shuffles and dropout masks. */
  default T setSeed(long value) {
    set(seed(), value);
    return self();
  }

  /** Partitions that train in parallel (0: default parallelism). */
  default int getNumWorkers() {
    return (Integer) getOrDefault(numWorkers());
  }

  /** Sets the partitions that train in parallel. */
  default T setNumWorkers(int count) {
    set(numWorkers(), count);
    return self();
  }

  /** Mini-batches per worker per round. */
  default int getLocalSteps() {
    return (Integer) getOrDefault(localSteps());
  }

  /** Sets the mini-batches each worker runs per round. */
  default T setLocalSteps(int count) {
    set(localSteps(), count);
    return self();
  }

  /** The validation indicator column, or empty. */
  default String getValidationIndicatorCol() {
    return getOrDefault(validationIndicatorCol());
  }

  /** Sets the boolean column whose true rows are held out for validation. */
  default T setValidationIndicatorCol(String column) {
    set(validationIndicatorCol(), column);
    return self();
  }

  /** Epochs without improvement before stopping (0: never). */
  default int getEarlyStoppingPatience() {
    return (Integer) getOrDefault(earlyStoppingPatience());
  }

  /** Sets the epochs without a lower validation loss before training stops (0: never). */
  default T setEarlyStoppingPatience(int epochs) {
    set(earlyStoppingPatience(), epochs);
    return self();
  }

  /** The checkpoint directory, or empty. */
  default String getCheckpointDir() {
    return getOrDefault(checkpointDir());
  }

  /** Sets the checkpoint directory (a fit finding a checkpoint there resumes from it). */
  default T setCheckpointDir(String directory) {
    set(checkpointDir(), directory);
    return self();
  }

  /** Epochs between checkpoints. */
  default int getCheckpointInterval() {
    return (Integer) getOrDefault(checkpointInterval());
  }

  /** Sets the epochs between checkpoints. */
  default T setCheckpointInterval(int epochs) {
    set(checkpointInterval(), epochs);
    return self();
  }
}
