package dev.dnn.cpu;

/**
 * The fused optimizer updates over array ranges, following PyTorch. Each first forms {@code g =
 * grad + l2 * p}, applies its rule, and finally the decoupled weight decay {@code p -= lr * wd *
 * p_old} on the parameter as it was before the step. Every update goes through {@link #update},
 * which splits the tensor over threads; the rules are element-wise, so the split never changes a
 * bit.
 */
class OptimizerKernels {
  /** Adam's constants for one step, the bias corrections worked out once per update. */
  record AdamStep(
      float beta1, float beta2, float eps, float l2, float stepSize, float sqrtBc2, float decay) {
    static AdamStep of(
        float lr, float beta1, float beta2, float eps, int step, float l2, float wd) {
      float bc1 = (float) (1.0 - Math.pow(beta1, step));
      float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
      return new AdamStep(beta1, beta2, eps, l2, lr / bc1, sqrtBc2, lr * wd);
    }
  }

  private final Parallel parallel;

  OptimizerKernels(Parallel parallel) {
    this.parallel = parallel;
  }

  void sgd(float[] p, float[] grad, float lr, float l2, float wd) {
    float decay = lr * wd;
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

  void momentum(
      float[] p,
      float[] grad,
      float[] v,
      float lr,
      float mu,
      boolean nesterov,
      float l2,
      float wd) {
    float decay = lr * wd;
    update(
        p.length,
        6,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float old = p[i];
            float g = grad[i] + l2 * old;
            float vel = mu * v[i] + g;
            v[i] = vel;
            float step = nesterov ? g + mu * vel : vel;
            p[i] = old - lr * step - decay * old;
          }
        });
  }

  void adaGrad(float[] p, float[] grad, float[] s, float lr, float eps, float l2, float wd) {
    float decay = lr * wd;
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

  void rmsProp(
      float[] p, float[] grad, float[] s, float lr, float rho, float eps, float l2, float wd) {
    float decay = lr * wd;
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

  void adam(
      float[] p,
      float[] g,
      float[] m,
      float[] v,
      float lr,
      float beta1,
      float beta2,
      float eps,
      int step,
      float l2,
      float wd) {
    AdamStep h = AdamStep.of(lr, beta1, beta2, eps, step, l2, wd);
    update(p.length, 12, (from, to) -> adamRange(p, g, m, v, h, from, to));
  }

  /** The Adam rule over {@code [from, to)}; {@code VectorOptimizerKernels} overrides it. */
  void adamRange(float[] p, float[] grad, float[] m, float[] v, AdamStep h, int from, int to) {
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

  void nadam(
      float[] p,
      float[] grad,
      float[] m,
      float[] v,
      float lr,
      float beta1,
      float beta2,
      float eps,
      float gradStep,
      float momentumStep,
      float biasCorrection2,
      float l2,
      float wd) {
    float decay = lr * wd;
    update(
        p.length,
        14,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float old = p[i];
            float g = grad[i] + l2 * old;
            float mi = beta1 * m[i] + (1f - beta1) * g;
            float vi = beta2 * v[i] + (1f - beta2) * g * g;
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
