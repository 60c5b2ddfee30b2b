package dev.dnn.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory and operation counts of a run, from its shape, worked out by hand. */
class RunCostTest {
  private static RunConfig mlp(int epochs) {
    return ExperimentPlan.select(ExperimentPlan.configs(Scale.SMALL, 1), List.of("MLP"))
        .get(0)
        .withEpochs(epochs);
  }

  @Test
  void theSmallMlpCountedByHand() {
    // 784-256-10, SGD, batch 512; 8,000 / 1,000 / 1,000 examples, 15 epochs.
    RunCost cost = RunCost.of(mlp(15), 784, 10, 8_000, 1_000, 1_000);
    // 784 x 256 + 256 + 256 x 10 + 10
    assertEquals(203_530, cost.parameters());
    assertEquals(4L * 203_530, cost.parameterBytes());
    assertEquals(4L * 203_530, cost.gradientBytes());
    assertEquals(0, cost.optimizerBytes()); // plain SGD keeps no state
    // Per batch row: (3 x 256 + 784) + (3 x 10 + 256) = 1,838 floats, for 2 batch sizes of 512;
    // evaluation: 3 x 1,024 x 784 (the widest layer is the input).
    assertEquals(4L * (2 * 512 * 1_838 + 3 * 1_024 * 784), cost.activationBytes());
    assertEquals(
        cost.parameterBytes() + cost.gradientBytes() + cost.activationBytes(), cost.heapBytes());
    // M = 784 x 256 + 256 x 10 = 203,264 multiply-adds; training 6M - 2 x 784 x 256.
    assertEquals(818_176, cost.trainingFlopsPerExample());
    assertEquals(406_528, cost.forwardFlopsPerExample());
    assertEquals(16, cost.stepsPerEpoch()); // ceil(8,000 / 512)
    assertEquals(240, cost.steps());
    assertEquals(818_176.0 * 512, cost.flopsPerStep());
    assertEquals(818_176.0 * 8_000 + 406_528.0 * 1_000, cost.flopsPerEpoch());
    assertEquals(15 * cost.flopsPerEpoch() + 406_528.0 * 10_000, cost.totalFlops());
  }

  @Test
  void theLecturesWidthAndAdamsTwoSlots() {
    List<RunConfig> full = ExperimentPlan.configs(Scale.FULL, 1);
    RunConfig deepTanh = ExperimentPlan.select(full, List.of("Deep-tanh")).get(0);
    RunCost deep = RunCost.of(deepTanh.withEpochs(2), 784, 3, 16_342, 2_043, 2_043);
    // 784 x 10,000 + 10,000 + 2 x (10,000 x 10,000 + 10,000) + 10,000 x 3 + 3
    assertEquals(207_900_003L, deep.parameters());
    assertEquals(32, deep.stepsPerEpoch()); // ceil(16,342 / 512)
    assertEquals(64, deep.steps());
    RunConfig tuned = ExperimentPlan.select(full, List.of("Tuned")).get(0);
    RunCost adam = RunCost.of(tuned, 784, 10, 1_000, 100, 100);
    assertEquals(2 * adam.parameterBytes(), adam.optimizerBytes());
    assertEquals(1, RunCost.optimizerSlots("momentum"));
  }
}
