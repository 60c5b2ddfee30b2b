package dev.dnn.optim;

import dev.dnn.backend.Backend;
import dev.dnn.backend.RmsPropStep;
import dev.dnn.tensor.Tensor;
import java.util.List;

/**
 * RMSProp: {@code s = rho s + (1 - rho) g^2; p -= lr g / (sqrt(s) + eps)}.
 *
 * <p>Not thread-safe, like every {@link Optimizer}: it holds training state, so use one instance
 * per training run, from its training thread.
 */
public final class RmsProp extends Optimizer {
  private double rho = 0.99;
  private double epsilon = 1e-8;

  private RmsProp(double learningRate) {
    super(learningRate);
  }

  /** RMSProp with the given learning rate, rho 0.99 and epsilon 1e-8 (PyTorch's defaults). */
  public static RmsProp learningRate(double learningRate) {
    return new RmsProp(learningRate);
  }

  /** Sets the decay of the mean of squares, in [0, 1). */
  public RmsProp rho(double rho) {
    this.rho = fraction("rho", rho);
    return this;
  }

  /** Sets epsilon, added to the root of the mean of squares. */
  public RmsProp epsilon(double epsilon) {
    this.epsilon = positive("epsilon", epsilon);
    return this;
  }

  @Override
  public RmsProp l2(double l2) {
    super.l2(l2);
    return this;
  }

  @Override
  public RmsProp weightDecay(double weightDecay) {
    super.weightDecay(weightDecay);
    return this;
  }

  @Override
  protected List<String> stateSlots() {
    return List.of("mean_squares");
  }

  @Override
  protected void update(Backend backend, Tensor param, Tensor grad, Tensor[] state, long step) {
    backend.rmsPropUpdate(
        param,
        grad,
        state[0],
        new RmsPropStep(
            learningRateFloat(), (float) rho, (float) epsilon, l2Float(), weightDecayFloat()));
  }
}
