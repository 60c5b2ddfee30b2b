package dev.dnn.nn;

import dev.dnn.backend.ActivationKind;
import java.util.List;

/**
 * The activation layers by name, with their default parameters: {@code Activations.named("relu")}.
 * The names are those of {@link ActivationKind#named}.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class Activations {
  private Activations() {}

  /**
   * The activation layer of a name such as {@code relu} or {@code leaky-relu}, with its default
   * parameters ({@link Activation#of}).
   *
   * @throws IllegalArgumentException naming the unknown name and listing the valid ones
   */
  public static Activation named(String name) {
    return Activation.of(ActivationKind.named(name));
  }

  /** The canonical names of every activation. */
  public static List<String> names() {
    return ActivationKind.names();
  }
}
