package dev.dnn.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The estimate and the ETA from timed steps, on a clock the test moves. */
class RunClockTest {
  private long now;

  private static RunCost smallMlp() {
    RunConfig mlp =
        ExperimentPlan.select(ExperimentPlan.configs(Scale.SMALL, 1), List.of("MLP")).get(0);
    return RunCost.of(mlp, 784, 10, 8_000, 1_000, 1_000); // 16 steps an epoch, 15 epochs
  }

  @Test
  void theStepsAfterTheWarmUpGiveTheRateAndTheEstimate() {
    RunCost cost = smallMlp();
    RunClock clock = new RunClock(cost, () -> now);
    now = 5_000_000_000L; // the warm-up step: 5 s, not counted in the rate
    assertFalse(clock.stepDone(0, 0));
    assertTrue(Double.isNaN(clock.etaSeconds()));
    for (int batch = 1; batch <= 3; batch++) {
      now += 1_000_000_000L; // then 1 s a step
      assertEquals(batch == 3, clock.stepDone(0, batch), "step " + batch);
    }
    // 3 steps of flopsPerStep in 3 s.
    double rate = cost.flopsPerStep();
    assertEquals(rate, clock.flopsPerSecond(), rate * 1e-12);
    // Left: the total less the 4 steps done, at that rate; the estimate adds the 8 s gone.
    double eta = cost.totalFlops() / rate - 4;
    assertEquals(eta, clock.etaSeconds(), 1e-9);
    assertEquals(8 + eta, clock.estimatedSeconds(), 1e-9);
    assertEquals(cost.totalFlops() / rate, RunClock.seconds(cost, rate), 1e-9);
    // The estimate is announced once; later steps only move the ETA.
    now += 1_000_000_000L;
    assertFalse(clock.stepDone(0, 4));
    assertEquals(eta - 1, clock.etaSeconds(), 1e-9);
  }

  @Test
  void anEpochShorterThanTheMeasurementEndsIt() {
    RunConfig mlp =
        ExperimentPlan.select(ExperimentPlan.configs(Scale.SMALL, 1), List.of("MLP")).get(0);
    RunCost cost = RunCost.of(mlp, 784, 10, 1_000, 100, 100); // 2 steps an epoch
    RunClock clock = new RunClock(cost, () -> now);
    now = 1_000_000_000L;
    assertFalse(clock.stepDone(0, 0));
    now += 1_000_000_000L;
    assertFalse(clock.stepDone(0, 1));
    now += 1_000_000_000L;
    assertTrue(clock.epochDone(0));
    // From the warm-up to the epoch's end, 2 s: the second step and the dev evaluation.
    double done = cost.flopsPerEpoch() - 512 * cost.trainingFlopsPerExample();
    assertEquals(done / 2, clock.flopsPerSecond(), done * 1e-12);
  }
}
