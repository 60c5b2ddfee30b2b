package dev.dnn.bench.jmh;

import dev.dnn.backend.ActivationKind;
import dev.dnn.cli.run.ExperimentPlan;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the tuned network, 784-500-250-75-25-10 ReLU with Adam, at batch 512, by the
 * step {@code Trainer.fit} runs: host upload, forward, softmax + cross-entropy, the read of the
 * batch loss, backward and update. Divide the batch by the score for examples per millisecond.
 * {@link TrainingStepGemmsBenchmark} times the same step's matrix products alone; run both in one
 * JMH run ({@code TrainingStep}) to compare them. Where no GPU is usable, run with {@code -p
 * backend=cpu}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class TrainingStepBenchmark {
  /** The backend: {@code cpu} or {@code cuda}. */
  @Param({"cpu", "cuda"})
  public String backend;

  /** Examples per step. */
  @Param({"512"})
  public int batch;

  private TrainingStep step;

  /** Builds the network on the backend. */
  @Setup(Level.Trial)
  public void setUp() {
    step =
        new TrainingStep(backend, ExperimentPlan.FUNNEL, ActivationKind.RELU, "adam", 1e-3, batch);
  }

  /** Frees the network and the backend. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (step != null) {
      step.close();
    }
  }

  /** One step; returns its loss, so that the step's result is used. */
  @Benchmark
  public double step() {
    return step.run();
  }
}
