package dev.dnn.spark;

import dev.dnn.loss.Loss;
import java.io.Serializable;

/**
 * What the driver broadcasts at the start of a round: the architecture, every parameter and buffer
 * (batch-norm statistics), the optimizer's state when workers run several local steps, and where in
 * the epoch the round starts. Immutable once broadcast; shared by the tasks of an executor.
 */
final class RoundState implements Serializable {
  private static final long serialVersionUID = 1L;

  final String spec;
  final Loss loss;
  final long seed;
  final int batchRows;
  final int localSteps;
  final int epoch;
  final int firstStep;
  final long stepCount;
  final String optimizer;
  final double learningRate;
  final String[] names;
  final float[][] values;
  final String[] stateNames;
  final float[][] stateValues;

  RoundState(
      String spec,
      Loss loss,
      long seed,
      int batchRows,
      int localSteps,
      int epoch,
      int firstStep,
      long stepCount,
      String optimizer,
      double learningRate,
      String[] names,
      float[][] values,
      String[] stateNames,
      float[][] stateValues) {
    this.spec = spec;
    this.loss = loss;
    this.seed = seed;
    this.batchRows = batchRows;
    this.localSteps = localSteps;
    this.epoch = epoch;
    this.firstStep = firstStep;
    this.stepCount = stepCount;
    this.optimizer = optimizer;
    this.learningRate = learningRate;
    this.names = names;
    this.values = values;
    this.stateNames = stateNames;
    this.stateValues = stateValues;
  }

  /** Whether workers step their own optimizer and the driver averages (more than 1 local step). */
  boolean averaging() {
    return localSteps > 1;
  }
}
