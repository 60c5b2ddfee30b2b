package dev.dnn.cli.run;

import dev.dnn.backend.ActivationKind;
import dev.dnn.init.Init;
import dev.dnn.optim.Optimizers;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One training configuration: a fully connected classifier of the given hidden widths, and how to
 * train it. The input and output widths come from the data.
 *
 * <p>Immutable (the list is copied) and safe to share between threads.
 *
 * @param name a short label for tables and plots ({@code Deep-tanh})
 * @param hidden the widths of the hidden layers, first to last; may be empty (softmax regression)
 * @param activation the function after every hidden layer
 * @param init the weight initialization of every dense layer
 * @param optimizer the update rule, by its name in {@link Optimizers} (stored in canonical form)
 * @param learningRate the step size
 * @param batchSize examples per step
 * @param epochs passes over the training set
 * @param dropout the probability of dropping a hidden unit while training; 0 for none
 * @param seed the seed of weights, shuffles and dropout masks
 */
public record RunConfig(
    String name,
    List<Integer> hidden,
    ActivationKind activation,
    Init init,
    String optimizer,
    double learningRate,
    int batchSize,
    int epochs,
    double dropout,
    long seed) {

  /** Validates every field, naming the one that is wrong. */
  public RunConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(init, "init");
    optimizer = Optimizers.canonicalName(Objects.requireNonNull(optimizer, "optimizer"));
    hidden = List.copyOf(Objects.requireNonNull(hidden, "hidden"));
    for (int i = 0; i < hidden.size(); i++) {
      if (hidden.get(i) < 1) {
        throw new IllegalArgumentException(
            "hidden layer "
                + (i + 1)
                + " of '"
                + name
                + "' has width "
                + hidden.get(i)
                + "; widths must be positive");
      }
    }
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate of '" + name + "' must be positive and finite, got " + learningRate);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "batch size of '" + name + "' must be at least 1, got " + batchSize);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException(
          "epochs of '" + name + "' must be at least 1, got " + epochs);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException(
          "dropout of '" + name + "' must be in [0, 1), got " + dropout);
    }
  }

  /** The same configuration trained for another number of epochs. */
  public RunConfig withEpochs(int newEpochs) {
    return new RunConfig(
        name,
        hidden,
        activation,
        init,
        optimizer,
        learningRate,
        batchSize,
        newEpochs,
        dropout,
        seed);
  }

  /** The layer widths from input to output, such as {@code 784-500-250-10}. */
  public String architecture(int inputs, int classes) {
    StringBuilder s = new StringBuilder().append(inputs);
    for (int width : hidden) {
      s.append('-').append(width);
    }
    return s.append('-').append(classes).toString();
  }

  /** The hidden widths alone, such as {@code 500-250-75-25}, or {@code none}. */
  public String hiddenDescription() {
    return hidden.isEmpty()
        ? "none"
        : hidden.stream().map(String::valueOf).collect(Collectors.joining("-"));
  }

  /** This configuration with other hidden widths. */
  public RunConfig withHidden(List<Integer> widths) {
    return new RunConfig(
        name, widths, activation, init, optimizer, learningRate, batchSize, epochs, dropout, seed);
  }
}
