package dev.dnn.optim;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients with one fused backend kernel per parameter tensor. Holds
 * per-parameter state (velocities, moment estimates), created on first use and named {@code
 * <parameter>.<slot>} (for example {@code layers.0.weight.m}), and the number of steps taken, so a
 * checkpoint can save and restore both.
 *
 * <p>Every optimizer supports an L2 penalty (added to the gradient, {@code g + l2 * p}) and
 * decoupled weight decay ({@code p -= lr * weightDecay * p}, AdamW-style). Configuration methods
 * return the optimizer for chaining. Not thread-safe: an optimizer holds training state (its steps,
 * moments and learning rate), so use one instance per training run, from its training thread.
 */
public abstract class Optimizer implements AutoCloseable {
  private double learningRate;
  private double l2;
  private double weightDecay;
  private long steps;
  private final Map<String, Tensor[]> state = new LinkedHashMap<>();

  /** An optimizer with the given learning rate. */
  protected Optimizer(double learningRate) {
    this.learningRate = positive("learning rate", learningRate);
  }

  /** The current learning rate. */
  public double learningRate() {
    return learningRate;
  }

  /**
   * Changes the learning rate (for example between epochs). 0 is allowed, as the end of a schedule
   * that decays to nothing ({@code LearningRateSchedule.cosine(epochs, 0)}).
   */
  public void setLearningRate(double learningRate) {
    this.learningRate = nonNegative("learning rate", learningRate);
  }

  /** The L2 penalty coefficient. */
  public double l2() {
    return l2;
  }

  /** Sets the L2 penalty: {@code l2 * p} is added to every gradient. */
  public Optimizer l2(double l2) {
    this.l2 = nonNegative("L2 penalty", l2);
    return this;
  }

  /** The decoupled weight decay coefficient. */
  public double weightDecay() {
    return weightDecay;
  }

  /** Sets decoupled weight decay: {@code p -= lr * weightDecay * p} after each update. */
  public Optimizer weightDecay(double weightDecay) {
    this.weightDecay = nonNegative("weight decay", weightDecay);
    return this;
  }

  /** The number of steps taken so far. */
  public long stepCount() {
    return steps;
  }

  /** Sets the number of steps taken (when restoring a checkpoint together with {@link #state}). */
  public void setStepCount(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("step count must not be negative, got " + steps);
    }
    this.steps = steps;
    restoredStepCount(steps);
  }

  /** Called after {@link #setStepCount}, for host-side schedules that depend on the step. */
  protected void restoredStepCount(long steps) {}

  /** The names of the state tensors kept per parameter ({@code velocity}, {@code m}, ...). */
  protected abstract List<String> stateSlots();

  /**
   * Takes one step: updates every parameter in {@code parameters} with the gradient of the same
   * name in {@code gradients}.
   */
  public void step(Map<String, Tensor> parameters, Map<String, Tensor> gradients) {
    steps++;
    beginStep(steps);
    for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
      Tensor grad = gradients.get(e.getKey());
      if (grad == null) {
        throw new IllegalArgumentException("no gradient for parameter " + e.getKey());
      }
      Tensor param = e.getValue();
      update(param.backend(), param, grad, stateFor(e.getKey(), param), steps);
    }
  }

  /** Called once before the updates of step {@code step} (1 for the first). */
  protected void beginStep(long step) {}

  /** Applies the rule to one parameter with its gradient and state tensors. */
  protected abstract void update(
      Backend backend, Tensor param, Tensor grad, Tensor[] state, long step);

  /** The L2 penalty as the kernels take it. */
  protected final float l2Float() {
    return (float) l2;
  }

  /** The decoupled weight decay as the kernels take it. */
  protected final float weightDecayFloat() {
    return (float) weightDecay;
  }

  /** The learning rate as the kernels take it. */
  protected final float learningRateFloat() {
    return (float) learningRate;
  }

  private Tensor[] stateFor(String name, Tensor param) {
    Tensor[] s = state.get(name);
    if (s != null
        && (s.length == 0 || s[0].backend() == param.backend())
        && (s.length == 0 || s[0].shape().equals(param.shape()))) {
      return s;
    }
    if (s != null) {
      closeAll(s);
    }
    List<String> slots = stateSlots();
    s = new Tensor[slots.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = param.backend().zeros(param.shape());
    }
    state.put(name, s);
    return s;
  }

  /**
   * The state tensors of every parameter in {@code parameters}, created (zero) where missing, named
   * {@code <parameter>.<slot>}. Write into them to restore a checkpoint.
   */
  public Map<String, Tensor> state(Map<String, Tensor> parameters) {
    Map<String, Tensor> named = new LinkedHashMap<>();
    List<String> slots = stateSlots();
    for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
      Tensor[] s = stateFor(e.getKey(), e.getValue());
      for (int i = 0; i < s.length; i++) {
        named.put(e.getKey() + "." + slots.get(i), s[i]);
      }
    }
    return Collections.unmodifiableMap(named);
  }

  /** The state tensors that exist so far, named {@code <parameter>.<slot>}. */
  public Map<String, Tensor> state() {
    Map<String, Tensor> named = new LinkedHashMap<>();
    List<String> slots = stateSlots();
    state.forEach(
        (name, s) -> {
          for (int i = 0; i < s.length; i++) {
            named.put(name + "." + slots.get(i), s[i]);
          }
        });
    return Collections.unmodifiableMap(named);
  }

  /** Forgets all state and the step count. */
  public void reset() {
    state.values().forEach(Optimizer::closeAll);
    state.clear();
    setStepCount(0);
  }

  /** Frees the state tensors. */
  @Override
  public void close() {
    state.values().forEach(Optimizer::closeAll);
    state.clear();
  }

  private static void closeAll(Tensor[] tensors) {
    for (Tensor t : tensors) {
      t.close();
    }
  }

  static double positive(String what, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be positive and finite, got " + value);
    }
    return value;
  }

  static double nonNegative(String what, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be non-negative and finite, got " + value);
    }
    return value;
  }

  static double fraction(String what, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(what + " must be in [0, 1), got " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "(lr="
        + learningRate
        + (l2 > 0 ? ", l2=" + l2 : "")
        + (weightDecay > 0 ? ", weightDecay=" + weightDecay : "")
        + ")";
  }
}
