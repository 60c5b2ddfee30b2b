package dev.dnn.bench.gpu;

import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import dev.dnn.init.Init;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.optim.Sgd;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import dev.dnn.train.Trainer;
import dev.dnn.train.TrainingStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The performance figures of the CUDA backend, for a GPU machine without Maven (not a unit test):
 * one training step at batch 512 of the two reference networks, 784-10000-10000-10000-10 tanh and
 * 784-500-250-75-25-10 ReLU, each against its GEMM floor (the step's own matrix products timed
 * alone on the same backend), with the memory allocations made in steady state (0 when the pool
 * works), and a square GEMM rate. The step is the library's own ({@link Trainer#step}, what {@code
 * fit} runs per batch, the read of the batch loss included) and matches {@code
 * benchmarks/pytorch/step_time.py}: SGD 0.1, softmax cross-entropy, the batch resident on the
 * device, so both are compared on one GPU.
 *
 * <p>Arguments: {@code [--steps N] [--warmup N] [--large-on-cpu]}. The large network runs on the
 * CPU only when asked: there a step takes seconds.
 *
 * <p>Run it with {@code bench-gpu.sh} of the bundle that {@code scripts/gpu-bundle.sh} builds, or
 * with {@code java -cp benchmarks/target/benchmarks.jar dev.dnn.bench.gpu.GpuStepBenchmark}.
 */
public final class GpuStepBenchmark {
  private static final int BATCH = 512;
  private static final int CLASSES = 10;

  private record Network(String name, int[] sizes, Activation activation, Init init) {
    String shape() {
      return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }
  }

  private static final List<Network> NETWORKS =
      List.of(
          new Network(
              "large-tanh",
              new int[] {784, 10000, 10000, 10000, CLASSES},
              Activation.TANH,
              Init.GLOROT_UNIFORM),
          new Network(
              "small-relu",
              new int[] {784, 500, 250, 75, 25, CLASSES},
              Activation.RELU,
              Init.HE_NORMAL));

  private GpuStepBenchmark() {}

  /**
   * Prints the figures of every usable backend.
   *
   * @param args {@code [--steps N] [--warmup N] [--large-on-cpu]}
   */
  public static void main(String[] args) {
    int steps = 50;
    int warmup = 10;
    boolean largeOnCpu = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--large-on-cpu" -> largeOnCpu = true;
        default ->
            throw new IllegalArgumentException(
                "unknown argument '"
                    + args[i]
                    + "'; expected --steps N, --warmup N, --large-on-cpu");
      }
    }
    for (BackendProvider provider : Backends.providers()) {
      if (!provider.availability().usable()) {
        System.out.println(provider.name() + ": not usable: " + provider.availability().reason());
        continue;
      }
      try (Backend backend = provider.create()) {
        boolean gpu = !backend.name().equals("cpu");
        System.out.println(provider.name() + ": " + backend.description());
        squareGemm(backend, gpu ? 8192 : 1024, warmup, steps);
        for (Network network : NETWORKS) {
          if (gpu || largeOnCpu || !network.name().startsWith("large")) {
            trainingStep(backend, network, warmup, steps);
          }
        }
      }
    }
  }

  private static void squareGemm(Backend k, int n, int warmup, int repeats) {
    try (Tensor a = k.zeros(Shape.matrix(n, n));
        Tensor b = k.zeros(Shape.matrix(n, n));
        Tensor c = k.zeros(Shape.matrix(n, n))) {
      k.fillUniform(a, -1f, 1f, 1, 1);
      k.fillUniform(b, -1f, 1f, 1, 2);
      double seconds = time(k, () -> k.gemm(false, false, 1f, a, b, 0f, c), warmup, repeats);
      System.out.printf(
          Locale.ROOT,
          "%s: gemm %d^3: %.3f ms, %.1f GFLOP/s%n",
          k.name(),
          n,
          seconds * 1e3,
          2.0 * n * n * n / seconds / 1e9);
    }
  }

  private static void trainingStep(Backend k, Network network, int warmup, int repeats) {
    int[] sizes = network.sizes();
    List<LayerSpec> layers = new ArrayList<>();
    for (int i = 0; i + 1 < sizes.length; i++) {
      layers.add(Dense.of(sizes[i], sizes[i + 1]).init(network.init()));
      if (i + 2 < sizes.length) {
        layers.add(network.activation());
      }
    }
    try (Model model = Model.sequential(sizes[0], layers.toArray(LayerSpec[]::new)).on(k, 1);
        Sgd sgd = Sgd.learningRate(0.1);
        TrainingStep step =
            Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .optimizer(sgd)
                .batchSize(BATCH)
                .seed(1)
                .build()
                .step(model);
        Tensor x = k.zeros(Shape.matrix(BATCH, sizes[0]));
        Tensor y = k.zeros(Shape.vector(BATCH))) {
      k.fillUniform(x, 0f, 1f, 7, 1);
      float[] labels = new float[BATCH];
      for (int i = 0; i < BATCH; i++) {
        labels[i] = i % CLASSES;
      }
      k.copyFromHost(labels, 0, y);
      long[] stepNumber = {0};
      double[] loss = {0};
      Runnable oneStep = () -> loss[0] = step.run(x, y, 0, 0, ++stepNumber[0]);
      for (int i = 0; i < warmup; i++) {
        oneStep.run();
      }
      k.synchronize();
      long allocationsBefore = k.memoryStats().allocations();
      double seconds = time(k, oneStep, 0, repeats);
      long steadyAllocations = k.memoryStats().allocations() - allocationsBefore;
      if (!Double.isFinite(loss[0])) {
        throw new IllegalStateException(network.name() + ": the loss is " + loss[0]);
      }
      double floor = gemmFloor(k, sizes, warmup, repeats);
      System.out.printf(
          Locale.ROOT,
          "%s: %s %s batch %d: step %.3f ms, GEMM floor %.3f ms, step/floor %.2f, %.0f samples/s,"
              + " allocations in steady state %d, %s%n",
          k.name(),
          network.name(),
          network.shape(),
          BATCH,
          seconds * 1e3,
          floor * 1e3,
          seconds / floor,
          BATCH / seconds,
          steadyAllocations,
          k.memoryStats());
    }
  }

  /**
   * Seconds per step of the step's matrix products alone, each timed on its own: per layer the
   * forward product, the weight gradient and (above the first layer) the input gradient.
   */
  private static double gemmFloor(Backend k, int[] sizes, int warmup, int repeats) {
    double total = 0;
    for (int i = 0; i + 1 < sizes.length; i++) {
      int in = sizes[i];
      int out = sizes[i + 1];
      try (Tensor x = k.zeros(Shape.matrix(BATCH, in));
          Tensor w = k.zeros(Shape.matrix(in, out));
          Tensor z = k.zeros(Shape.matrix(BATCH, out));
          Tensor gw = k.zeros(Shape.matrix(in, out));
          Tensor gx = k.zeros(Shape.matrix(BATCH, in))) {
        k.fillUniform(x, -1f, 1f, 9, 2L * i);
        k.fillUniform(w, -1f, 1f, 9, 2L * i + 1);
        k.fillUniform(z, -1f, 1f, 9, 2L * i + 100);
        total += time(k, () -> k.gemm(false, false, 1f, x, w, 0f, z), warmup, repeats);
        total += time(k, () -> k.gemm(true, false, 1f, x, z, 0f, gw), warmup, repeats);
        if (i > 0) {
          total += time(k, () -> k.gemm(false, true, 1f, z, w, 0f, gx), warmup, repeats);
        }
      }
    }
    return total;
  }

  /**
   * Seconds per run of {@code op}: after the warm-up, at least {@code repeats} runs and enough more
   * to last about half a second, so that sub-millisecond steps are not timed over a few runs.
   */
  private static double time(Backend k, Runnable op, int warmup, int repeats) {
    for (int i = 0; i < warmup; i++) {
      op.run();
    }
    k.synchronize();
    long probeStart = System.nanoTime();
    op.run();
    k.synchronize();
    double probe = Math.max((System.nanoTime() - probeStart) / 1e9, 1e-6);
    int runs = (int) Math.min(20_000, Math.max(repeats, Math.ceil(0.5 / probe)));
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      op.run();
    }
    k.synchronize();
    return (System.nanoTime() - start) / 1e9 / runs;
  }
}
