package dev.dnn.optim;

import dev.dnn.backend.Backend;
import dev.dnn.backend.NadamStep;
import dev.dnn.tensor.Tensor;
import java.util.List;

/**
 * Nadam as PyTorch's {@code NAdam}: Adam with Nesterov momentum and the momentum schedule {@code
 * mu_t = beta1 (1 - 0.5 * 0.96^(t * momentumDecay))}. The schedule and its running product are
 * evaluated on the host in double precision once per step; the kernel receives the two step sizes.
 *
 * <p>The momentum term is divided by {@code 1 - prod_{i<=t+1} mu_i}, as current PyTorch releases
 * do. PyTorch 1.13 (which produced the project's golden vectors) multiplied the current {@code
 * mu_t} once more into that product ({@code mu_product_next = mu_product * mu * mu_next}); the
 * difference is about 1e-5 of a step, and the tests check this class against a float64 derivation
 * of the definition above instead.
 *
 * <p>Not thread-safe, like every {@link Optimizer}: it holds training state, so use one instance
 * per training run, from its training thread.
 */
public final class Nadam extends Optimizer {
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double epsilon = 1e-8;
  private double momentumDecay = 0.004;
  private double muProduct = 1.0;
  private float gradStep;
  private float momentumStep;
  private float biasCorrection2;

  private Nadam(double learningRate) {
    super(learningRate);
  }

  /** Nadam with the given learning rate and PyTorch's defaults. */
  public static Nadam learningRate(double learningRate) {
    return new Nadam(learningRate);
  }

  /** Sets the decay of the first moment, in [0, 1). */
  public Nadam beta1(double beta1) {
    this.beta1 = fraction("beta1", beta1);
    restoredStepCount(stepCount());
    return this;
  }

  /** Sets the decay of the second moment, in [0, 1). */
  public Nadam beta2(double beta2) {
    this.beta2 = fraction("beta2", beta2);
    return this;
  }

  /** Sets epsilon, added to the root of the second moment. */
  public Nadam epsilon(double epsilon) {
    this.epsilon = positive("epsilon", epsilon);
    return this;
  }

  /** Sets the momentum decay {@code psi} of the schedule (PyTorch's default 0.004). */
  public Nadam momentumDecay(double momentumDecay) {
    this.momentumDecay = nonNegative("momentum decay", momentumDecay);
    restoredStepCount(stepCount());
    return this;
  }

  @Override
  public Nadam l2(double l2) {
    super.l2(l2);
    return this;
  }

  @Override
  public Nadam weightDecay(double weightDecay) {
    super.weightDecay(weightDecay);
    return this;
  }

  /** {@code mu_t} of the momentum schedule. */
  double mu(long t) {
    return beta1 * (1.0 - 0.5 * Math.pow(0.96, t * momentumDecay));
  }

  @Override
  protected void restoredStepCount(long steps) {
    muProduct = 1.0;
    for (long t = 1; t <= steps; t++) {
      muProduct *= mu(t);
    }
  }

  @Override
  protected void beginStep(long t) {
    double lr = learningRate();
    double mu = mu(t);
    double muNext = mu(t + 1);
    muProduct *= mu;
    double muProductNext = muProduct * muNext;
    gradStep = (float) (lr * (1.0 - mu) / (1.0 - muProduct));
    momentumStep = (float) (lr * muNext / (1.0 - muProductNext));
    biasCorrection2 = (float) (1.0 - Math.pow(beta2, t));
  }

  @Override
  protected List<String> stateSlots() {
    return List.of("m", "v");
  }

  @Override
  protected void update(Backend backend, Tensor param, Tensor grad, Tensor[] state, long step) {
    backend.nadamUpdate(
        param,
        grad,
        state[0],
        state[1],
        new NadamStep(
            learningRateFloat(),
            beta1,
            beta2,
            (float) epsilon,
            gradStep,
            momentumStep,
            biasCorrection2,
            l2Float(),
            weightDecayFloat()));
  }
}
