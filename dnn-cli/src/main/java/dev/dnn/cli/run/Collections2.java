package dev.dnn.cli.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Order-keeping immutable copies ({@link Map#copyOf} forgets the order). */
final class Collections2 {
  private Collections2() {}

  static <K, V> Map<K, V> orderedCopy(Map<K, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
