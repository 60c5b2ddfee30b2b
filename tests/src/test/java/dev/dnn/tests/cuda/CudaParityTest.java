package dev.dnn.tests.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.AdaGradStep;
import dev.dnn.backend.AdamStep;
import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import dev.dnn.backend.MemoryStats;
import dev.dnn.backend.MomentumStep;
import dev.dnn.backend.NadamStep;
import dev.dnn.backend.RmsPropStep;
import dev.dnn.backend.SgdStep;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import dev.dnn.tests.TestBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every kernel of the CUDA backend against the CPU backend on the same inputs, the random streams
 * bit for bit, and a 20-step seeded training run. Skips, with the reason printed, where CUDA is not
 * usable; with {@code -Ddnn.requireGpu=true} that is a failure instead.
 *
 * <p>Tolerances: element-wise kernels differ from Java only by the last bits of CUDA's expf, logf
 * and tanhf (at most 2 ulp each) and by FMA contraction, so {@code 1e-5} relative plus {@code 1e-6}
 * absolute covers them. Reductions and GEMMs sum in a different order; with inputs of magnitude 1
 * and at most a few hundred terms the float32 rounding error stays well below {@code 1e-4}
 * relative.
 */
class CudaParityTest {
  private static final double ELEMENTWISE = 1e-5;
  private static final double REDUCTION = 1e-4;

  private static Backend cuda;
  private static BackendProvider provider;
  private static Backend cpu;
  private static String skipReason;

  /** Skips the calling test (reported as skipped, with the reason) where CUDA is not usable. */
  private static void requireCuda() {
    Assumptions.assumeTrue(skipReason == null, skipReason);
  }

  @BeforeAll
  static void backends() {
    String name = TestBackends.cudaUnderTest();
    provider =
        Backends.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    Availability availability =
        provider == null
            ? Availability.unusable("no backend named " + name + " on the class path")
            : provider.availability();
    if (!availability.usable()) {
      TestBackends.requireIfAskedFor(name, availability); // throws where this run needs it
      System.err.println(
          "[cuda-parity] skipping: " + name + " is not usable: " + availability.reason());
      skipReason = name + " is not usable: " + availability.reason();
      return;
    }
    cuda = provider.create();
    cpu = TestBackends.cpu();
  }

  @AfterAll
  static void closeCuda() {
    if (cuda != null) {
      cuda.close();
    }
  }

  /** One operation applied to tensors of a backend; every tensor is compared afterwards. */
  @FunctionalInterface
  private interface Op {
    void apply(Backend backend, Tensor[] t);
  }

  private record Input(Shape shape, float[] data) {}

  private static Input random(long stream, int rows, int cols) {
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = 2f * Philox.uniform(99, stream, i) - 1f;
    }
    return new Input(Shape.matrix(rows, cols), data);
  }

  private static Input positive(long stream, int rows, int cols) {
    Input in = random(stream, rows, cols);
    for (int i = 0; i < in.data.length; i++) {
      in.data[i] = 0.1f + Math.abs(in.data[i]);
    }
    return in;
  }

  private static Input constant(float value, int rows, int cols) {
    float[] data = new float[rows * cols];
    java.util.Arrays.fill(data, value);
    return new Input(Shape.matrix(rows, cols), data);
  }

  private static Input labels(int rows, int classes) {
    float[] data = new float[rows];
    for (int i = 0; i < rows; i++) {
      data[i] = (float) Math.floor(Philox.uniform(7, 3, i) * classes);
    }
    return new Input(Shape.vector(rows), data);
  }

  private static float[][] run(Backend backend, Op op, Input... inputs) {
    Tensor[] tensors = new Tensor[inputs.length];
    try {
      for (int i = 0; i < inputs.length; i++) {
        tensors[i] = backend.fromHost(inputs[i].data, inputs[i].shape);
      }
      op.apply(backend, tensors);
      float[][] out = new float[tensors.length][];
      for (int i = 0; i < tensors.length; i++) {
        out[i] = tensors[i].toArray();
      }
      return out;
    } finally {
      for (Tensor t : tensors) {
        if (t != null) {
          t.close();
        }
      }
    }
  }

  private static DynamicTest parity(String name, double tolerance, Op op, Input... inputs) {
    return DynamicTest.dynamicTest(
        name,
        () -> {
          float[][] expected = run(cpu, op, inputs);
          float[][] actual = run(cuda, op, inputs);
          for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < expected[t].length; i++) {
              double e = expected[t][i];
              double a = actual[t][i];
              double allowed = tolerance * Math.abs(e) + tolerance / 10;
              if (!(Math.abs(e - a) <= allowed) && !(Double.isNaN(e) && Double.isNaN(a))) {
                fail(name + ": tensor " + t + " element " + i + ": cpu " + e + ", cuda " + a);
              }
            }
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> everyKernelMatchesTheCpu() {
    requireCuda();
    List<DynamicTest> tests = new ArrayList<>();
    int r = 37;
    int c = 29;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        Input a = ta ? random(1, 45, r) : random(1, r, 45);
        Input b = tb ? random(2, c, 45) : random(2, 45, c);
        tests.add(
            parity(
                "gemm ta=" + ta + " tb=" + tb,
                REDUCTION,
                (k, t) -> k.gemm(ta, tb, 0.7f, t[0], t[1], 0.3f, t[2]),
                a,
                b,
                random(3, r, c)));
      }
    }
    tests.add(parity("fill", 0, (k, t) -> k.fill(t[0], 3.25f), random(1, r, c)));
    tests.add(parity("copy", 0, (k, t) -> k.copy(t[0], t[1]), random(1, r, c), random(2, r, c)));
    tests.add(parity("scale", ELEMENTWISE, (k, t) -> k.scale(t[0], -1.5f), random(1, r, c)));
    tests.add(
        parity(
            "axpy",
            ELEMENTWISE,
            (k, t) -> k.axpy(0.5f, t[0], t[1]),
            random(1, r, c),
            random(2, r, c)));
    tests.add(
        parity(
            "add aliasing",
            ELEMENTWISE,
            (k, t) -> k.add(t[0], t[1], t[0]),
            random(1, r, c),
            random(2, r, c)));
    tests.add(
        parity(
            "multiply",
            ELEMENTWISE,
            (k, t) -> k.multiply(t[0], t[1], t[2]),
            random(1, r, c),
            random(2, r, c),
            random(3, r, c)));
    tests.add(
        parity(
            "columnSums beta=1",
            REDUCTION,
            (k, t) -> k.columnSums(t[0], 1f, t[1]),
            random(1, 300, c),
            random(2, 1, c)));
    tests.add(
        parity(
            "fillUniform", 0, (k, t) -> k.fillUniform(t[0], -2f, 3f, 1234L, 56L), random(1, r, c)));
    for (ActivationKind kind : ActivationKind.values()) {
      Input slopes = kind == ActivationKind.PRELU ? positive(5, 1, c) : positive(5, r, c);
      boolean usesSlopes = kind.usesSlopes();
      tests.add(
          parity(
              "forward " + kind,
              ELEMENTWISE,
              (k, t) ->
                  k.biasActivationForward(kind, 0.3f, usesSlopes ? t[3] : null, t[0], t[1], t[2]),
              random(1, r, c),
              random(2, 1, c),
              random(3, r, c),
              slopes));
      tests.add(
          parity(
              "backward " + kind,
              ELEMENTWISE,
              (k, t) -> {
                k.biasActivationForward(kind, 0.3f, usesSlopes ? t[4] : null, t[0], null, t[1]);
                k.activationBackward(kind, 0.3f, usesSlopes ? t[4] : null, t[0], t[1], t[2], t[3]);
              },
              random(1, r, c),
              random(2, r, c),
              random(3, r, c),
              random(4, r, c),
              slopes));
    }
    tests.add(
        parity(
            "kinks at zero",
            0,
            (k, t) -> {
              k.activationBackward(ActivationKind.RELU, 0.1f, null, t[0], t[0], t[1], t[2]);
              k.activationBackward(ActivationKind.ABS, 0.1f, null, t[0], t[0], t[1], t[3]);
              k.activationBackward(ActivationKind.LEAKY_RELU, 0.1f, null, t[0], t[0], t[1], t[4]);
            },
            constant(0f, 2, 3),
            constant(1f, 2, 3),
            constant(9f, 2, 3),
            constant(9f, 2, 3),
            constant(9f, 2, 3)));
    tests.add(
        parity(
            "preluSlopeGradient",
            REDUCTION,
            (k, t) -> k.preluSlopeGradient(t[0], t[1], 1f, t[2]),
            random(1, 200, c),
            random(2, 200, c),
            random(3, 1, c)));
    tests.add(
        parity(
            "maxout",
            0,
            (k, t) -> {
              k.maxoutForward(t[0], 3, t[1], t[2]);
              k.maxoutBackward(t[1], t[2], 3, t[3]);
            },
            random(1, r, 3 * c),
            random(2, r, c),
            random(3, r, c),
            random(4, r, 3 * c)));
    tests.add(
        parity(
            "dropout masks bit-identical",
            0,
            (k, t) -> {
              k.dropoutForward(t[0], 0.7f, 42L, 9L, t[1], t[2]);
              k.dropoutBackward(t[3], t[1], t[3]);
            },
            random(1, r, c),
            random(2, r, c),
            random(3, r, c),
            random(4, r, c)));
    tests.add(
        parity(
            "softmax",
            ELEMENTWISE,
            (k, t) -> k.softmax(t[0], t[1]),
            random(1, r, 70),
            random(2, r, 70)));
    tests.add(
        parity(
            "softmaxCrossEntropy",
            REDUCTION,
            (k, t) -> k.softmaxCrossEntropy(t[0], t[1], t[2], t[3]),
            random(1, 300, 10),
            labels(300, 10),
            random(3, 300, 10),
            constant(0.5f, 1, 1)));
    tests.add(
        parity(
            "sigmoidBinaryCrossEntropy",
            REDUCTION,
            (k, t) -> k.sigmoidBinaryCrossEntropy(t[0], t[1], t[2], t[3]),
            random(1, r, c),
            positive(2, r, c),
            random(3, r, c),
            constant(0f, 1, 1)));
    tests.add(
        parity(
            "meanSquaredError",
            REDUCTION,
            (k, t) -> k.meanSquaredError(t[0], t[1], t[2], t[3]),
            random(1, r, c),
            random(2, r, c),
            random(3, r, c),
            constant(0f, 1, 1)));
    tests.add(
        parity(
            "argmaxRows and countCorrect",
            0,
            (k, t) -> {
              k.argmaxRows(t[0], t[1]);
              k.countCorrect(t[0], t[2], t[3]);
            },
            random(1, 300, 10),
            labels(300, 1),
            labels(300, 10),
            constant(2f, 1, 1)));
    tests.add(
        parity(
            "batchNorm training forward and backward",
            REDUCTION,
            (k, t) -> {
              k.batchNormForward(t[0], t[1], t[2], t[3], t[4], 0.1f, 1e-5f, true, t[5], t[6], t[7]);
              k.batchNormBackward(t[0], t[8], t[1], t[5], t[6], t[9], t[10], t[11]);
            },
            random(1, 64, c),
            positive(2, 1, c),
            random(3, 1, c),
            random(4, 1, c),
            positive(5, 1, c),
            random(6, 1, c),
            random(7, 1, c),
            random(8, 64, c),
            random(9, 64, c),
            random(10, 64, c),
            random(11, 1, c),
            random(12, 1, c)));
    tests.add(
        parity(
            "batchNorm inference",
            ELEMENTWISE,
            (k, t) ->
                k.batchNormForward(
                    t[0], t[1], t[2], t[3], t[4], 0.1f, 1e-5f, false, t[5], t[5], t[6]),
            random(1, r, c),
            positive(2, 1, c),
            random(3, 1, c),
            random(4, 1, c),
            positive(5, 1, c),
            random(6, 1, c),
            random(7, r, c)));
    // Optimizers: three steps each, with both weight-decay forms, so state feeds back.
    tests.add(
        optimizer("sgd", (k, t, step) -> k.sgdUpdate(t[0], t[1], new SgdStep(0.1f, 0.01f, 0.02f))));
    tests.add(
        optimizer(
            "momentum",
            (k, t, step) ->
                k.momentumUpdate(
                    t[0], t[1], t[2], new MomentumStep(0.1f, 0.9f, false, 0.01f, 0.02f))));
    tests.add(
        optimizer(
            "nesterov",
            (k, t, step) ->
                k.momentumUpdate(
                    t[0], t[1], t[2], new MomentumStep(0.1f, 0.9f, true, 0.01f, 0.02f))));
    tests.add(
        optimizer(
            "adagrad",
            (k, t, step) ->
                k.adaGradUpdate(t[0], t[1], t[2], new AdaGradStep(0.1f, 1e-8f, 0.01f, 0.02f))));
    tests.add(
        optimizer(
            "rmsprop",
            (k, t, step) ->
                k.rmsPropUpdate(
                    t[0], t[1], t[2], new RmsPropStep(0.01f, 0.9f, 1e-8f, 0.01f, 0.02f))));
    tests.add(
        optimizer(
            "adam",
            (k, t, step) ->
                k.adamUpdate(
                    t[0],
                    t[1],
                    t[2],
                    t[3],
                    new AdamStep(1e-3f, 0.9f, 0.999f, 1e-8f, step, 0.01f, 0.02f))));
    tests.add(
        optimizer(
            "nadam",
            (k, t, step) ->
                k.nadamUpdate(
                    t[0],
                    t[1],
                    t[2],
                    t[3],
                    new NadamStep(
                        1e-3f,
                        0.9,
                        0.999,
                        1e-8f,
                        1e-4f * step,
                        8e-4f,
                        (float) (1 - Math.pow(0.999, step)),
                        0.01f,
                        0.02f))));
    return tests.stream();
  }

  @FunctionalInterface
  private interface Update {
    void apply(Backend backend, Tensor[] t, int step);
  }

  private static DynamicTest optimizer(String name, Update update) {
    return parity(
        name,
        ELEMENTWISE * 10, // three chained steps, and sqrt/division in the rules
        (k, t) -> {
          for (int step = 1; step <= 3; step++) {
            update.apply(k, t, step);
          }
        },
        random(1, 17, 13),
        random(2, 17, 13),
        constant(0f, 17, 13),
        constant(0f, 17, 13));
  }

  @Test
  void reductionsMatch() {
    requireCuda();
    Input x = random(1, 123, 45);
    try (Tensor a = cpu.fromHost(x.data, x.shape);
        Tensor b = cuda.fromHost(x.data, x.shape)) {
      // The device sums in float along a tree: each thread's grid-stride partial (at most
      // ceil(n / 256) terms, the one-block worst case), a 256-thread block tree (depth 8), the
      // grid total of the block sums (one fixed partial, then a block tree again). A float sum
      // along a tree of depth d is off by at most d * u * sum|x| (Higham, Accuracy and Stability,
      // 4.3), u = 2^-24; the CPU sums in double and rounds once (u * |sum|). Squaring each term
      // rounds once more. The bound is on the sum of magnitudes: the sum itself may be near zero.
      int n = x.data.length;
      double depth = Math.ceil(n / 256.0) + 8 + 1 + 8;
      double u = 0x1p-24;
      double magnitudes = 0;
      double squares = 0;
      for (float v : x.data) {
        magnitudes += Math.abs(v);
        squares += (double) v * v;
      }
      float sum = cpu.sum(a);
      assertEquals(sum, cuda.sum(b), depth * u * magnitudes + u * Math.abs(sum));
      assertEquals(
          cpu.squaredNorm(a), cuda.squaredNorm(b), (depth + 1) * u * squares + u * squares);
    }
  }

  @Test
  void anInvalidLabelIsReportedAtTheNextWait() {
    requireCuda();
    try (Tensor logits = cuda.zeros(Shape.matrix(4, 3));
        Tensor labels = cuda.fromHost(new float[] {0, 1, 7, 2}, Shape.vector(4));
        Tensor grad = cuda.zeros(Shape.matrix(4, 3));
        Tensor loss = cuda.zeros(Shape.vector(1))) {
      cuda.softmaxCrossEntropy(logits, labels, grad, loss);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, loss::toArray);
      assertTrue(e.getMessage().contains("row 2"), e.getMessage());
      cuda.synchronize(); // reported once; the backend stays usable
    }
  }

  @Test
  void fillUniformMatchesTheJavaGenerator() {
    requireCuda();
    int n = 1001; // not a multiple of four: the last Philox block is partial
    try (Tensor t = cuda.zeros(Shape.vector(n))) {
      cuda.fillUniform(t, 0f, 1f, 0x1234_5678_9abcL, 77L);
      float[] expected = new float[n];
      Philox.fillUniform(0x1234_5678_9abcL, 77L, 0, expected, 0, n);
      assertArrayEquals(expected, t.toArray());
    }
  }

  /** The same seeded two-layer network trained for 20 Adam steps on both backends. */
  @Test
  void seededTrainingCurvesAgree() {
    requireCuda();
    float[] cpuLosses = train(cpu);
    float[] cudaLosses = train(cuda);
    for (int step = 0; step < cpuLosses.length; step++) {
      // Differences start at float32 rounding of GEMM sums and grow slowly over 20 steps.
      assertEquals(
          cpuLosses[step], cudaLosses[step], 1e-3 * Math.abs(cpuLosses[step]), "step " + step);
    }
    assertTrue(cudaLosses[19] < cudaLosses[0], "the loss should fall over 20 steps");
  }

  @Test
  void steadyStateStepsDoNotAllocate() {
    requireCuda();
    train(cuda);
    MemoryStats before = cuda.memoryStats();
    train(cuda);
    assertEquals(before.allocations(), cuda.memoryStats().allocations());
  }

  @Test
  void closingTheBackendReturnsEveryBlock() {
    requireCuda();
    Backend own = provider.create();
    Tensor leftOpen;
    try {
      train(own);
      leftOpen = own.zeros(Shape.matrix(300, 7)); // a tensor still open when the backend closes
      assertTrue(own.memoryStats().inUse() > 0);
      assertTrue(own.memoryStats().cached() > 0, "train() closes its tensors into the cache");
    } finally {
      own.close();
    }
    assertEquals(0, own.memoryStats().inUse());
    assertEquals(0, own.memoryStats().cached());
    leftOpen.close(); // after the backend: must neither fail nor free the block a second time
    assertEquals(0, own.memoryStats().inUse());
  }

  private static float[] train(Backend k) {
    int batch = 64;
    int in = 20;
    int hidden = 32;
    int classes = 5;
    Input x = random(21, batch, in);
    Input y = labels(batch, classes);
    float[] w1Init = new float[in * hidden];
    Philox.fillUniform(5, 1, 0, w1Init, 0, w1Init.length);
    float[] w2Init = new float[hidden * classes];
    Philox.fillUniform(5, 2, 0, w2Init, 0, w2Init.length);
    for (int i = 0; i < w1Init.length; i++) {
      w1Init[i] = (w1Init[i] - 0.5f) * 0.5f;
    }
    for (int i = 0; i < w2Init.length; i++) {
      w2Init[i] = (w2Init[i] - 0.5f) * 0.5f;
    }
    float[] losses = new float[20];
    List<Tensor> all = new ArrayList<>();
    try {
      Tensor xs = track(all, k.fromHost(x.data, x.shape));
      Tensor ys = track(all, k.fromHost(y.data, y.shape));
      Tensor w1 = track(all, k.fromHost(w1Init, Shape.matrix(in, hidden)));
      Tensor b1 = track(all, k.zeros(Shape.vector(hidden)));
      Tensor w2 = track(all, k.fromHost(w2Init, Shape.matrix(hidden, classes)));
      Tensor b2 = track(all, k.zeros(Shape.vector(classes)));
      Tensor[] params = {w1, b1, w2, b2};
      Tensor[] grads = new Tensor[4];
      Tensor[] m = new Tensor[4];
      Tensor[] v = new Tensor[4];
      for (int p = 0; p < 4; p++) {
        grads[p] = track(all, k.zeros(params[p].shape()));
        m[p] = track(all, k.zeros(params[p].shape()));
        v[p] = track(all, k.zeros(params[p].shape()));
      }
      Tensor z1 = track(all, k.zeros(Shape.matrix(batch, hidden)));
      Tensor h1 = track(all, k.zeros(Shape.matrix(batch, hidden)));
      Tensor z2 = track(all, k.zeros(Shape.matrix(batch, classes)));
      Tensor g2 = track(all, k.zeros(Shape.matrix(batch, classes)));
      Tensor g1 = track(all, k.zeros(Shape.matrix(batch, hidden)));
      Tensor loss = track(all, k.zeros(Shape.vector(1)));
      float[] host = new float[1];
      for (int step = 1; step <= 20; step++) {
        k.gemm(false, false, 1f, xs, w1, 0f, z1);
        k.biasActivationForward(ActivationKind.RELU, 0f, null, z1, b1, h1);
        k.gemm(false, false, 1f, h1, w2, 0f, z2);
        k.biasActivationForward(ActivationKind.LINEAR, 0f, null, z2, b2, z2);
        k.fill(loss, 0f);
        k.softmaxCrossEntropy(z2, ys, g2, loss);
        k.gemm(true, false, 1f, h1, g2, 0f, grads[2]);
        k.columnSums(g2, 0f, grads[3]);
        k.gemm(false, true, 1f, g2, w2, 0f, g1);
        k.activationBackward(ActivationKind.RELU, 0f, null, z1, h1, g1, g1);
        k.gemm(true, false, 1f, xs, g1, 0f, grads[0]);
        k.columnSums(g1, 0f, grads[1]);
        for (int p = 0; p < 4; p++) {
          k.adamUpdate(
              params[p],
              grads[p],
              m[p],
              v[p],
              new AdamStep(0.01f, 0.9f, 0.999f, 1e-8f, step, 0f, 0f));
        }
        k.copyToHost(loss, host, 0);
        losses[step - 1] = host[0] / batch;
      }
    } finally {
      all.forEach(Tensor::close);
    }
    return losses;
  }

  private static Tensor track(List<Tensor> all, Tensor t) {
    all.add(t);
    return t;
  }
}
