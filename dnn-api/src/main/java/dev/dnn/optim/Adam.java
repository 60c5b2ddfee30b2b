package dev.dnn.optim;

import dev.dnn.backend.AdamStep;
import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import java.util.List;

/**
 * Adam with bias correction; with {@link #weightDecay(double)} it is AdamW (decoupled weight decay,
 * Loshchilov and Hutter), with {@link #l2(double)} the classical L2-coupled Adam.
 *
 * <p>Not thread-safe, like every {@link Optimizer}: it holds training state, so use one instance
 * per training run, from its training thread.
 */
public final class Adam extends Optimizer {
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double epsilon = 1e-8;

  private Adam(double learningRate) {
    super(learningRate);
  }

  /** Adam with the given learning rate, betas 0.9 and 0.999, epsilon 1e-8. */
  public static Adam learningRate(double learningRate) {
    return new Adam(learningRate);
  }

  /** AdamW: Adam with decoupled weight decay. */
  public static Adam adamW(double learningRate, double weightDecay) {
    return new Adam(learningRate).weightDecay(weightDecay);
  }

  /** Sets the decay of the first moment, in [0, 1). */
  public Adam beta1(double beta1) {
    this.beta1 = fraction("beta1", beta1);
    return this;
  }

  /** Sets the decay of the second moment, in [0, 1). */
  public Adam beta2(double beta2) {
    this.beta2 = fraction("beta2", beta2);
    return this;
  }

  /** Sets epsilon, added to the root of the second moment. */
  public Adam epsilon(double epsilon) {
    this.epsilon = positive("epsilon", epsilon);
    return this;
  }

  @Override
  public Adam l2(double l2) {
    super.l2(l2);
    return this;
  }

  @Override
  public Adam weightDecay(double weightDecay) {
    super.weightDecay(weightDecay);
    return this;
  }

  @Override
  protected List<String> stateSlots() {
    return List.of("m", "v");
  }

  @Override
  protected void update(Backend backend, Tensor param, Tensor grad, Tensor[] state, long step) {
    if (step > Integer.MAX_VALUE) {
      throw new IllegalStateException("Adam step count overflows the kernel's int: " + step);
    }
    backend.adamUpdate(
        param,
        grad,
        state[0],
        state[1],
        new AdamStep(
            learningRateFloat(),
            (float) beta1,
            (float) beta2,
            (float) epsilon,
            (int) step,
            l2Float(),
            weightDecayFloat()));
  }
}
