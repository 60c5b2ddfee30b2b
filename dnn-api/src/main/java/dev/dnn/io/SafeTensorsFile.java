package dev.dnn.io;

import java.util.Map;

/**
 * The content of a safetensors file: named float arrays, in the order of their data in the file,
 * and the {@code __metadata__} string map.
 *
 * <p>Its maps are unmodifiable, but the arrays of its {@link HostArray}s are not copied: safe to
 * share between threads as long as no one writes them.
 *
 * @param tensors the arrays by name, in file order (unmodifiable)
 * @param metadata the free-form string metadata (unmodifiable, possibly empty)
 */
public record SafeTensorsFile(Map<String, HostArray> tensors, Map<String, String> metadata) {
  /** Copies both maps into unmodifiable ones that keep their order. */
  public SafeTensorsFile {
    tensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensors));
    metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
  }

  /** The array with this name. */
  public HostArray tensor(String name) {
    HostArray array = tensors.get(name);
    if (array == null) {
      throw new IllegalArgumentException(
          "no tensor named '" + name + "'; the file holds " + tensors.keySet());
    }
    return array;
  }
}
