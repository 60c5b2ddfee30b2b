package dev.dnn.data;

import dev.dnn.io.MalformedFileException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Reads a classification data set from a CSV file of numbers: one example per line, one column
 * holding the class index (a non-negative integer), every other column a feature. Fields are
 * separated by a delimiter and not quoted. Blank lines are skipped, and so is a byte order mark at
 * the start. A missing or non-numeric cell, a non-finite value or a row of the wrong width is an
 * error naming the file, line and column.
 *
 * <pre>{@code
 * DataSet data = CsvReader.labelColumn("label").read(Path.of("train.csv"));
 * }</pre>
 */
public final class CsvReader {
  // Decimal numbers only: Float.parseFloat alone would also take "1d", "0x1p3" or "NaN".
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  // Without a declared class count, a label above this is taken as corruption.
  private static final int MAX_INFERRED_CLASSES = 1 << 20;

  private final String labelName;
  private final int labelIndex;
  private final boolean header;
  private final char delimiter;
  private final int classCount;

  private CsvReader(
      String labelName, int labelIndex, boolean header, char delimiter, int classCount) {
    this.labelName = labelName;
    this.labelIndex = labelIndex;
    this.header = header;
    this.delimiter = delimiter;
    this.classCount = classCount;
  }

  /** A reader of files with a header line whose label column has this name. */
  public static CsvReader labelColumn(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("label column name must not be empty");
    }
    return new CsvReader(name, -1, true, ',', 0);
  }

  /** A reader of files with a header line whose label column is at this 0-based index. */
  public static CsvReader labelColumn(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("label column index must be >= 0, got " + index);
    }
    return new CsvReader(null, index, true, ',', 0);
  }

  /** Whether the first line is a header (default true; required to name the label column). */
  public CsvReader header(boolean hasHeader) {
    if (!hasHeader && labelName != null) {
      throw new IllegalArgumentException("a label column chosen by name needs a header line");
    }
    return new CsvReader(labelName, labelIndex, hasHeader, delimiter, classCount);
  }

  /** The field separator (default ','). */
  public CsvReader delimiter(char separator) {
    return new CsvReader(labelName, labelIndex, header, separator, classCount);
  }

  /**
   * The number of classes; labels must lie below it. By default it is one more than the largest
   * label found.
   */
  public CsvReader classCount(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("classCount must be at least 1, got " + count);
    }
    return new CsvReader(labelName, labelIndex, header, delimiter, count);
  }

  /**
   * Reads the file (UTF-8).
   *
   * @throws MalformedFileException naming the file, line and column of the first bad cell
   */
  public DataSet read(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader, file.toString());
    } catch (CharacterCodingException e) {
      throw new MalformedFileException(file.toString(), "text", "not valid UTF-8", e);
    }
  }

  /** Reads CSV text; {@code source} names it in messages. Does not close the reader. */
  public DataSet read(Reader reader, String source) throws IOException {
    BufferedReader lines =
        reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    skipByteOrderMark(lines);
    int lineNumber = 0;
    int columns = -1;
    int label = labelIndex;
    String line;
    if (header) {
      line = lines.readLine();
      lineNumber++;
      if (line == null) {
        throw new MalformedFileException(source, "line 1", "empty file, expected a header line");
      }
      String[] names = split(line);
      columns = names.length;
      if (labelName != null) {
        label = Arrays.asList(names).indexOf(labelName);
        if (label < 0) {
          // Tolerate surrounding spaces in header names.
          for (int c = 0; c < names.length && label < 0; c++) {
            if (names[c].trim().equals(labelName)) {
              label = c;
            }
          }
        }
        if (label < 0) {
          throw new MalformedFileException(
              source,
              "line 1",
              "no column named '" + labelName + "' in header " + Arrays.toString(names));
        }
      }
      checkLabelColumn(label, columns, source, 1);
    }
    FloatBuilder features = new FloatBuilder();
    IntBuilder labels = new IntBuilder();
    int maxLabel = -1;
    while ((line = lines.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String[] cells = split(line);
      if (columns < 0) {
        columns = cells.length;
        checkLabelColumn(label, columns, source, lineNumber);
      }
      if (cells.length != columns) {
        throw new MalformedFileException(
            source,
            "line " + lineNumber + ", column " + (Math.min(cells.length, columns) + 1),
            "expected " + columns + " cells, found " + cells.length);
      }
      for (int c = 0; c < columns; c++) {
        String cell = cells[c].trim();
        String where = "line " + lineNumber + ", column " + (c + 1);
        if (cell.isEmpty()) {
          throw new MalformedFileException(source, where, "missing value");
        }
        if (c == label) {
          int y = parseLabel(cell, source, where);
          if (classCount == 0 && y >= MAX_INFERRED_CLASSES) {
            throw new MalformedFileException(
                source,
                where,
                "label " + y + " is implausibly large; set classCount explicitly if it is meant");
          }
          if (classCount > 0 && y >= classCount) {
            throw new MalformedFileException(
                source, where, "label " + y + " is not below the class count " + classCount);
          }
          labels.add(y);
          maxLabel = Math.max(maxLabel, y);
        } else {
          features.add(parseFeature(cell, source, where));
        }
      }
    }
    if (labels.size == 0) {
      throw new MalformedFileException(source, "line " + lineNumber, "no data rows");
    }
    if (columns < 2) {
      throw new MalformedFileException(
          source, "line 1", "need a label column and at least one feature column");
    }
    int classes = classCount > 0 ? classCount : maxLabel + 1;
    return DataSet.classification(features.toArray(), columns - 1, labels.toArray(), classes);
  }

  /** Skips the byte order mark that some programs write before the first cell of UTF-8 text. */
  private static void skipByteOrderMark(BufferedReader lines) throws IOException {
    lines.mark(1);
    if (lines.read() != '\uFEFF') {
      lines.reset();
    }
  }

  private static void checkLabelColumn(int label, int columns, String source, int line)
      throws MalformedFileException {
    if (label >= columns) {
      throw new MalformedFileException(
          source,
          "line " + line,
          "label column " + label + " does not exist in a row of " + columns + " cells");
    }
  }

  private String[] split(String line) {
    return line.split(Pattern.quote(String.valueOf(delimiter)), -1);
  }

  private static int parseLabel(String cell, String source, String where)
      throws MalformedFileException {
    try {
      int y = Integer.parseInt(cell);
      if (y >= 0) {
        return y;
      }
    } catch (NumberFormatException e) {
      // Reported below, as every bad label.
    }
    throw new MalformedFileException(
        source, where, "label '" + abbreviate(cell) + "' is not a non-negative integer");
  }

  private static float parseFeature(String cell, String source, String where)
      throws MalformedFileException {
    if (!NUMBER.matcher(cell).matches()) {
      throw new MalformedFileException(source, where, "'" + abbreviate(cell) + "' is not a number");
    }
    float v = Float.parseFloat(cell);
    if (!Float.isFinite(v)) {
      throw new MalformedFileException(
          source, where, "'" + abbreviate(cell) + "' overflows float32");
    }
    return v;
  }

  private static String abbreviate(String cell) {
    return cell.length() <= 40 ? cell : cell.substring(0, 40) + "...";
  }

  /** A growable float array (avoids boxing a million values). */
  private static final class FloatBuilder {
    private float[] values = new float[1024];
    private int size;

    void add(float v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  private static final class IntBuilder {
    private int[] values = new int[256];
    private int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
