package dev.dnn.cli.run;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of training one configuration on one backend.
 *
 * <p>Immutable (the list is copied) and safe to share between threads.
 *
 * @param config what was trained
 * @param architecture the layer widths from input to output ({@code 784-500-250-10})
 * @param backend the backend name ({@code cpu}, {@code cuda})
 * @param backendDescription the backend's description of its hardware
 * @param trainExamples the size of the training set
 * @param epochs one record per epoch, in order
 * @param trainAccuracy the final accuracy on the training set, in [0, 1]
 * @param devAccuracy the final accuracy on the development set
 * @param testAccuracy the final accuracy on the test set
 * @param wallSeconds the wall time of training (all epochs, evaluation included)
 * @param samplesPerSecond training examples processed per second of training time
 */
public record RunResult(
    RunConfig config,
    String architecture,
    String backend,
    String backendDescription,
    int trainExamples,
    List<EpochRecord> epochs,
    double trainAccuracy,
    double devAccuracy,
    double testAccuracy,
    double wallSeconds,
    double samplesPerSecond) {

  /** Checks the required fields and copies the epoch list. */
  public RunResult {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(backendDescription, "backendDescription");
    epochs = List.copyOf(Objects.requireNonNull(epochs, "epochs"));
  }

  /** The configuration's name. */
  public String name() {
    return config.name();
  }
}
