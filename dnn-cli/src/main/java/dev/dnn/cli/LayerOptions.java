package dev.dnn.cli;

import dev.dnn.backend.ActivationKind;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The hidden layers of a network, {@code --hidden} and {@code --activation}: declared once for
 * train, compare and transfer. A command that wants other defaults names them in its {@code
 * defaultValueProvider}, which picocli consults before the ones declared here.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each command has its own
 * instance.
 */
public final class LayerOptions {
  @Option(
      names = "--hidden",
      split = ",",
      paramLabel = "WIDTHS",
      converter = PositiveWidth.class,
      description =
          "Hidden layer widths, comma separated (default: ${DEFAULT-VALUE}). For train --csv"
              + " without --hidden: two layers sized from the input width, the power of two at or"
              + " above twice the inputs (16 to 256), then half of it.",
      defaultValue = "500,250,75,25")
  List<Integer> hidden = new ArrayList<>();

  @Option(
      names = "--activation",
      paramLabel = "FN",
      converter = LibraryNames.ActivationName.class,
      completionCandidates = LibraryNames.ActivationNames.class,
      description = "Hidden activation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "relu")
  ActivationKind activation;

  /** The hidden widths as an array, first layer first. */
  int[] widths() {
    return hidden.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Parses one hidden width: a positive integer. */
  static final class PositiveWidth implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int width;
      try {
        width = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a layer width; expected positive integers such as 500,250,75,25");
      }
      if (width < 1) {
        throw new TypeConversionException("layer width " + width + " must be at least 1");
      }
      return width;
    }
  }
}
