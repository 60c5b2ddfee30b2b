package dev.dnn.tests;

import static dev.dnn.tests.Check.EPS;

import dev.dnn.backend.AdaGradStep;
import dev.dnn.backend.AdamStep;
import dev.dnn.backend.Backend;
import dev.dnn.backend.MomentumStep;
import dev.dnn.backend.NadamStep;
import dev.dnn.backend.RmsPropStep;
import dev.dnn.backend.SgdStep;
import dev.dnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fused optimizer update, several steps, against its float64 equations: L2 coupled to the
 * gradient, decoupled weight decay applied to the parameter as it was before the step.
 */
class OptimizerConformanceTest {
  private static final int SIZE = 513;
  private static final int STEPS = 4;
  private static final float LR = 0.05f;

  /** One step of the float64 rule on {@code p} with the effective gradient {@code g}. */
  private interface Rule {
    void apply(int step, int i, double[] p, double g, double[][] state);
  }

  /** One step of the backend's fused update. */
  private interface Update {
    void apply(int step, Tensor p, Tensor g, Tensor[] state, float l2, float weightDecay);
  }

  private static void run(Backend backend, String name, int stateCount, Rule rule, Update update) {
    float[][] decays = {{0f, 0f}, {0.01f, 0f}, {0f, 0.1f}, {0.02f, 0.05f}};
    for (float[] decay : decays) {
      float l2 = decay[0];
      float weightDecay = decay[1];
      float[] p0 = Check.uniform(1, SIZE, -2, 2);
      double[] p = Check.toDouble(p0);
      double[][] state = new double[stateCount][SIZE];
      // Per step: the new parameter is formed from numbers of size |p| and the update |dp| with
      // a few roundings, and the update itself (quotients, square roots, the float32 state)
      // carries some tens of EPS relative; errors add up over the steps.
      double[] tolerance = new double[SIZE];
      String what = name + " l2=" + l2 + " weightDecay=" + weightDecay;
      try (TensorScope s = new TensorScope(backend)) {
        Tensor tp = s.vector(p0);
        Tensor[] tState = new Tensor[stateCount];
        for (int k = 0; k < stateCount; k++) {
          tState[k] = s.zeros(SIZE);
        }
        for (int step = 1; step <= STEPS; step++) {
          float[] g = Check.uniform(100 + step, SIZE, -1, 1);
          g[step] = 0f; // a zero gradient on some element of each step
          for (int i = 0; i < SIZE; i++) {
            double old = p[i];
            double effective = g[i] + l2 * old;
            rule.apply(step, i, p, effective, state);
            p[i] -= (double) LR * weightDecay * old;
            tolerance[i] += 4 * EPS * Math.abs(p[i]) + 64 * EPS * Math.abs(p[i] - old);
          }
          Tensor tg = s.vector(g);
          update.apply(step, tp, tg, tState, l2, weightDecay);
          Check.assertClose(what + " step " + step, p, tp.toArray(), tolerance);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void sgd(Backend backend) {
    run(
        backend,
        "sgdUpdate",
        0,
        (t, i, p, g, st) -> p[i] -= LR * g,
        (t, p, g, st, l2, wd) -> backend.sgdUpdate(p, g, new SgdStep(LR, l2, wd)));
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void momentumPlainAndNesterov(Backend backend) {
    float mu = 0.9f;
    for (boolean nesterov : new boolean[] {false, true}) {
      run(
          backend,
          "momentumUpdate nesterov=" + nesterov,
          1,
          (t, i, p, g, st) -> {
            st[0][i] = mu * st[0][i] + g;
            p[i] -= LR * (nesterov ? g + mu * st[0][i] : st[0][i]);
          },
          (t, p, g, st, l2, wd) ->
              backend.momentumUpdate(p, g, st[0], new MomentumStep(LR, mu, nesterov, l2, wd)));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void adaGrad(Backend backend) {
    float eps = 1e-7f;
    run(
        backend,
        "adaGradUpdate",
        1,
        (t, i, p, g, st) -> {
          st[0][i] += g * g;
          p[i] -= LR * g / (Math.sqrt(st[0][i]) + eps);
        },
        (t, p, g, st, l2, wd) ->
            backend.adaGradUpdate(p, g, st[0], new AdaGradStep(LR, eps, l2, wd)));
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void rmsProp(Backend backend) {
    float rho = 0.9f;
    float eps = 1e-6f;
    run(
        backend,
        "rmsPropUpdate",
        1,
        (t, i, p, g, st) -> {
          st[0][i] = rho * st[0][i] + (1 - rho) * g * g;
          p[i] -= LR * g / (Math.sqrt(st[0][i]) + eps);
        },
        (t, p, g, st, l2, wd) ->
            backend.rmsPropUpdate(p, g, st[0], new RmsPropStep(LR, rho, eps, l2, wd)));
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void adamWithBiasCorrection(Backend backend) {
    float b1 = 0.9f;
    float b2 = 0.999f;
    float eps = 1e-7f;
    run(
        backend,
        "adamUpdate",
        2,
        (t, i, p, g, st) -> {
          st[0][i] = b1 * st[0][i] + (1 - b1) * g;
          st[1][i] = b2 * st[1][i] + (1 - b2) * g * g;
          double mHat = st[0][i] / (1 - Math.pow(b1, t));
          double vHat = st[1][i] / (1 - Math.pow(b2, t));
          p[i] -= LR * mHat / (Math.sqrt(vHat) + eps);
        },
        (t, p, g, st, l2, wd) ->
            backend.adamUpdate(p, g, st[0], st[1], new AdamStep(LR, b1, b2, eps, t, l2, wd)));
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void nadamWithHostCoefficients(Backend backend) {
    float b1 = 0.9f;
    float b2 = 0.999f;
    float eps = 1e-7f;
    // One schedule per run of four steps; the reference and the backend share its coefficients.
    double[][][] coefficients = new double[1][][];
    run(
        backend,
        "nadamUpdate",
        2,
        (t, i, p, g, st) -> {
          if (i == 0) {
            if (t == 1) {
              coefficients[0] = new double[STEPS + 1][];
              NadamSchedule schedule =
                  new NadamSchedule(b1, b2, 0.004, NadamSchedule.Form.CONTRACT);
              for (int k = 1; k <= STEPS; k++) {
                coefficients[0][k] = schedule.next(k, LR);
              }
            }
          }
          double[] c = coefficients[0][t];
          st[0][i] = b1 * st[0][i] + (1 - b1) * g;
          st[1][i] = b2 * st[1][i] + (1 - b2) * g * g;
          double d = Math.sqrt(st[1][i] / c[2]) + eps;
          p[i] -= c[0] * g / d + c[1] * st[0][i] / d;
        },
        (t, p, g, st, l2, wd) -> {
          double[] c = coefficients[0][t];
          backend.nadamUpdate(
              p,
              g,
              st[0],
              st[1],
              new NadamStep(LR, b1, b2, eps, (float) c[0], (float) c[1], (float) c[2], l2, wd));
        });
  }
}
