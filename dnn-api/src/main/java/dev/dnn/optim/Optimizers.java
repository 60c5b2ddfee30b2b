package dev.dnn.optim;

import dev.dnn.names.NameRegistry;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The optimizers by name, each with its default hyper-parameters: {@code Optimizers.named("adam",
 * 1e-3)}. The names: {@code sgd}, {@code momentum} (0.9), {@code nesterov} (Nesterov momentum 0.9),
 * {@code adagrad}, {@code rmsprop} (rho 0.9), {@code adam} (beta1 0.9, beta2 0.999) and {@code
 * nadam}; case and {@code _} for {@code -} do not matter.
 *
 * <p>Has no mutable state: its methods may be called from any thread, each call making a new
 * optimizer.
 */
public final class Optimizers {
  private static final NameRegistry<DoubleFunction<Optimizer>> NAMES =
      NameRegistry.<DoubleFunction<Optimizer>>of("optimizer")
          .add("sgd", Sgd::learningRate)
          .add("momentum", Momentum::learningRate)
          .add("nesterov", Momentum::nesterov)
          .add("adagrad", AdaGrad::learningRate)
          .add("rmsprop", RmsProp::learningRate)
          .add("adam", Adam::learningRate)
          .add("nadam", Nadam::learningRate)
          .build();

  private Optimizers() {}

  /**
   * A fresh optimizer of a name, with the given learning rate (optimizers keep state: one per
   * training run).
   *
   * @throws IllegalArgumentException naming the unknown name and listing the valid ones, or if the
   *     learning rate is not positive
   */
  public static Optimizer named(String name, double learningRate) {
    return NAMES.named(name).apply(learningRate);
  }

  /**
   * The canonical name of an accepted spelling, such as {@code sgd} for {@code SGD}.
   *
   * @throws IllegalArgumentException naming the unknown name and listing the valid ones
   */
  public static String canonicalName(String name) {
    return NAMES.canonicalName(name);
  }

  /** The canonical names of every optimizer. */
  public static List<String> names() {
    return NAMES.names();
  }
}
