package dev.dnn.optim;

import dev.dnn.backend.Backend;
import dev.dnn.backend.MomentumStep;
import dev.dnn.tensor.Tensor;
import java.util.List;

/**
 * SGD with momentum, PyTorch's form without dampening: {@code v = mu v + g}, then {@code p -= lr v}
 * (classical) or {@code p -= lr (g + mu v)} (Nesterov).
 *
 * <p>Not thread-safe, like every {@link Optimizer}: it holds training state, so use one instance
 * per training run, from its training thread.
 */
public final class Momentum extends Optimizer {
  private final boolean nesterov;
  private double momentum = 0.9;

  private Momentum(double learningRate, boolean nesterov) {
    super(learningRate);
    this.nesterov = nesterov;
  }

  /** Classical momentum 0.9 with the given learning rate. */
  public static Momentum learningRate(double learningRate) {
    return new Momentum(learningRate, false);
  }

  /** Nesterov momentum 0.9 with the given learning rate. */
  public static Momentum nesterov(double learningRate) {
    return new Momentum(learningRate, true);
  }

  /** Sets the momentum coefficient, in [0, 1). */
  public Momentum momentum(double momentum) {
    this.momentum = fraction("momentum", momentum);
    return this;
  }

  /** The momentum coefficient. */
  public double momentum() {
    return momentum;
  }

  /** Whether this is Nesterov's variant. */
  public boolean isNesterov() {
    return nesterov;
  }

  @Override
  public Momentum l2(double l2) {
    super.l2(l2);
    return this;
  }

  @Override
  public Momentum weightDecay(double weightDecay) {
    super.weightDecay(weightDecay);
    return this;
  }

  @Override
  protected List<String> stateSlots() {
    return List.of("velocity");
  }

  @Override
  protected void update(Backend backend, Tensor param, Tensor grad, Tensor[] state, long step) {
    backend.momentumUpdate(
        param,
        grad,
        state[0],
        new MomentumStep(
            learningRateFloat(), (float) momentum, nesterov, l2Float(), weightDecayFloat()));
  }
}
