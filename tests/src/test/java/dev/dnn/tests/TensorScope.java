package dev.dnn.tests;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Creates tensors on one backend and closes them all at the end of a test. */
final class TensorScope implements AutoCloseable {
  private final Backend backend;
  private final List<Tensor> tensors = new ArrayList<>();

  TensorScope(Backend backend) {
    this.backend = backend;
  }

  Backend backend() {
    return backend;
  }

  /** A matrix {@code [rows, cols]} holding {@code data}. */
  Tensor matrix(float[] data, int rows, int cols) {
    return keep(backend.fromHost(data, Shape.matrix(rows, cols)));
  }

  /** A vector holding {@code data}. */
  Tensor vector(float... data) {
    return keep(backend.fromHost(data, Shape.vector(data.length)));
  }

  /** A zero tensor of the given shape. */
  Tensor zeros(int... dims) {
    return keep(backend.zeros(Shape.of(dims)));
  }

  private Tensor keep(Tensor t) {
    tensors.add(t);
    return t;
  }

  @Override
  public void close() {
    tensors.forEach(Tensor::close);
  }
}
