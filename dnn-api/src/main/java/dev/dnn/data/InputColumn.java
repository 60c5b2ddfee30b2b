package dev.dnn.data;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One raw input column of a model: its name and, for a text (categorical) column, its vocabulary. A
 * numeric column feeds one model input; a text column feeds one input per category, its one-hot
 * code, in the order of {@link #categories()}. Immutable, so it may be shared between threads.
 *
 * @param name the column's name, as the header of the training file had it
 * @param categories the values a text column may take, in the order of their inputs; empty for a
 *     numeric column
 */
public record InputColumn(String name, List<String> categories) {
  /** Checks the name and that the categories are distinct and not null; copies them. */
  public InputColumn {
    Objects.requireNonNull(name, "name");
    categories = List.copyOf(categories);
    Set<String> seen = new HashSet<>();
    for (String c : categories) {
      if (!seen.add(c)) {
        throw new IllegalArgumentException(
            "column '" + name + "' lists category '" + c + "' twice");
      }
    }
  }

  /** A numeric column. */
  public static InputColumn numeric(String name) {
    return new InputColumn(name, List.of());
  }

  /** A text column with these categories, one-hot encoded in this order. */
  public static InputColumn categorical(String name, List<String> categories) {
    if (categories.isEmpty()) {
      throw new IllegalArgumentException("text column '" + name + "' needs at least one category");
    }
    return new InputColumn(name, categories);
  }

  /** Whether this column holds text that is one-hot encoded. */
  public boolean isCategorical() {
    return !categories.isEmpty();
  }

  /** The number of model inputs this column feeds: 1, or one per category. */
  public int width() {
    return isCategorical() ? categories.size() : 1;
  }
}
