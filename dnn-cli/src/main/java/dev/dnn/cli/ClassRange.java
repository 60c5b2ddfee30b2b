package dev.dnn.cli;

import dev.dnn.data.DataSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A contiguous range of class labels, {@code FIRST-LAST} (e.g. {@code 5-9}), that keeps only the
 * examples of those classes and relabels them from 0, as when a model is transferred to a subset of
 * the classes.
 *
 * @param first the lowest kept label
 * @param last the highest kept label
 */
record ClassRange(int first, int last) {
  /** Checks the bounds: at least two classes, since one relabelled 0 is always predicted right. */
  ClassRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException(
          "a class range needs 0 <= FIRST <= LAST, got " + first + "-" + last);
    }
    if (last == first) {
      throw new IllegalArgumentException(
          "a class range needs at least two classes to tell apart, got " + first + "-" + last);
    }
  }

  /** The number of classes kept. */
  int count() {
    return last - first + 1;
  }

  /** The examples of {@code data} in this range, relabelled {@code 0..count-1}. */
  DataSet apply(DataSet data) {
    if (last >= data.classCount()) {
      throw new IllegalArgumentException(
          "--classes "
              + this
              + " reaches beyond the data, which has classes 0-"
              + (data.classCount() - 1));
    }
    return data.ofClasses(IntStream.rangeClosed(first, last).toArray());
  }

  /**
   * The names of the kept classes, taken from {@code names} (the names of the classes before
   * narrowing), or their original numbers when there are none, so that a narrowed model still says
   * which original class each output is.
   */
  List<String> names(List<String> names) {
    List<String> kept = new ArrayList<>();
    for (int c = first; c <= last; c++) {
      kept.add(c < names.size() ? names.get(c) : String.valueOf(c));
    }
    return kept;
  }

  /** {@code FIRST-LAST}, as given on the command line. */
  @Override
  public String toString() {
    return first + "-" + last;
  }

  /** Parses {@code FIRST-LAST}. */
  static final class Converter implements ITypeConverter<ClassRange> {
    @Override
    public ClassRange convert(String value) {
      String[] parts = value.split("-", -1);
      try {
        if (parts.length == 2) {
          return new ClassRange(
              Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      } catch (IllegalArgumentException e) {
        // A converter's own message is shown as it is only for a TypeConversionException.
        throw new TypeConversionException(e.getMessage());
      }
      throw new TypeConversionException(
          "expected a class range FIRST-LAST such as 5-9, got '" + value + "'");
    }
  }
}
