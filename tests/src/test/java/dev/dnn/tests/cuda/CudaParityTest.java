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
import dev.dnn.cuda.CudaBackendProvider;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import dev.dnn.tests.Rounded;
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
 * <p>Tolerances, per element: each backend's result is within a bound of the exact value that
 * follows from the operation's arithmetic, so the two differ by at most the sum of their bounds.
 * Kernels that only move, pick or draw numbers (fill, copy, maxout, dropout masks, argmax, Philox)
 * must agree exactly. Sums and dot products use the bound of any summation order, {@code (n - 1) u
 * sum |x_i|}, on the magnitudes of their own terms. Element-wise formulas (losses, batch
 * normalization, optimizer rules) are bounded by a running error analysis of the formula ({@link
 * Rounded}). Activations use the bound that {@code ActivationConformanceTest} holds each backend to
 * against float64: {@code 32 u |f| + 4 u s}, s the scale of the term. {@link
 * #aResultOffByMoreThanItsBoundIsRejected} shows, on the CPU alone, that a result a few ulps past
 * its bound fails the comparison for every kernel.
 */
class CudaParityTest {
  private static final double U = Rounded.U;

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
    cpu = TestBackends.cpu(); // the bound checks need it even where CUDA is not usable
    String name = TestBackends.cudaUnderTest();
    if (!TestBackends.selected(name)) {
      skipReason = TestBackends.BACKENDS + " does not select " + name + " in this run";
      return;
    }
    provider =
        Backends.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    Availability availability =
        provider == null
            ? Availability.unusable("no backend named " + name + " on the class path")
            : provider.availability();
    if (!availability.usable()) {
      TestBackends.requireIfAskedFor(name, availability); // throws where this run needs it
      skipReason = name + " is not usable: " + TestBackends.reason(name, availability);
      System.err.println("[cuda-parity] skipping: " + skipReason);
      return;
    }
    cuda = provider.create();
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

  /**
   * The largest difference allowed between the two backends, per tensor and element, from the
   * inputs and the CPU's results.
   */
  @FunctionalInterface
  private interface Bound {
    double[][] allowed(float[][] in, float[][] cpu);
  }

  /** One kernel (or a short chain) with its inputs and the bound of its results. */
  private record Case(String name, Op op, Bound bound, Input... inputs) {
    float[][] data() {
      float[][] data = new float[inputs.length][];
      for (int i = 0; i < inputs.length; i++) {
        data[i] = inputs[i].data;
      }
      return data;
    }
  }

  /** Every tensor exactly as the CPU has it. */
  private static double[][] exact(float[][] in) {
    double[][] allowed = new double[in.length][];
    for (int t = 0; t < in.length; t++) {
      allowed[t] = new double[in[t].length];
    }
    return allowed;
  }

  /** Where an element of {@code actual} is further from {@code expected} than allowed; or null. */
  private static String mismatch(float[][] expected, float[][] actual, double[][] allowed) {
    for (int t = 0; t < expected.length; t++) {
      for (int i = 0; i < expected[t].length; i++) {
        double e = expected[t][i];
        double a = actual[t][i];
        boolean bothNaN = Double.isNaN(e) && Double.isNaN(a);
        if (!bothNaN && !(Math.abs(e - a) <= allowed[t][i])) {
          return String.format(
              "tensor %d element %d: cpu %.9g, other %.9g, difference %.3g, allowed %.3g",
              t, i, e, a, Math.abs(e - a), allowed[t][i]);
        }
      }
    }
    return null;
  }

  private static DynamicTest parity(Case c) {
    return DynamicTest.dynamicTest(
        c.name,
        () -> {
          float[][] expected = run(cpu, c.op, c.inputs);
          float[][] actual = run(cuda, c.op, c.inputs);
          double[][] allowed = c.bound.allowed(c.data(), expected);
          String wrong = mismatch(expected, actual, allowed);
          if (wrong != null) {
            fail(c.name + ": " + wrong);
          }
          // The headroom, for whoever reads the first runs on a new GPU.
          double worst = 0;
          for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < expected[t].length; i++) {
              if (allowed[t][i] > 0) {
                worst = Math.max(worst, Math.abs(expected[t][i] - actual[t][i]) / allowed[t][i]);
              }
            }
          }
          System.out.printf(
              java.util.Locale.ROOT,
              "[cuda-parity] %s: largest difference %.3f of its bound%n",
              c.name,
              worst);
        });
  }

  @TestFactory
  Stream<DynamicTest> everyKernelMatchesTheCpu() {
    requireCuda();
    return cases().stream().map(CudaParityTest::parity);
  }

  /**
   * The comparison is able to fail: for every kernel and every tensor it writes, a copy of the
   * CPU's result with one element moved four ulps past its bound is rejected, and the result itself
   * is accepted. Runs on the CPU alone, so that a machine without a GPU checks the bounds too.
   */
  @TestFactory
  Stream<DynamicTest> aResultOffByMoreThanItsBoundIsRejected() {
    return cases().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name,
                    () -> {
                      float[][] expected = run(cpu, c.op, c.inputs);
                      double[][] allowed = c.bound.allowed(c.data(), expected);
                      assertEquals(null, mismatch(expected, expected, allowed), "itself");
                      for (int t = 0; t < expected.length; t++) {
                        int at = widest(allowed[t], expected[t]);
                        if (at < 0) {
                          continue;
                        }
                        float[][] wrong = new float[expected.length][];
                        for (int k = 0; k < expected.length; k++) {
                          wrong[k] = expected[k].clone();
                        }
                        wrong[t][at] = pastTheBound(expected[t][at], allowed[t][at], 4);
                        assertTrue(
                            mismatch(expected, wrong, allowed) != null,
                            "tensor " + t + " element " + at + " moved past " + allowed[t][at]);
                      }
                    }));
  }

  /** The finite element with the widest bound (the hardest to move past), or -1. */
  private static int widest(double[] allowed, float[] values) {
    int at = -1;
    for (int i = 0; i < values.length; i++) {
      if (Float.isFinite(values[i]) && (at < 0 || allowed[i] > allowed[at])) {
        at = i;
      }
    }
    return at;
  }

  /** {@code value} moved up by {@code allowed} and then {@code ulps} more float32 steps. */
  private static float pastTheBound(float value, double allowed, int ulps) {
    float moved = (float) (value + allowed);
    while (moved - (double) value < allowed) {
      moved = Math.nextUp(moved);
    }
    for (int i = 0; i < ulps; i++) {
      moved = Math.nextUp(moved);
    }
    return moved;
  }

  /** Both backends within {@code perSide} of the exact value: their difference within twice it. */
  private static double both(double perSide) {
    return 2 * perSide;
  }

  /** {@code ActivationConformanceTest}'s bound of one backend: 32 u |value| + 4 u scale. */
  private static double activation(double value, double scale) {
    return 32 * U * Math.abs(value) + 4 * U * scale;
  }

  private static double[][] only(float[][] in, int tensor, double[] allowed) {
    double[][] all = exact(in);
    all[tensor] = allowed;
    return all;
  }

  /** Every kernel with its inputs and bound. */
  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    int r = 37;
    int c = 29;
    int k = 45;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        Input a = ta ? random(1, k, r) : random(1, r, k);
        Input b = tb ? random(2, c, k) : random(2, k, c);
        cases.add(
            new Case(
                "gemm ta=" + ta + " tb=" + tb,
                (be, t) -> be.gemm(ta, tb, 0.7f, t[0], t[1], 0.3f, t[2]),
                (in, out) -> only(in, 2, gemmBound(in, ta, tb, r, k, c, 0.7f, 0.3f)),
                a,
                b,
                random(3, r, c)));
      }
    }
    cases.add(
        new Case("fill", (be, t) -> be.fill(t[0], 3.25f), (in, out) -> exact(in), random(1, r, c)));
    cases.add(
        new Case(
            "copy",
            (be, t) -> be.copy(t[0], t[1]),
            (in, out) -> exact(in),
            random(1, r, c),
            random(2, r, c)));
    // One correctly rounded operation per element: u |result| on each side.
    cases.add(
        new Case(
            "scale",
            (be, t) -> be.scale(t[0], -1.5f),
            (in, out) -> only(in, 0, each(out[0], (i, v) -> both(U * Math.abs(v)))),
            random(1, r, c)));
    // y + alpha x: the product and the sum round (once if contracted).
    cases.add(
        new Case(
            "axpy",
            (be, t) -> be.axpy(0.5f, t[0], t[1]),
            (in, out) ->
                only(
                    in,
                    1,
                    each(out[1], (i, v) -> both(U * Math.abs(0.5 * in[0][i]) + U * Math.abs(v)))),
            random(1, r, c),
            random(2, r, c)));
    cases.add(
        new Case(
            "add aliasing",
            (be, t) -> be.add(t[0], t[1], t[0]),
            (in, out) -> only(in, 0, each(out[0], (i, v) -> both(U * Math.abs(v)))),
            random(1, r, c),
            random(2, r, c)));
    cases.add(
        new Case(
            "multiply",
            (be, t) -> be.multiply(t[0], t[1], t[2]),
            (in, out) -> only(in, 2, each(out[2], (i, v) -> both(U * Math.abs(v)))),
            random(1, r, c),
            random(2, r, c),
            random(3, r, c)));
    // out[j] + the 300 terms of column j, in any order.
    cases.add(
        new Case(
            "columnSums beta=1",
            (be, t) -> be.columnSums(t[0], 1f, t[1]),
            (in, out) ->
                only(
                    in,
                    1,
                    each(
                        out[1],
                        (j, v) -> {
                          List<Rounded> terms = new ArrayList<>();
                          for (int i = 0; i < 300; i++) {
                            terms.add(Rounded.of(in[0][i * c + j]));
                          }
                          terms.add(Rounded.of(in[1][j]));
                          return both(Rounded.sum(terms).error());
                        })),
            random(1, 300, c),
            random(2, 1, c)));
    cases.add(
        new Case(
            "fillUniform",
            (be, t) -> be.fillUniform(t[0], -2f, 3f, 1234L, 56L),
            (in, out) -> exact(in),
            random(1, r, c)));
    for (ActivationKind kind : ActivationKind.values()) {
      Input slopes = kind == ActivationKind.PRELU ? positive(5, 1, c) : positive(5, r, c);
      boolean usesSlopes = kind.usesSlopes();
      // z + bias rounds once, identically on both sides; f adds the activation bound (scale 2).
      cases.add(
          new Case(
              "forward " + kind,
              (be, t) ->
                  be.biasActivationForward(kind, 0.3f, usesSlopes ? t[3] : null, t[0], t[1], t[2]),
              (in, out) -> only(in, 2, each(out[2], (i, v) -> both(activation(v, 2)))),
              random(1, r, c),
              random(2, 1, c),
              random(3, r, c),
              slopes));
      // Both sides get the CPU's forward output, so the backward kernel alone is compared.
      Input z = random(1, r, c);
      Input forward =
          new Input(
              z.shape,
              run(
                  cpu,
                  (be, t) ->
                      be.biasActivationForward(
                          kind, 0.3f, usesSlopes ? t[2] : null, t[0], null, t[1]),
                  z,
                  random(2, r, c),
                  slopes)[1]);
      cases.add(
          new Case(
              "backward " + kind,
              (be, t) ->
                  be.activationBackward(
                      kind, 0.3f, usesSlopes ? t[4] : null, t[0], t[1], t[2], t[3]),
              (in, out) ->
                  only(in, 3, each(out[3], (i, v) -> both(activation(v, Math.abs(in[2][i]))))),
              z,
              forward,
              random(3, r, c),
              random(4, r, c),
              slopes));
    }
    cases.add(
        new Case(
            "kinks at zero",
            (be, t) -> {
              be.activationBackward(ActivationKind.RELU, 0.1f, null, t[0], t[0], t[1], t[2]);
              be.activationBackward(ActivationKind.ABS, 0.1f, null, t[0], t[0], t[1], t[3]);
              be.activationBackward(ActivationKind.LEAKY_RELU, 0.1f, null, t[0], t[0], t[1], t[4]);
            },
            (in, out) -> exact(in),
            constant(0f, 2, 3),
            constant(1f, 2, 3),
            constant(9f, 2, 3),
            constant(9f, 2, 3),
            constant(9f, 2, 3)));
    // gradSlopes[j] + the 200 products gradOut * min(0, z) of column j, in any order.
    cases.add(
        new Case(
            "preluSlopeGradient",
            (be, t) -> be.preluSlopeGradient(t[0], t[1], 1f, t[2]),
            (in, out) ->
                only(
                    in,
                    2,
                    each(
                        out[2],
                        (j, v) -> {
                          List<Rounded> terms = new ArrayList<>();
                          for (int i = 0; i < 200; i++) {
                            terms.add(
                                Rounded.of(in[1][i * c + j])
                                    .times(Rounded.of(Math.min(0, in[0][i * c + j]))));
                          }
                          terms.add(Rounded.of(in[2][j]));
                          return both(Rounded.sum(terms).error());
                        })),
            random(1, 200, c),
            random(2, 200, c),
            random(3, 1, c)));
    cases.add(
        new Case(
            "maxout",
            (be, t) -> {
              be.maxoutForward(t[0], 3, t[1], t[2]);
              be.maxoutBackward(t[1], t[2], 3, t[3]);
            },
            (in, out) -> exact(in),
            random(1, r, 3 * c),
            random(2, r, c),
            random(3, r, c),
            random(4, r, 3 * c)));
    cases.add(
        new Case(
            "dropout masks bit-identical",
            (be, t) -> {
              be.dropoutForward(t[0], 0.7f, 42L, 9L, t[1], t[2]);
              be.dropoutBackward(t[3], t[1], t[3]);
            },
            (in, out) -> exact(in),
            random(1, r, c),
            random(2, r, c),
            random(3, r, c),
            random(4, r, c)));
    cases.add(
        new Case(
            "softmax",
            (be, t) -> be.softmax(t[0], t[1]),
            (in, out) -> {
              double[] allowed = new double[in[1].length];
              for (int i = 0; i < r; i++) {
                Rounded[] p = softmaxRow(in[0], i, 70);
                for (int j = 0; j < 70; j++) {
                  allowed[i * 70 + j] = both(p[j].error());
                }
              }
              return only(in, 1, allowed);
            },
            random(1, r, 70),
            random(2, r, 70)));
    cases.add(
        new Case(
            "softmaxCrossEntropy",
            (be, t) -> be.softmaxCrossEntropy(t[0], t[1], t[2], t[3]),
            (in, out) -> crossEntropyBound(in, 300, 10),
            random(1, 300, 10),
            labels(300, 10),
            random(3, 300, 10),
            constant(0.5f, 1, 1)));
    cases.add(
        new Case(
            "sigmoidBinaryCrossEntropy",
            (be, t) -> be.sigmoidBinaryCrossEntropy(t[0], t[1], t[2], t[3]),
            (in, out) -> elementLossBound(in, CudaParityTest::binaryCrossEntropy),
            random(1, r, c),
            positive(2, r, c),
            random(3, r, c),
            constant(0f, 1, 1)));
    cases.add(
        new Case(
            "meanSquaredError",
            (be, t) -> be.meanSquaredError(t[0], t[1], t[2], t[3]),
            (in, out) -> elementLossBound(in, CudaParityTest::squaredError),
            random(1, r, c),
            random(2, r, c),
            random(3, r, c),
            constant(0f, 1, 1)));
    cases.add(
        new Case(
            "argmaxRows and countCorrect",
            (be, t) -> {
              be.argmaxRows(t[0], t[1]);
              be.countCorrect(t[0], t[2], t[3]);
            },
            (in, out) -> exact(in),
            random(1, 300, 10),
            labels(300, 1),
            labels(300, 10),
            constant(2f, 1, 1)));
    cases.add(
        new Case(
            "batchNorm training forward and backward",
            (be, t) -> {
              be.batchNormForward(
                  t[0], t[1], t[2], t[3], t[4], 0.1f, 1e-5f, true, t[5], t[6], t[7]);
              be.batchNormBackward(t[0], t[8], t[1], t[5], t[6], t[9], t[10], t[11]);
            },
            (in, out) -> batchNormTrainingBound(in, 64, c),
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
    cases.add(
        new Case(
            "batchNorm inference",
            (be, t) ->
                be.batchNormForward(
                    t[0], t[1], t[2], t[3], t[4], 0.1f, 1e-5f, false, t[5], t[5], t[6]),
            (in, out) -> batchNormInferenceBound(in, r, c),
            random(1, r, c),
            positive(2, 1, c),
            random(3, 1, c),
            random(4, 1, c),
            positive(5, 1, c),
            random(6, 1, c),
            random(7, r, c)));
    // Optimizers: three steps each, with both weight-decay forms, so state feeds back.
    cases.add(
        optimizer(
            "sgd",
            (be, t, step) -> be.sgdUpdate(t[0], t[1], new SgdStep(0.1f, 0.01f, 0.02f)),
            Rules::sgd));
    cases.add(
        optimizer(
            "momentum",
            (be, t, step) ->
                be.momentumUpdate(
                    t[0], t[1], t[2], new MomentumStep(0.1f, 0.9f, false, 0.01f, 0.02f)),
            (s, step) -> Rules.momentum(s, false)));
    cases.add(
        optimizer(
            "nesterov",
            (be, t, step) ->
                be.momentumUpdate(
                    t[0], t[1], t[2], new MomentumStep(0.1f, 0.9f, true, 0.01f, 0.02f)),
            (s, step) -> Rules.momentum(s, true)));
    cases.add(
        optimizer(
            "adagrad",
            (be, t, step) ->
                be.adaGradUpdate(t[0], t[1], t[2], new AdaGradStep(0.1f, 1e-8f, 0.01f, 0.02f)),
            Rules::adaGrad));
    cases.add(
        optimizer(
            "rmsprop",
            (be, t, step) ->
                be.rmsPropUpdate(
                    t[0], t[1], t[2], new RmsPropStep(0.01f, 0.9f, 1e-8f, 0.01f, 0.02f)),
            Rules::rmsProp));
    cases.add(
        optimizer(
            "adam",
            (be, t, step) ->
                be.adamUpdate(
                    t[0],
                    t[1],
                    t[2],
                    t[3],
                    new AdamStep(1e-3f, 0.9f, 0.999f, 1e-8f, step, 0.01f, 0.02f)),
            Rules::adam));
    cases.add(
        optimizer(
            "nadam",
            (be, t, step) -> be.nadamUpdate(t[0], t[1], t[2], t[3], nadamStep(step)),
            Rules::nadam));
    return cases;
  }

  private static NadamStep nadamStep(int step) {
    return new NadamStep(
        1e-3f,
        0.9f,
        0.999f,
        1e-8f,
        1e-4f * step,
        8e-4f,
        (float) (1 - Math.pow(0.999, step)),
        0.01f,
        0.02f);
  }

  @FunctionalInterface
  private interface PerElement {
    double at(int i, double value);
  }

  private static double[] each(float[] values, PerElement f) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = f.at(i, values[i]);
    }
    return out;
  }

  /**
   * C = alpha op(A) op(B) + beta C, per side: the k-term dot product {@code k u sum |a b|} (Higham
   * 3.1), the scaling by alpha, the sum and beta C one rounding each: {@code (k + 2) u |alpha| sum
   * |a b| + 2 u |beta c|}. With {@code dnn.cuda.tf32} cuBLAS rounds A and B to 10-bit mantissas
   * first: {@code 2 * 2^-11 |alpha| sum |a b|} more on that side.
   */
  private static double[] gemmBound(
      float[][] in, boolean ta, boolean tb, int m, int k, int n, float alpha, float beta) {
    double tf32 = Boolean.getBoolean(CudaBackendProvider.TF32_PROPERTY) ? 2 * 0x1p-11 : 0;
    double[] allowed = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double magnitude = 0;
        for (int p = 0; p < k; p++) {
          double x = ta ? in[0][p * m + i] : in[0][i * k + p];
          double y = tb ? in[1][j * k + p] : in[1][p * n + j];
          magnitude += Math.abs(x * y);
        }
        double side =
            (k + 2) * U * Math.abs(alpha) * magnitude
                + 2 * U * Math.abs(beta * (double) in[2][i * n + j]);
        allowed[i * n + j] = both(side) + tf32 * Math.abs(alpha) * magnitude;
      }
    }
    return allowed;
  }

  /**
   * One row of the softmax as the kernels form it: {@code m} the row maximum (exact), {@code s =
   * sum exp(z - m)}, {@code p_j = exp(z_j - m - ln s)}.
   */
  private static Rounded[] softmaxRow(float[] logits, int row, int cols) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < cols; j++) {
      max = Math.max(max, logits[row * cols + j]);
    }
    Rounded m = Rounded.of(max);
    List<Rounded> exps = new ArrayList<>();
    for (int j = 0; j < cols; j++) {
      exps.add(Rounded.of(logits[row * cols + j]).minus(m).exp());
    }
    Rounded logSum = Rounded.sum(exps).log();
    Rounded[] p = new Rounded[cols];
    for (int j = 0; j < cols; j++) {
      p[j] = Rounded.of(logits[row * cols + j]).minus(m).minus(logSum).exp();
    }
    return p;
  }

  /**
   * Softmax cross-entropy: {@code grad = (p - onehot) / rows} (1 / rows rounded once), and the loss
   * sum, its initial value plus each row's {@code m + ln s - z_label}, in any order.
   */
  private static double[][] crossEntropyBound(float[][] in, int rows, int cols) {
    double[][] allowed = exact(in);
    Rounded invRows = Rounded.roundedOnce(1.0 / rows);
    List<Rounded> losses = new ArrayList<>();
    losses.add(Rounded.of(in[3][0]));
    for (int i = 0; i < rows; i++) {
      int label = (int) in[1][i];
      Rounded[] p = softmaxRow(in[0], i, cols);
      for (int j = 0; j < cols; j++) {
        Rounded g = j == label ? p[j].minus(Rounded.of(1)) : p[j];
        allowed[2][i * cols + j] = both(g.times(invRows).error());
      }
      float max = Float.NEGATIVE_INFINITY;
      List<Rounded> exps = new ArrayList<>();
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, in[0][i * cols + j]);
      }
      for (int j = 0; j < cols; j++) {
        exps.add(Rounded.of(in[0][i * cols + j]).minus(Rounded.of(max)).exp());
      }
      Rounded logSum = Rounded.sum(exps).log();
      losses.add(Rounded.of(max).plus(logSum).minus(Rounded.of(in[0][i * cols + label])));
    }
    allowed[3][0] = both(Rounded.sum(losses).error());
    return allowed;
  }

  /** One element's loss and gradient (before the division by the count). */
  @FunctionalInterface
  private interface ElementLoss {
    Rounded[] lossAndGradient(float a, float b);
  }

  /** {@code max(z, 0) - z t + log1p(e)} and {@code s - t}, {@code e = exp(-|z|)}. */
  private static Rounded[] binaryCrossEntropy(float z, float t) {
    Rounded e = Rounded.of(z).abs().negate().exp();
    Rounded onePlus = Rounded.of(1).plus(e);
    Rounded s = z >= 0 ? Rounded.of(1).dividedBy(onePlus) : e.dividedBy(onePlus);
    Rounded loss =
        Rounded.of(Math.max(z, 0f)).minus(Rounded.of(z).times(Rounded.of(t))).plus(e.log1p());
    return new Rounded[] {loss, s.minus(Rounded.of(t))};
  }

  /** {@code d^2} and {@code 2 d}, {@code d = prediction - target}. */
  private static Rounded[] squaredError(float prediction, float target) {
    Rounded d = Rounded.of(prediction).minus(Rounded.of(target));
    return new Rounded[] {d.times(d), d.times(Rounded.of(2))};
  }

  /**
   * Element-wise losses: the gradient times {@code 1 / n} (rounded once), the loss sum its initial
   * value plus every element's loss, in any order.
   */
  private static double[][] elementLossBound(float[][] in, ElementLoss f) {
    double[][] allowed = exact(in);
    int n = in[0].length;
    Rounded inv = Rounded.roundedOnce(1.0 / n);
    List<Rounded> losses = new ArrayList<>();
    losses.add(Rounded.of(in[3][0]));
    for (int i = 0; i < n; i++) {
      Rounded[] lg = f.lossAndGradient(in[0][i], in[1][i]);
      losses.add(lg[0]);
      allowed[2][i] = both(lg[1].times(inv).error());
    }
    allowed[3][0] = both(Rounded.sum(losses).error());
    return allowed;
  }

  /**
   * Batch normalization, training forward then backward, per column as the kernel contract says:
   * mean and biased variance of the batch, {@code invStd = 1 / sqrt(var + eps)}, {@code out = gamma
   * (x - mean) invStd + beta}, running statistics moved by momentum; backward {@code dBeta = sum
   * g}, {@code dGamma = sum g xhat}, {@code gradIn = gamma invStd / n (n g - dBeta - xhat dGamma)}.
   * Tensors: 0 x, 1 gamma, 2 beta, 3 running mean, 4 running var, 5 saved mean, 6 saved invStd, 7
   * out, 8 gradOut, 9 gradIn, 10 gradGamma, 11 gradBeta.
   */
  private static double[][] batchNormTrainingBound(float[][] in, int n, int c) {
    double[][] allowed = exact(in);
    Rounded count = Rounded.of(n);
    Rounded momentum = Rounded.of(0.1f);
    Rounded keep = Rounded.of(1).minus(momentum);
    Rounded eps = Rounded.of(1e-5f);
    for (int j = 0; j < c; j++) {
      List<Rounded> xs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        xs.add(Rounded.of(in[0][i * c + j]));
      }
      Rounded mean = Rounded.sum(xs).dividedBy(count);
      List<Rounded> squares = new ArrayList<>();
      List<Rounded> centred = new ArrayList<>();
      for (Rounded x : xs) {
        Rounded d = x.minus(mean);
        centred.add(d);
        squares.add(d.times(d));
      }
      Rounded squareSum = Rounded.sum(squares);
      Rounded variance = squareSum.dividedBy(count);
      Rounded unbiased = squareSum.dividedBy(Rounded.of(n - 1));
      Rounded invStd = Rounded.of(1).dividedBy(variance.plus(eps).sqrt());
      Rounded gamma = Rounded.of(in[1][j]);
      allowed[5][j] = both(mean.error());
      allowed[6][j] = both(invStd.error());
      allowed[3][j] = both(keep.times(Rounded.of(in[3][j])).plus(momentum.times(mean)).error());
      allowed[4][j] = both(keep.times(Rounded.of(in[4][j])).plus(momentum.times(unbiased)).error());
      List<Rounded> gs = new ArrayList<>();
      List<Rounded> gxhats = new ArrayList<>();
      Rounded[] xhat = new Rounded[n];
      for (int i = 0; i < n; i++) {
        xhat[i] = centred.get(i).times(invStd);
        Rounded out = gamma.times(xhat[i]).plus(Rounded.of(in[2][j]));
        allowed[7][i * c + j] = both(out.error());
        Rounded g = Rounded.of(in[8][i * c + j]);
        gs.add(g);
        gxhats.add(g.times(xhat[i]));
      }
      Rounded dBeta = Rounded.sum(gs);
      Rounded dGamma = Rounded.sum(gxhats);
      allowed[11][j] = both(dBeta.error());
      allowed[10][j] = both(dGamma.error());
      Rounded scale = gamma.times(invStd).dividedBy(count);
      for (int i = 0; i < n; i++) {
        Rounded inner = count.times(gs.get(i)).minus(dBeta).minus(xhat[i].times(dGamma));
        allowed[9][i * c + j] = both(scale.times(inner).error());
      }
    }
    return allowed;
  }

  /**
   * Batch normalization at inference: {@code out = gamma (x - runningMean) / sqrt(runningVar + eps)
   * + beta}. Tensors: 0 x, 1 gamma, 2 beta, 3 running mean, 4 running var, 5 saved (untouched), 6
   * out.
   */
  private static double[][] batchNormInferenceBound(float[][] in, int n, int c) {
    double[][] allowed = exact(in);
    for (int j = 0; j < c; j++) {
      Rounded invStd = Rounded.of(1).dividedBy(Rounded.of(in[4][j]).plus(Rounded.of(1e-5f)).sqrt());
      for (int i = 0; i < n; i++) {
        Rounded out =
            Rounded.of(in[1][j])
                .times(Rounded.of(in[0][i * c + j]).minus(Rounded.of(in[3][j])).times(invStd))
                .plus(Rounded.of(in[2][j]));
        allowed[6][i * c + j] = both(out.error());
      }
    }
    return allowed;
  }

  @FunctionalInterface
  private interface Update {
    void apply(Backend backend, Tensor[] t, int step);
  }

  /** One optimizer rule on one element, in {@link Rounded} arithmetic: updates {@code s}. */
  @FunctionalInterface
  private interface Rule {
    void step(Rounded[] s, int step);
  }

  /**
   * Three steps of an optimizer: parameter (tensor 0), gradient (1, unchanged) and state (2, 3),
   * each bounded by the rule's running error analysis over the three steps.
   */
  private static Case optimizer(String name, Update update, Rule rule) {
    return new Case(
        name,
        (be, t) -> {
          for (int step = 1; step <= 3; step++) {
            update.apply(be, t, step);
          }
        },
        (in, out) -> {
          double[][] allowed = exact(in);
          for (int i = 0; i < in[0].length; i++) {
            Rounded[] s = {
              Rounded.of(in[0][i]), Rounded.of(in[1][i]), Rounded.of(in[2][i]), Rounded.of(in[3][i])
            };
            for (int step = 1; step <= 3; step++) {
              rule.step(s, step);
            }
            for (int t : new int[] {0, 2, 3}) {
              allowed[t][i] = both(s[t].error());
            }
          }
          return allowed;
        },
        random(1, 17, 13),
        random(2, 17, 13),
        constant(0f, 17, 13),
        constant(0f, 17, 13));
  }

  /**
   * The optimizer rules of the kernel contract in {@link Rounded} arithmetic, as the CPU backend
   * writes them (the CUDA kernels group the same products and quotients differently, which leaves a
   * first-order bound of products and quotients unchanged). {@code s = {p, g, state1, state2}};
   * learning rate times weight decay is rounded once on the host.
   */
  private static final class Rules {
    private static final Rounded L2 = Rounded.of(0.01f);

    private static Rounded decayed(Rounded p, float lr, Rounded step) {
      return p.minus(step).minus(Rounded.roundedOnce((double) lr * 0.02f).times(p));
    }

    private static Rounded gradient(Rounded[] s) {
      return s[1].plus(L2.times(s[0]));
    }

    static void sgd(Rounded[] s, int step) {
      Rounded lr = Rounded.of(0.1f);
      s[0] = decayed(s[0], 0.1f, lr.times(gradient(s)));
    }

    static void momentum(Rounded[] s, boolean nesterov) {
      Rounded lr = Rounded.of(0.1f);
      Rounded mu = Rounded.of(0.9f);
      Rounded g = gradient(s);
      Rounded velocity = mu.times(s[2]).plus(g);
      s[2] = velocity;
      Rounded direction = nesterov ? g.plus(mu.times(velocity)) : velocity;
      s[0] = decayed(s[0], 0.1f, lr.times(direction));
    }

    static void adaGrad(Rounded[] s, int step) {
      Rounded g = gradient(s);
      Rounded sum = s[2].plus(g.times(g));
      s[2] = sum;
      Rounded denominator = sum.sqrt().plus(Rounded.of(1e-8f));
      s[0] = decayed(s[0], 0.1f, Rounded.of(0.1f).times(g).dividedBy(denominator));
    }

    static void rmsProp(Rounded[] s, int step) {
      Rounded rho = Rounded.of(0.9f);
      Rounded g = gradient(s);
      Rounded mean = rho.times(s[2]).plus(Rounded.of(1).minus(rho).times(g).times(g));
      s[2] = mean;
      Rounded denominator = mean.sqrt().plus(Rounded.of(1e-8f));
      s[0] = decayed(s[0], 0.01f, Rounded.of(0.01f).times(g).dividedBy(denominator));
    }

    /** Both moments; returns {@code {m, v}} after the step. */
    private static Rounded[] moments(Rounded[] s, Rounded g) {
      Rounded b1 = Rounded.of(0.9f);
      Rounded b2 = Rounded.of(0.999f);
      s[2] = b1.times(s[2]).plus(Rounded.of(1).minus(b1).times(g));
      s[3] = b2.times(s[3]).plus(Rounded.of(1).minus(b2).times(g).times(g));
      return new Rounded[] {s[2], s[3]};
    }

    static void adam(Rounded[] s, int step) {
      Rounded g = gradient(s);
      Rounded[] mv = moments(s, g);
      Rounded stepSize = Rounded.of(1e-3f).dividedBy(Rounded.roundedOnce(1 - Math.pow(0.9f, step)));
      Rounded sqrtBc2 = Rounded.roundedOnce(Math.sqrt(1 - Math.pow(0.999f, step)));
      Rounded denominator = mv[1].sqrt().dividedBy(sqrtBc2).plus(Rounded.of(1e-8f));
      s[0] = decayed(s[0], 1e-3f, stepSize.times(mv[0]).dividedBy(denominator));
    }

    static void nadam(Rounded[] s, int step) {
      NadamStep h = nadamStep(step);
      Rounded g = gradient(s);
      Rounded[] mv = moments(s, g);
      Rounded d = mv[1].dividedBy(Rounded.of(h.biasCorrection2())).sqrt().plus(Rounded.of(1e-8f));
      Rounded move =
          Rounded.of(h.gradStep())
              .times(g)
              .dividedBy(d)
              .plus(Rounded.of(h.momentumStep()).times(mv[0]).dividedBy(d));
      s[0] = decayed(s[0], 1e-3f, move);
    }
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
    // The first loss is a forward pass of fixed weights: within the derived bound.
    assertEquals(cpuLosses[0], cudaLosses[0], both(firstLossBound()), "step 0");
    for (int step = 1; step < cpuLosses.length; step++) {
      // Not derived: Adam divides each gradient element by its own scale, so a rounding
      // difference in a gradient element near zero can change that weight's step by up to lr (1 -
      // beta1) / sqrt(1 - beta2) (Kingma and Ba, 2.1), and 20 steps compound it: no bound of the
      // arithmetic stays useful. Each kernel of the step is held to its bound above; this checks
      // that they compose, as a smoke test at 1e-3 of the loss.
      assertEquals(
          cpuLosses[step], cudaLosses[step], 1e-3 * Math.abs(cpuLosses[step]), "step " + step);
    }
    assertTrue(cudaLosses[19] < cudaLosses[0], "the loss should fall over 20 steps");
  }

  /**
   * One side's bound on the first loss of {@link #train}: x w1 (20 terms), ReLU (error passes
   * unchanged), h w2 (32 terms), each row's softmax cross-entropy (its gradient in the logits has
   * L1 norm at most 2, so the logits' errors add at most twice the largest; plus the formula's own
   * rounding), the sum over the rows in any order and the division by the batch on the host.
   */
  private static double firstLossBound() {
    int batch = 64;
    int in = 20;
    int hidden = 32;
    int classes = 5;
    float[] x = random(21, batch, in).data;
    float[] y = labels(batch, classes).data;
    float[] w1 = initialWeights(1, in * hidden);
    float[] w2 = initialWeights(2, hidden * classes);
    List<Rounded> rows = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      Rounded[] h = new Rounded[hidden];
      for (int j = 0; j < hidden; j++) {
        List<Rounded> terms = new ArrayList<>();
        for (int p = 0; p < in; p++) {
          terms.add(Rounded.of(x[i * in + p]).times(Rounded.of(w1[p * hidden + j])));
        }
        Rounded z = Rounded.sum(terms);
        h[j] = new Rounded(Math.max(z.value(), 0), z.error());
      }
      float[] logits = new float[classes];
      double logitError = 0;
      for (int c = 0; c < classes; c++) {
        List<Rounded> terms = new ArrayList<>();
        for (int j = 0; j < hidden; j++) {
          terms.add(h[j].times(Rounded.of(w2[j * classes + c])));
        }
        Rounded z = Rounded.sum(terms);
        logits[c] = (float) z.value();
        logitError = Math.max(logitError, z.error());
      }
      float max = Float.NEGATIVE_INFINITY;
      for (float v : logits) {
        max = Math.max(max, v);
      }
      List<Rounded> exps = new ArrayList<>();
      for (float v : logits) {
        exps.add(Rounded.of(v).minus(Rounded.of(max)).exp());
      }
      Rounded loss =
          Rounded.of(max).plus(Rounded.sum(exps).log()).minus(Rounded.of(logits[(int) y[i]]));
      rows.add(new Rounded(loss.value(), loss.error() + 2 * logitError));
    }
    return Rounded.sum(rows).dividedBy(Rounded.of(batch)).error();
  }

  /** The initial weights of {@link #train}: Philox uniforms of stream {@code stream}, in +-0.25. */
  private static float[] initialWeights(long stream, int n) {
    float[] w = new float[n];
    Philox.fillUniform(5, stream, 0, w, 0, n);
    for (int i = 0; i < n; i++) {
      w[i] = (w[i] - 0.5f) * 0.5f;
    }
    return w;
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
    float[] w1Init = initialWeights(1, in * hidden);
    float[] w2Init = initialWeights(2, hidden * classes);
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
