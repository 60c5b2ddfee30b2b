package dev.dnn.tests.cuda;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A short smoke benchmark for GPU runners (not a unit test): a large GEMM and one training step of
 * a 784-500-10 network with batch 512 (forward, fused softmax cross-entropy, backward, Adam), timed
 * on every usable backend. Prints one line per measurement. For careful numbers use the JMH
 * benchmarks module.
 *
 * <p>Run it with {@code bench-gpu.sh} of the bundle that {@code scripts/gpu-bundle.sh} builds.
 */
public final class GpuStepBenchmark {
  private static final int WARMUP = 5;
  private static final int REPEATS = 20;

  private GpuStepBenchmark() {}

  public static void main(String[] args) {
    for (BackendProvider provider : Backends.providers()) {
      if (!provider.availability().usable()) {
        System.out.println(provider.name() + ": not usable: " + provider.availability().reason());
        continue;
      }
      try (Backend backend = provider.create()) {
        System.out.println(provider.name() + ": " + backend.description());
        gemm(backend, backend.name().equals("cuda") ? 4096 : 1024); // similar seconds on each
        trainingStep(backend, 512);
      }
    }
  }

  private static void gemm(Backend k, int n) {
    try (Tensor a = k.zeros(Shape.matrix(n, n));
        Tensor b = k.zeros(Shape.matrix(n, n));
        Tensor c = k.zeros(Shape.matrix(n, n))) {
      k.fillUniform(a, -1f, 1f, 1, 1);
      k.fillUniform(b, -1f, 1f, 1, 2);
      double seconds = time(k, () -> k.gemm(false, false, 1f, a, b, 0f, c));
      report(k, "gemm " + n + "^3", seconds, 2.0 * n * n * n / seconds / 1e9, "GFLOP/s");
    }
  }

  private static void trainingStep(Backend k, int batch) {
    List<Tensor> all = new ArrayList<>();
    try {
      Tensor x = track(all, k.zeros(Shape.matrix(batch, 784)));
      Tensor y = track(all, k.zeros(Shape.vector(batch)));
      Tensor w1 = track(all, k.zeros(Shape.matrix(784, 500)));
      Tensor b1 = track(all, k.zeros(Shape.vector(500)));
      Tensor w2 = track(all, k.zeros(Shape.matrix(500, 10)));
      Tensor b2 = track(all, k.zeros(Shape.vector(10)));
      k.fillUniform(x, 0f, 1f, 3, 1);
      k.fillUniform(w1, -0.05f, 0.05f, 3, 2);
      k.fillUniform(w2, -0.1f, 0.1f, 3, 3);
      Tensor[] params = {w1, b1, w2, b2};
      Tensor[] grads = new Tensor[4];
      Tensor[] m = new Tensor[4];
      Tensor[] v = new Tensor[4];
      for (int p = 0; p < 4; p++) {
        grads[p] = track(all, k.zeros(params[p].shape()));
        m[p] = track(all, k.zeros(params[p].shape()));
        v[p] = track(all, k.zeros(params[p].shape()));
      }
      Tensor z1 = track(all, k.zeros(Shape.matrix(batch, 500)));
      Tensor h1 = track(all, k.zeros(Shape.matrix(batch, 500)));
      Tensor z2 = track(all, k.zeros(Shape.matrix(batch, 10)));
      Tensor g2 = track(all, k.zeros(Shape.matrix(batch, 10)));
      Tensor g1 = track(all, k.zeros(Shape.matrix(batch, 500)));
      Tensor loss = track(all, k.zeros(Shape.vector(1)));
      int[] step = {0};
      double seconds =
          time(
              k,
              () -> {
                step[0]++;
                k.gemm(false, false, 1f, x, w1, 0f, z1);
                k.biasActivationForward(ActivationKind.RELU, 0f, null, z1, b1, h1);
                k.gemm(false, false, 1f, h1, w2, 0f, z2);
                k.biasActivationForward(ActivationKind.LINEAR, 0f, null, z2, b2, z2);
                k.softmaxCrossEntropy(z2, y, g2, loss);
                k.gemm(true, false, 1f, h1, g2, 0f, grads[2]);
                k.columnSums(g2, 0f, grads[3]);
                k.gemm(false, true, 1f, g2, w2, 0f, g1);
                k.activationBackward(ActivationKind.RELU, 0f, null, z1, h1, g1, g1);
                k.gemm(true, false, 1f, x, g1, 0f, grads[0]);
                k.columnSums(g1, 0f, grads[1]);
                for (int p = 0; p < 4; p++) {
                  k.adamUpdate(
                      params[p], grads[p], m[p], v[p], 1e-3f, 0.9f, 0.999f, 1e-8f, step[0], 0f, 0f);
                }
              });
      report(k, "train step 784-500-10 batch " + batch, seconds, batch / seconds, "samples/s");
      System.out.println(k.name() + ": memory " + k.memoryStats());
    } finally {
      all.forEach(Tensor::close);
    }
  }

  private static double time(Backend k, Runnable op) {
    for (int i = 0; i < WARMUP; i++) {
      op.run();
    }
    k.synchronize();
    long start = System.nanoTime();
    for (int i = 0; i < REPEATS; i++) {
      op.run();
    }
    k.synchronize();
    return (System.nanoTime() - start) / 1e9 / REPEATS;
  }

  private static void report(Backend k, String what, double seconds, double rate, String unit) {
    System.out.println(
        String.format(
            Locale.ROOT, "%s: %s: %.3f ms, %.1f %s", k.name(), what, seconds * 1e3, rate, unit));
  }

  private static Tensor track(List<Tensor> all, Tensor t) {
    all.add(t);
    return t;
  }
}
