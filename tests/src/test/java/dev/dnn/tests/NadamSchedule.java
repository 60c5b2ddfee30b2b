package dev.dnn.tests;

/**
 * PyTorch's NAdam momentum schedule {@code mu_t = beta1 (1 - 0.5 * 0.96^(t psi))}, evaluated on the
 * host as the Backend contract expects.
 */
final class NadamSchedule {
  private final double beta1;
  private final double beta2;
  private final double momentumDecay;
  private double product = 1;

  NadamSchedule(double beta1, double beta2, double momentumDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.momentumDecay = momentumDecay;
  }

  private double mu(int t) {
    return beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
  }

  /** Coefficients of step {@code t} (1-based, called in order): gradStep, momentumStep, bc2. */
  double[] next(int t, double learningRate) {
    double mu = mu(t);
    double muNext = mu(t + 1);
    product *= mu;
    return new double[] {
      learningRate * (1 - mu) / (1 - product),
      learningRate * muNext / (1 - product * muNext),
      1 - Math.pow(beta2, t)
    };
  }
}
