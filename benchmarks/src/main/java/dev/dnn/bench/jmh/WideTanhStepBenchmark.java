package dev.dnn.bench.jmh;

import dev.dnn.backend.ActivationKind;
import java.util.List;
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
 * One training step of the lecture's large network, 784-10000-10000-10000-10 tanh with SGD, at
 * batch 512: about 1.7 GFLOP forward and twice that backward per step, so it runs on {@code cuda}
 * only (on the CPU a single step takes seconds; {@code -p backend=cpu} is refused).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class WideTanhStepBenchmark {
  /** The layer width of the three hidden layers. */
  public static final int WIDTH = 10_000;

  /** The backend; only {@code cuda} is accepted. */
  @Param({"cuda"})
  public String backend;

  /** Examples per step. */
  @Param({"512"})
  public int batch;

  private TrainingStep step;

  /** Builds the network on the GPU. */
  @Setup(Level.Trial)
  public void setUp() {
    if (!backend.equals("cuda")) {
      throw new IllegalStateException(
          "WideTanhStepBenchmark runs on cuda only: one step of 784-10000x3-10 on '"
              + backend
              + "' takes seconds; benchmark the CPU with TrainingStepBenchmark");
    }
    step =
        new TrainingStep(
            backend, List.of(WIDTH, WIDTH, WIDTH), ActivationKind.TANH, "sgd", 0.1, batch);
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
