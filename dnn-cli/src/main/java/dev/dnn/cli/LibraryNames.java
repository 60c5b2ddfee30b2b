package dev.dnn.cli;

import dev.dnn.backend.ActivationKind;
import dev.dnn.init.Init;
import dev.dnn.loss.Loss;
import dev.dnn.optim.Optimizers;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The command line's view of the library's names: option converters that read any spelling the
 * library accepts and reject others with the list of valid names, and the completion candidates
 * that help texts show as {@code ${COMPLETION-CANDIDATES}}.
 */
final class LibraryNames {
  private LibraryNames() {}

  /** Reads a name through a library lookup; its error becomes a usage error. */
  abstract static class Converter<T> implements ITypeConverter<T> {
    private final Function<String, T> lookup;

    Converter(Function<String, T> lookup) {
      this.lookup = lookup;
    }

    @Override
    public T convert(String value) {
      try {
        return lookup.apply(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A fixed list of names, as picocli's completion candidates. */
  abstract static class Candidates implements Iterable<String> {
    private final List<String> names;

    Candidates(List<String> names) {
      this.names = names;
    }

    @Override
    public Iterator<String> iterator() {
      return names.iterator();
    }
  }

  /** Reads an activation name ({@link ActivationKind#named}). */
  static final class ActivationName extends Converter<ActivationKind> {
    ActivationName() {
      super(ActivationKind::named);
    }
  }

  /** The activation names. */
  static final class ActivationNames extends Candidates {
    ActivationNames() {
      super(ActivationKind.names());
    }
  }

  /** Reads an initializer name ({@link Init#named}). */
  static final class InitName extends Converter<Init> {
    InitName() {
      super(Init::named);
    }
  }

  /** The initializer names. */
  static final class InitNames extends Candidates {
    InitNames() {
      super(Init.names());
    }
  }

  /** Reads an optimizer name into its canonical form ({@link Optimizers#canonicalName}). */
  static final class OptimizerName extends Converter<String> {
    OptimizerName() {
      super(Optimizers::canonicalName);
    }
  }

  /** The optimizer names. */
  static final class OptimizerNames extends Candidates {
    OptimizerNames() {
      super(Optimizers.names());
    }
  }

  /** The loss names. */
  static final class LossNames extends Candidates {
    LossNames() {
      super(Loss.names());
    }
  }
}
