package dev.dnn.names;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The names of one closed set of values: each value has one canonical name and may be accepted
 * under other spellings. Lookups ignore case and surrounding blanks and treat {@code _} as {@code
 * -}, so {@code LEAKY_RELU}, {@code leaky_relu} and {@code leaky-relu} are one name; an unknown
 * name is an error that lists the valid ones.
 *
 * <p>Immutable and safe to share between threads; its {@link Builder} is not.
 *
 * @param <T> the values
 */
public final class NameRegistry<T> {
  private final String kind;
  private final Map<String, T> byCanonicalName;
  private final Map<String, String> canonicalBySpelling;
  private final Map<T, String> nameByValue;

  private NameRegistry(Builder<T> builder) {
    this.kind = builder.kind;
    this.byCanonicalName = Collections.unmodifiableMap(new LinkedHashMap<>(builder.values));
    this.canonicalBySpelling = Map.copyOf(builder.spellings);
    this.nameByValue = Map.copyOf(builder.names);
  }

  /** A builder of the names of {@code kind}, such as {@code "activation"}, used in messages. */
  public static <T> Builder<T> of(String kind) {
    return new Builder<>(kind);
  }

  /**
   * The names of every constant of an enum: each is known by its constant's name in lower case with
   * {@code -} for {@code _} ({@code LEAKY_RELU} is {@code leaky-relu}), unless {@code shortNames}
   * gives it another canonical name, in which case the constant's name is still accepted.
   */
  public static <E extends Enum<E>> NameRegistry<E> ofEnum(
      String kind, Class<E> type, Map<E, String> shortNames) {
    Builder<E> builder = of(kind);
    for (E constant : type.getEnumConstants()) {
      String own = normalize(constant.name());
      String canonical = shortNames.getOrDefault(constant, own);
      if (canonical.equals(own)) {
        builder.add(canonical, constant);
      } else {
        builder.add(canonical, constant, own);
      }
    }
    return builder.build();
  }

  /** The canonical form of a spelling: trimmed, lower case, {@code -} for {@code _}. */
  public static String normalize(String spelling) {
    return spelling.trim().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The value of a name, in any accepted spelling.
   *
   * @throws IllegalArgumentException naming the unknown name and listing the valid ones
   */
  public T named(String name) {
    return byCanonicalName.get(canonicalName(name));
  }

  /**
   * The canonical name of an accepted spelling.
   *
   * @throws IllegalArgumentException naming the unknown name and listing the valid ones
   */
  public String canonicalName(String spelling) {
    Objects.requireNonNull(spelling, kind + " name");
    String canonical = canonicalBySpelling.get(normalize(spelling));
    if (canonical == null) {
      throw new IllegalArgumentException(
          "unknown " + kind + " '" + spelling + "'; valid names: " + String.join(", ", names()));
    }
    return canonical;
  }

  /** The canonical names, in the order they were added. */
  public List<String> names() {
    return List.copyOf(byCanonicalName.keySet());
  }

  /** The canonical name of a value. */
  public String nameOf(T value) {
    String name = nameByValue.get(Objects.requireNonNull(value, kind));
    if (name == null) {
      throw new IllegalArgumentException(kind + " " + value + " has no name");
    }
    return name;
  }

  /**
   * Collects the names of a registry.
   *
   * @param <T> the values
   */
  public static final class Builder<T> {
    private final String kind;
    private final Map<String, T> values = new LinkedHashMap<>();
    private final Map<String, String> spellings = new HashMap<>();
    private final Map<T, String> names = new HashMap<>();

    private Builder(String kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * Adds a value under its canonical name and other accepted spellings.
     *
     * @throws IllegalArgumentException if a name or the value is taken already
     */
    public Builder<T> add(String canonicalName, T value, String... alsoAccepted) {
      String canonical = normalize(canonicalName);
      if (!canonical.equals(canonicalName)) {
        throw new IllegalArgumentException(
            "canonical " + kind + " name '" + canonicalName + "' is not in normal form");
      }
      if (names.containsKey(Objects.requireNonNull(value, kind))) {
        throw new IllegalArgumentException(kind + " " + value + " is named twice");
      }
      List<String> all = new ArrayList<>();
      all.add(canonical);
      for (String spelling : alsoAccepted) {
        all.add(normalize(spelling));
      }
      for (String spelling : all) {
        if (spellings.containsKey(spelling)) {
          throw new IllegalArgumentException(kind + " name '" + spelling + "' is taken");
        }
      }
      // Checked first, so that a refused value leaves the builder as it was.
      all.forEach(spelling -> spellings.put(spelling, canonical));
      values.put(canonical, value);
      names.put(value, canonical);
      return this;
    }

    /** The registry of the names added. */
    public NameRegistry<T> build() {
      return new NameRegistry<>(this);
    }
  }
}
