package dev.dnn.cpu;

import dev.dnn.backend.AdaGradStep;
import dev.dnn.backend.AdamStep;
import dev.dnn.backend.MomentumStep;
import dev.dnn.backend.NadamStep;
import dev.dnn.backend.RmsPropStep;
import dev.dnn.backend.SgdStep;

/**
 * The fused optimizer updates over array ranges, following PyTorch. Each first forms {@code g =
 * grad + l2 * p}, applies its rule, and finally the decoupled weight decay {@code p -= lr * wd *
 * p_old} on the parameter as it was before the step. Every update goes through {@link #update},
 * which splits the tensor over threads; the rules are element-wise, so the split never changes a
 * bit.
 */
class OptimizerKernels {
  /** Adam's constants for one step, the bias corrections worked out once per update. */
  record AdamTerms(
      float beta1, float beta2, float eps, float l2, float stepSize, float sqrtBc2, float decay) {
    static AdamTerms of(AdamStep step) {
      float lr = step.learningRate();
      float beta1 = step.beta1();
      float beta2 = step.beta2();
      float bc1 = (float) (1.0 - Math.pow(beta1, step.step()));
      float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(beta2, step.step()));
      return new AdamTerms(
          beta1, beta2, step.epsilon(), step.l2(), lr / bc1, sqrtBc2, lr * step.weightDecay());
    }
  }

  private final Parallel parallel;

  OptimizerKernels(Parallel parallel) {
    this.parallel = parallel;
  }

  void sgd(float[] p, float[] grad, SgdStep step) {
    float lr = step.learningRate();
    float l2 = step.l2();
    float decay = lr * step.weightDecay();
    update(
        p.length,
        4,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float old = p[i];
            float g = grad[i] + l2 * old;
            p[i] = old - lr * g - decay * old;
          }
        });
  }

  void momentum(float[] p, float[] grad, float[] v, MomentumStep step) {
    float lr = step.learningRate();
    float mu = step.momentum();
    boolean nesterov = step.nesterov();
    float l2 = step.l2();
    float decay = lr * step.weightDecay();
    update(
        p.length,
        6,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float old = p[i];
            float g = grad[i] + l2 * old;
            float vel = mu * v[i] + g;
            v[i] = vel;
            float direction = nesterov ? g + mu * vel : vel;
            p[i] = old - lr * direction - decay * old;
          }
        });
  }

  void adaGrad(float[] p, float[] grad, float[] s, AdaGradStep step) {
    float lr = step.learningRate();
    float eps = step.epsilon();
    float l2 = step.l2();
    float decay = lr * step.weightDecay();
    update(
        p.length,
        10,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float old = p[i];
            float g = grad[i] + l2 * old;
            float sum = s[i] + g * g;
            s[i] = sum;
            p[i] = old - lr * g / ((float) Math.sqrt(sum) + eps) - decay * old;
          }
        });
  }

  void rmsProp(float[] p, float[] grad, float[] s, RmsPropStep step) {
    float lr = step.learningRate();
    float rho = step.rho();
    float eps = step.epsilon();
    float l2 = step.l2();
    float decay = lr * step.weightDecay();
    update(
        p.length,
        10,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float old = p[i];
            float g = grad[i] + l2 * old;
            float mean = rho * s[i] + (1f - rho) * g * g;
            s[i] = mean;
            p[i] = old - lr * g / ((float) Math.sqrt(mean) + eps) - decay * old;
          }
        });
  }

  void adam(float[] p, float[] g, float[] m, float[] v, AdamStep step) {
    AdamTerms h = AdamTerms.of(step);
    update(p.length, 12, (from, to) -> adamRange(p, g, m, v, h, from, to));
  }

  /** The Adam rule over {@code [from, to)}; {@code VectorOptimizerKernels} overrides it. */
  void adamRange(float[] p, float[] grad, float[] m, float[] v, AdamTerms h, int from, int to) {
    float l2 = h.l2();
    float beta1 = h.beta1();
    float beta2 = h.beta2();
    float sqrtBc2 = h.sqrtBc2();
    float eps = h.eps();
    float stepSize = h.stepSize();
    float decay = h.decay();
    for (int i = from; i < to; i++) {
      float old = p[i];
      float g = grad[i] + l2 * old;
      float mi = beta1 * m[i] + (1f - beta1) * g;
      float vi = beta2 * v[i] + (1f - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      float denom = (float) Math.sqrt(vi) / sqrtBc2 + eps;
      p[i] = old - stepSize * mi / denom - decay * old;
    }
  }

  void nadam(float[] p, float[] grad, float[] m, float[] v, NadamStep step) {
    float beta1 = step.beta1AsFloat();
    float oneMinusBeta1 = step.oneMinusBeta1();
    float beta2 = step.beta2AsFloat();
    float oneMinusBeta2 = step.oneMinusBeta2();
    float eps = step.epsilon();
    float gradStep = step.gradStep();
    float momentumStep = step.momentumStep();
    float biasCorrection2 = step.biasCorrection2();
    float l2 = step.l2();
    float decay = step.learningRate() * step.weightDecay();
    update(
        p.length,
        14,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float old = p[i];
            float g = grad[i] + l2 * old;
            float mi = beta1 * m[i] + oneMinusBeta1 * g;
            float vi = beta2 * v[i] + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            float d = (float) Math.sqrt(vi / biasCorrection2) + eps;
            p[i] = old - gradStep * g / d - momentumStep * mi / d - decay * old;
          }
        });
  }

  /**
   * The one driver of every update: {@code rule} over {@code [0, n)}, split over the threads, where
   * one element costs about {@code workPerElement} float operations.
   */
  private void update(int n, long workPerElement, Parallel.RangeBody rule) {
    parallel.forRange(n, workPerElement, rule);
  }
}
