package dev.dnn.spark;

import dev.dnn.backend.Backend;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * A model of one architecture on its own backend, with the device buffers of its batches, that
 * executor tasks borrow from {@link ShardTask}'s pool. Every round overwrites all of its parameters
 * and buffers, so a worker carries nothing from one task to the next. One task at a time.
 */
final class Worker implements AutoCloseable {
  final Backend backend;
  final Model model;
  final Tensor lossSum;
  final Tensor correct;
  private final Map<Integer, Tensor[]> buffers = new HashMap<>();

  Worker(BackendChoice choice, ModelSpec spec, Loss loss) {
    this.backend = choice.create();
    try {
      this.model = Model.fromSpec(spec, backend, 0L, loss);
      this.lossSum = backend.zeros(Shape.vector(1));
      this.correct = backend.zeros(Shape.vector(1));
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  /**
   * Device buffers for a batch of {@code rows}: features {@code [rows, inputs]}, targets ({@code
   * [rows]} labels or {@code [rows, outputs]} values) and the loss gradient {@code [rows,
   * outputs]}.
   */
  Tensor[] batch(int rows, boolean labels) {
    return buffers.computeIfAbsent(
        rows,
        r ->
            new Tensor[] {
              backend.zeros(Shape.matrix(r, model.inputCount())),
              labels
                  ? backend.zeros(Shape.vector(r))
                  : backend.zeros(Shape.matrix(r, model.outputCount())),
              backend.zeros(Shape.matrix(r, model.outputCount()))
            });
  }

  /** Overwrites every parameter and buffer. */
  void load(String[] names, float[][] values) {
    for (int i = 0; i < names.length; i++) {
      model.set(names[i], values[i]);
    }
  }

  @Override
  public void close() {
    buffers.values().forEach(ts -> java.util.Arrays.stream(ts).forEach(Tensor::close));
    lossSum.close();
    correct.close();
    model.close();
    backend.close();
  }
}
