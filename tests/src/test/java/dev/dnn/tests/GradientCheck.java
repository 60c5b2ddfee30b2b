package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Pass;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compares the gradients a backend computes with central finite differences of the loss.
 *
 * <p>The loss is evaluated by the backend in float32; the difference quotient {@code (L(p + eps) -
 * L(p - eps)) / 2 eps} is formed on the host in float64. With {@code eps = 1e-3} the truncation
 * error {@code eps^2 / 6 * L'''} is about 1e-7 and negligible; the dominant error is float32
 * rounding of the loss, a few ulps of a value of order 1 (about 3e-7), divided by {@code 2 eps}:
 * about 1.5e-4. The tolerance {@code 1e-3 + 1e-2 |g|} covers that with margin, while a wrong
 * derivative (a missing factor, a wrong sign, a dropped term) is off by far more.
 */
final class GradientCheck {
  static final double EPS = 1e-3;
  static final double ABS_TOL = 1e-3;
  static final double REL_TOL = 1e-2;

  private final Backend backend;
  private final Model model;
  private final Loss loss;
  private final float[] x;
  private final int rows;
  private final Tensor input;
  private final Tensor targets;
  private final Tensor lossSum;
  private final Tensor gradScratch;
  private final Pass pass = Pass.training(11, 3);

  GradientCheck(Backend backend, ModelSpec spec, Loss loss, float[] x, int rows, float[] targets) {
    this.backend = backend;
    this.model = spec.on(backend, 7);
    this.loss = loss;
    this.x = x.clone();
    this.rows = rows;
    this.input = backend.fromHost(x, Shape.matrix(rows, spec.inputs()));
    this.targets =
        loss.usesClassLabels()
            ? backend.fromHost(targets, Shape.vector(rows))
            : backend.fromHost(targets, Shape.matrix(rows, spec.outputs()));
    this.lossSum = backend.zeros(Shape.vector(1));
    this.gradScratch = backend.zeros(Shape.matrix(rows, spec.outputs()));
  }

  Model model() {
    return model;
  }

  /** The mean loss at the current parameters and input. */
  double loss() {
    backend.fill(lossSum, 0f);
    Tensor out = model.forward(input, pass);
    loss.apply(backend, out, targets, gradScratch, lossSum);
    return backend.sum(lossSum) / loss.normalizer(rows, model.outputCount());
  }

  /** Checks every parameter gradient and the input gradient; returns the number of checks. */
  int run(String what) {
    backend.fill(lossSum, 0f);
    Tensor out = model.forward(input, pass);
    Tensor grad = backend.zeros(out.shape());
    loss.apply(backend, out, targets, grad, lossSum);
    float[] inputGradient = model.backward(grad, true).toArray();
    grad.close();
    Map<String, float[]> analytic = new LinkedHashMap<>();
    model.gradients().forEach((name, t) -> analytic.put(name, t.toArray()));
    int checks = 0;
    for (Map.Entry<String, float[]> e : analytic.entrySet()) {
      String name = e.getKey();
      float[] p = model.get(name);
      for (int i = 0; i < p.length; i++) {
        float saved = p[i];
        p[i] = (float) (saved + EPS);
        model.set(name, p);
        double plus = loss();
        p[i] = (float) (saved - EPS);
        model.set(name, p);
        double minus = loss();
        p[i] = saved;
        model.set(name, p);
        double numeric = (plus - minus) / (2 * EPS);
        assertClose(numeric, e.getValue()[i], what + ": d loss / d " + name + "[" + i + "]");
        checks++;
      }
    }
    for (int i = 0; i < x.length; i++) {
      float saved = x[i];
      x[i] = (float) (saved + EPS);
      backend.copyFromHost(x, 0, input);
      double plus = loss();
      x[i] = (float) (saved - EPS);
      backend.copyFromHost(x, 0, input);
      double minus = loss();
      x[i] = saved;
      backend.copyFromHost(x, 0, input);
      double numeric = (plus - minus) / (2 * EPS);
      assertClose(numeric, inputGradient[i], what + ": d loss / d input[" + i + "]");
      checks++;
    }
    return checks;
  }

  private static void assertClose(double numeric, double analytic, String what) {
    double tolerance = ABS_TOL + REL_TOL * Math.max(Math.abs(numeric), Math.abs(analytic));
    assertTrue(
        Math.abs(numeric - analytic) <= tolerance,
        () -> what + ": finite difference " + numeric + " vs backend " + analytic);
  }

  void close() {
    model.close();
    input.close();
    targets.close();
    lossSum.close();
    gradScratch.close();
  }
}
