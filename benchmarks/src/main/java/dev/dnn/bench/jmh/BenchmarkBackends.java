package dev.dnn.bench.jmh;

import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Random;

/** Opens the backend a benchmark is parameterized with, and fills tensors with test values. */
final class BenchmarkBackends {
  private BenchmarkBackends() {}

  /**
   * Opens the backend named {@code name}.
   *
   * @throws IllegalStateException when it is unknown or not usable here, with the reason and the
   *     way to leave it out of the run
   */
  static Backend open(String name) {
    BackendProvider provider =
        Backends.providers().stream()
            .filter(p -> p.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "backend '"
                            + name
                            + "' is not on the class path; run with -p backend=cpu"));
    Availability availability = provider.availability();
    if (!availability.usable()) {
      throw new IllegalStateException(
          "backend '"
              + name
              + "' is not usable here ("
              + availability.reason()
              + "); run with -p backend=cpu to leave it out");
    }
    return provider.create();
  }

  /** A tensor of {@code shape} with values uniform in {@code [low, high)} from {@code random}. */
  static Tensor uniform(Backend backend, Shape shape, Random random, float low, float high) {
    float[] values = new float[shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = low + (high - low) * random.nextFloat();
    }
    return backend.fromHost(values, shape);
  }

  /** A vector of {@code rows} class labels in {@code [0, classes)}, as floats. */
  static Tensor labels(Backend backend, int rows, int classes, Random random) {
    float[] labels = new float[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(classes);
    }
    return backend.fromHost(labels, Shape.vector(rows));
  }
}
