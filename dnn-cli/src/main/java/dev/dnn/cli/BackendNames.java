package dev.dnn.cli;

import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses backend names on the command line and resolves them to the backends to run on. */
final class BackendNames {
  /** Every usable backend. */
  static final String ALL = "all";

  private BackendNames() {}

  /** The names of the providers on the class path, highest priority first. */
  static List<String> known() {
    return Backends.providers().stream().map(BackendProvider::name).toList();
  }

  /** Checks one name: {@code auto} or a provider on the class path. */
  static String check(String value, boolean allowAll) {
    String name = value.trim().toLowerCase(Locale.ROOT);
    if (name.equals(Backends.AUTO) || (allowAll && name.equals(ALL)) || known().contains(name)) {
      return name;
    }
    List<String> accepted = new ArrayList<>(List.of(Backends.AUTO));
    if (allowAll) {
      accepted.add(ALL);
    }
    accepted.addAll(known());
    throw new TypeConversionException(
        "unknown backend '" + value + "'; choose one of " + String.join(", ", accepted));
  }

  /**
   * The backends a list of names asks for, each once, in order: {@code auto} is the best usable
   * one, {@code all} every usable one.
   */
  static List<String> resolve(List<String> names) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String name : names) {
      if (name.equals(ALL)) {
        for (BackendProvider provider : Backends.providers()) {
          if (provider.availability().usable()) {
            chosen.add(provider.name());
          }
        }
      } else {
        // Throws with the reason when a named backend is not usable.
        chosen.add(Backends.provider(name).name());
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("no usable backend among " + names);
    }
    return List.copyOf(chosen);
  }

  /** Converter for an option that takes one backend. */
  static final class One implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return check(value, false);
    }
  }

  /** Converter for an option that takes a list of backends, or {@code all}. */
  static final class Many implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return check(value, true);
    }
  }
}
