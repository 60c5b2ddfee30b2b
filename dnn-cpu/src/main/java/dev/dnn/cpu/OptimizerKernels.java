package dev.dnn.cpu;

/**
 * The fused optimizer updates over array ranges, following PyTorch. Each first forms {@code g =
 * grad + l2 * p}, applies its rule, and finally the decoupled weight decay {@code p -= lr * wd *
 * p_old} on the parameter as it was before the step.
 */
class OptimizerKernels {
  // Each update: the whole tensors, split over threads, then the same rule over one range.

  private final Parallel parallel;

  OptimizerKernels(Parallel parallel) {
    this.parallel = parallel;
  }

  void sgd(float[] p, float[] g, float lr, float l2, float wd) {
    parallel.forRange(p.length, 4, (from, to) -> sgd(p, g, lr, l2, wd, from, to));
  }

  void momentum(
      float[] p, float[] g, float[] v, float lr, float mu, boolean nesterov, float l2, float wd) {
    parallel.forRange(
        p.length, 6, (from, to) -> momentum(p, g, v, lr, mu, nesterov, l2, wd, from, to));
  }

  void adaGrad(float[] p, float[] g, float[] s, float lr, float eps, float l2, float wd) {
    parallel.forRange(p.length, 10, (from, to) -> adaGrad(p, g, s, lr, eps, l2, wd, from, to));
  }

  void rmsProp(
      float[] p, float[] g, float[] s, float lr, float rho, float eps, float l2, float wd) {
    parallel.forRange(p.length, 10, (from, to) -> rmsProp(p, g, s, lr, rho, eps, l2, wd, from, to));
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
    parallel.forRange(
        p.length,
        12,
        (from, to) -> adamRange(p, g, m, v, lr, beta1, beta2, eps, step, l2, wd, from, to));
  }

  /** The Adam rule over {@code [from, to)}; {@code VectorOptimizerKernels} overrides it. */
  void adamRange(
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
      float wd,
      int from,
      int to) {
    adam(p, g, m, v, lr, beta1, beta2, eps, step, l2, wd, from, to);
  }

  void nadam(
      float[] p,
      float[] g,
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
    parallel.forRange(
        p.length,
        14,
        (from, to) ->
            nadam(
                p,
                g,
                m,
                v,
                lr,
                beta1,
                beta2,
                eps,
                gradStep,
                momentumStep,
                biasCorrection2,
                l2,
                wd,
                from,
                to));
  }

  private static void sgd(float[] p, float[] grad, float lr, float l2, float wd, int from, int to) {
    for (int i = from; i < to; i++) {
      float old = p[i];
      float g = grad[i] + l2 * old;
      p[i] = old - lr * g - lr * wd * old;
    }
  }

  private static void momentum(
      float[] p,
      float[] grad,
      float[] v,
      float lr,
      float mu,
      boolean nesterov,
      float l2,
      float wd,
      int from,
      int to) {
    for (int i = from; i < to; i++) {
      float old = p[i];
      float g = grad[i] + l2 * old;
      float vel = mu * v[i] + g;
      v[i] = vel;
      float step = nesterov ? g + mu * vel : vel;
      p[i] = old - lr * step - lr * wd * old;
    }
  }

  private static void adaGrad(
      float[] p,
      float[] grad,
      float[] s,
      float lr,
      float eps,
      float l2,
      float wd,
      int from,
      int to) {
    for (int i = from; i < to; i++) {
      float old = p[i];
      float g = grad[i] + l2 * old;
      float sum = s[i] + g * g;
      s[i] = sum;
      p[i] = old - lr * g / ((float) Math.sqrt(sum) + eps) - lr * wd * old;
    }
  }

  private static void rmsProp(
      float[] p,
      float[] grad,
      float[] s,
      float lr,
      float rho,
      float eps,
      float l2,
      float wd,
      int from,
      int to) {
    for (int i = from; i < to; i++) {
      float old = p[i];
      float g = grad[i] + l2 * old;
      float mean = rho * s[i] + (1f - rho) * g * g;
      s[i] = mean;
      p[i] = old - lr * g / ((float) Math.sqrt(mean) + eps) - lr * wd * old;
    }
  }

  private static void adam(
      float[] p,
      float[] grad,
      float[] m,
      float[] v,
      float lr,
      float beta1,
      float beta2,
      float eps,
      int step,
      float l2,
      float wd,
      int from,
      int to) {
    float bc1 = (float) (1.0 - Math.pow(beta1, step));
    float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
    float stepSize = lr / bc1;
    for (int i = from; i < to; i++) {
      float old = p[i];
      float g = grad[i] + l2 * old;
      float mi = beta1 * m[i] + (1f - beta1) * g;
      float vi = beta2 * v[i] + (1f - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      float denom = (float) Math.sqrt(vi) / sqrtBc2 + eps;
      p[i] = old - stepSize * mi / denom - lr * wd * old;
    }
  }

  private static void nadam(
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
      float wd,
      int from,
      int to) {
    for (int i = from; i < to; i++) {
      float old = p[i];
      float g = grad[i] + l2 * old;
      float mi = beta1 * m[i] + (1f - beta1) * g;
      float vi = beta2 * v[i] + (1f - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      float d = (float) Math.sqrt(vi / biasCorrection2) + eps;
      p[i] = old - gradStep * g / d - momentumStep * mi / d - lr * wd * old;
    }
  }
}
