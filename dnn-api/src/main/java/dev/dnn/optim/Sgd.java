package dev.dnn.optim;

import dev.dnn.backend.Backend;
import dev.dnn.backend.SgdStep;
import dev.dnn.tensor.Tensor;
import java.util.List;

/**
 * Plain stochastic gradient descent: {@code p -= lr * g}.
 *
 * <p>Not thread-safe, like every {@link Optimizer}: it holds training state, so use one instance
 * per training run, from its training thread.
 */
public final class Sgd extends Optimizer {
  private Sgd(double learningRate) {
    super(learningRate);
  }

  /** SGD with the given learning rate. */
  public static Sgd learningRate(double learningRate) {
    return new Sgd(learningRate);
  }

  @Override
  public Sgd l2(double l2) {
    super.l2(l2);
    return this;
  }

  @Override
  public Sgd weightDecay(double weightDecay) {
    super.weightDecay(weightDecay);
    return this;
  }

  @Override
  protected List<String> stateSlots() {
    return List.of();
  }

  @Override
  protected void update(Backend backend, Tensor param, Tensor grad, Tensor[] state, long step) {
    backend.sgdUpdate(param, grad, new SgdStep(learningRateFloat(), l2Float(), weightDecayFloat()));
  }
}
