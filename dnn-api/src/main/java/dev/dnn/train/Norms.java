package dev.dnn.train;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** L2 norms of named tensors, summed per top-level layer ({@code layers.<i>}). */
final class Norms {
  private Norms() {}

  static Map<String, Double> perLayer(Backend backend, Map<String, Tensor> tensors) {
    Map<String, Double> squares = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      squares.merge(layerOf(e.getKey()), (double) backend.squaredNorm(e.getValue()), Double::sum);
    }
    Map<String, Double> norms = new LinkedHashMap<>();
    squares.forEach((layer, s) -> norms.put(layer, Math.sqrt(s)));
    return norms;
  }

  /** {@code layers.3.body.0.weight} belongs to {@code layers.3}. */
  static String layerOf(String parameter) {
    int first = parameter.indexOf('.');
    int second = first < 0 ? -1 : parameter.indexOf('.', first + 1);
    return second < 0 ? parameter : parameter.substring(0, second);
  }
}
