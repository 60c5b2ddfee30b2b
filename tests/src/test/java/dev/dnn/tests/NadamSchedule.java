package dev.dnn.tests;

/**
 * NAdam's momentum schedule {@code mu_t = beta1 (1 - 0.5 * 0.96^(t psi))}, evaluated on the host as
 * the Backend contract expects ({@code gradStep}, {@code momentumStep}, {@code biasCorrection2}).
 */
final class NadamSchedule {
  /** How the momentum term is normalized. */
  enum Form {
    /** The Backend contract: {@code momentumStep = lr mu_{t+1} / (1 - prod_{i<=t+1} mu_i)}. */
    CONTRACT,
    /**
     * What PyTorch 1.13 computes, and therefore what golden/optimizers.json holds: its {@code
     * _single_tensor_nadam} updates {@code mu_product *= mu} and then takes {@code mu_product_next
     * = mu_product * mu * mu_next}, so {@code momentumStep = lr mu_{t+1} / (1 - prod_{i<=t} mu_i *
     * mu_t * mu_{t+1})}: the current momentum counted twice. Later releases dropped the extra
     * {@code mu}, which is the contract's form.
     */
    PYTORCH_1_13
  }

  private final double beta1;
  private final double beta2;
  private final double momentumDecay;
  private final Form form;
  private double product = 1;

  NadamSchedule(double beta1, double beta2, double momentumDecay, Form form) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.momentumDecay = momentumDecay;
    this.form = form;
  }

  private double mu(int t) {
    return beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
  }

  /** Coefficients of step {@code t} (1-based, called in order): gradStep, momentumStep, bc2. */
  double[] next(int t, double learningRate) {
    double mu = mu(t);
    double muNext = mu(t + 1);
    product *= mu;
    double nextProduct = form == Form.CONTRACT ? product * muNext : product * mu * muNext;
    return new double[] {
      learningRate * (1 - mu) / (1 - product),
      learningRate * muNext / (1 - nextProduct),
      1 - Math.pow(beta2, t)
    };
  }
}
