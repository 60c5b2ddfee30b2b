package dev.dnn.nn;

import java.util.List;

/**
 * A skip connection around a sub-sequence of layers: {@code y = x + body(x)}. The body must produce
 * as many features as it receives.
 *
 * <p>Immutable (the body is copied) and safe to share between threads.
 *
 * @param body the wrapped layers, in order
 */
public record Residual(List<LayerSpec> body) implements LayerSpec {

  /** Validates and copies the body. */
  public Residual {
    if (body == null || body.isEmpty()) {
      throw new IllegalArgumentException("a residual block needs at least one layer");
    }
    body = List.copyOf(body);
  }

  /** A residual block around the given layers. */
  public static Residual of(LayerSpec... body) {
    return new Residual(List.of(body));
  }

  @Override
  public int outputWidth(int inputs) {
    int width = inputs;
    for (LayerSpec layer : body) {
      width = layer.outputWidth(width);
    }
    if (width != inputs) {
      throw new IllegalArgumentException(
          "the body of a residual block maps " + inputs + " features to " + width);
    }
    return inputs;
  }

  @Override
  public int requiredInputs() {
    return LayerSpec.firstRequiredInputs(body);
  }

  @Override
  public long storedValues(int inputs) {
    long values = 0;
    int width = inputs;
    for (LayerSpec layer : body) {
      values = Math.addExact(values, layer.storedValues(width));
      width = layer.outputWidth(width);
    }
    return values;
  }

  @Override
  public int minimumTrainingRows() {
    int rows = 1;
    for (LayerSpec layer : body) {
      rows = Math.max(rows, layer.minimumTrainingRows());
    }
    return rows;
  }
}
