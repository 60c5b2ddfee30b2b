package dev.dnn.bench.jmh;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * The matrix products of one {@link TrainingStepBenchmark} step alone, on the same backend and at
 * the same batch: per dense layer of 784-500-250-75-25-10 the forward product {@code X W} (NN) and
 * the weight gradient {@code X^T dZ} (TN), and above the first layer the input gradient {@code dZ
 * W^T} (NT), as the dense layers issue them (the step computes no gradient of the input features).
 * Fourteen products, ended by {@link Backend#synchronize()}: the floor the step is measured
 * against, its score divided by this one is the step's overhead factor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class TrainingStepGemmsBenchmark {
  /** The widths of the tuned network, input first. */
  static final int[] WIDTHS = {TrainingStep.FEATURES, 500, 250, 75, 25, TrainingStep.CLASSES};

  /** The backend: {@code cpu} or {@code cuda}. */
  @Param({"cpu", "cuda"})
  public String backend;

  /** Examples per step. */
  @Param({"512"})
  public int batch;

  private Backend k;
  private final List<Tensor> tensors = new ArrayList<>();
  private final List<Runnable> products = new ArrayList<>();

  /** Allocates the operands of every product, filled with uniform values. */
  @Setup(Level.Trial)
  public void setUp() {
    k = BenchmarkBackends.open(backend);
    Random random = new Random(1);
    for (int i = 0; i + 1 < WIDTHS.length; i++) {
      int in = WIDTHS[i];
      int out = WIDTHS[i + 1];
      Tensor x = operand(Shape.matrix(batch, in), random);
      Tensor w = operand(Shape.matrix(in, out), random);
      Tensor z = operand(Shape.matrix(batch, out), random);
      Tensor gradZ = operand(Shape.matrix(batch, out), random);
      Tensor gradW = operand(Shape.matrix(in, out), random);
      products.add(() -> k.gemm(false, false, 1f, x, w, 0f, z));
      products.add(() -> k.gemm(true, false, 1f, x, gradZ, 0f, gradW));
      if (i > 0) {
        Tensor gradX = operand(Shape.matrix(batch, in), random);
        products.add(() -> k.gemm(false, true, 1f, gradZ, w, 0f, gradX));
      }
    }
  }

  private Tensor operand(Shape shape, Random random) {
    Tensor t = BenchmarkBackends.uniform(k, shape, random, -1f, 1f);
    tensors.add(t);
    return t;
  }

  /** Frees the operands and the backend. */
  @TearDown(Level.Trial)
  public void tearDown() {
    tensors.forEach(Tensor::close);
    if (k != null) {
      k.close();
    }
  }

  /** The step's fourteen products. */
  @Benchmark
  public void gemms() {
    for (Runnable product : products) {
      product.run();
    }
    k.synchronize();
  }
}
