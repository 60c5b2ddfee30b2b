package dev.dnn.optim;

import dev.dnn.backend.AdaGradStep;
import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import java.util.List;

/**
 * AdaGrad: {@code s += g^2; p -= lr g / (sqrt(s) + eps)}, the accumulator starting at 0.
 *
 * <p>Not thread-safe, like every {@link Optimizer}: it holds training state, so use one instance
 * per training run, from its training thread.
 */
public final class AdaGrad extends Optimizer {
  private double epsilon = 1e-10;

  private AdaGrad(double learningRate) {
    super(learningRate);
  }

  /** AdaGrad with the given learning rate and epsilon 1e-10. */
  public static AdaGrad learningRate(double learningRate) {
    return new AdaGrad(learningRate);
  }

  /** Sets epsilon, added to the root of the accumulator. */
  public AdaGrad epsilon(double epsilon) {
    this.epsilon = positive("epsilon", epsilon);
    return this;
  }

  @Override
  public AdaGrad l2(double l2) {
    super.l2(l2);
    return this;
  }

  @Override
  public AdaGrad weightDecay(double weightDecay) {
    super.weightDecay(weightDecay);
    return this;
  }

  @Override
  protected List<String> stateSlots() {
    return List.of("sum_squares");
  }

  @Override
  protected void update(Backend backend, Tensor param, Tensor grad, Tensor[] state, long step) {
    backend.adaGradUpdate(
        param,
        grad,
        state[0],
        new AdaGradStep(learningRateFloat(), (float) epsilon, l2Float(), weightDecayFloat()));
  }
}
