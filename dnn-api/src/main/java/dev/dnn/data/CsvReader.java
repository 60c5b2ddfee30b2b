package dev.dnn.data;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads CSV files of numbers, the one reader of this format for the library and the command line:
 * one example per record. Either one column holds the class index (a non-negative integer) and
 * every other column is a feature ({@link #labelColumn}), or every column is a feature ({@link
 * #featuresOnly}).
 *
 * <ul>
 *   <li><b>Records</b>: CSV as RFC 4180 writes it (R's {@code write.csv}, pandas, spreadsheets),
 *       read by Apache Commons CSV: a field in double quotes may hold the delimiter, line breaks
 *       and quotes (written twice, {@code ""}); blanks around a field are not part of it; records
 *       end at {@code \n}, {@code \r\n} or {@code \r}; blank lines are skipped. A quote that is
 *       never closed is an error naming the line and column where it opened.
 *   <li><b>Delimiter</b>: declared ({@link #delimiter(char)}) or detected from the first line: the
 *       one of comma, semicolon and tab that splits it into the most fields outside quotes, comma
 *       on a tie.
 *   <li><b>Numbers</b>: plain decimal or scientific notation ({@code 3}, {@code -0.5}, {@code .5},
 *       {@code 1e-3}), quoted or not, surrounding spaces allowed. NaN, infinities, hexadecimal
 *       floats ({@code 0x1p3}), Java suffixes ({@code 1d}) and values beyond float32 are refused.
 *   <li><b>Header</b>: the first record is a header when declared ({@link #header(boolean)}), or,
 *       by default, when every non-empty field of it is not a number. A first record that mixes
 *       numbers and text is refused, never dropped: declare the header.
 *   <li><b>Text</b>: UTF-8 (a file) with or without a byte order mark; a byte that is not UTF-8 is
 *       an error naming its line, column and byte offset.
 *   <li><b>Size</b>: records are read one at a time and capped ({@link #maxLineLength}, {@link
 *       #maxColumns}) before they are gathered into strings; the values read are checked against
 *       the heap ({@link MemoryBudget}) as they grow, so a huge file is refused in a sentence
 *       instead of ending in an OutOfMemoryError.
 * </ul>
 *
 * A missing or non-numeric cell, a row of the wrong width or a bad label is an error naming the
 * file, line and column.
 *
 * <pre>{@code
 * DataSet data = CsvReader.labelColumn("label").read(Path.of("train.csv"));
 * FeatureTable x = CsvReader.featuresOnly().featureCount(784).readFeatures(Path.of("new.csv"));
 * }</pre>
 *
 * <p>A reader is immutable and may be shared between threads; each read has its own state.
 */
public final class CsvReader {
  /**
   * The default cap on one record (a line, or the lines of a record whose quoted fields hold line
   * breaks): 4 Mi characters, a row of 100,000 long numbers.
   */
  public static final int DEFAULT_MAX_LINE_LENGTH = 1 << 22;

  /** The default cap on the columns of a row. */
  public static final int DEFAULT_MAX_COLUMNS = 1 << 17;

  // The delimiter is not declared: it is detected from the first line.
  private static final char DETECT = 0;

  private static final Pattern LABEL = Pattern.compile("\\+?\\d{1,9}");

  /** Whether {@code cell} (trimmed) is a number in this reader's grammar. */
  static boolean isNumber(String cell) {
    return isDecimal(cell);
  }

  /** Whether {@code cell} (trimmed) is a class index in this reader's grammar. */
  static boolean isClassIndex(String cell) {
    return LABEL.matcher(cell).matches();
  }

  // More distinct class names than this is a column of numbers or ids, not of classes.
  private static final int MAX_CLASS_NAMES = 100_000;

  // Without a declared class count, a label above this is taken as corruption.
  private static final int MAX_INFERRED_CLASSES = 1 << 20;

  /** What the label column holds. */
  private enum LabelKind {
    /** A class index, a non-negative integer. */
    INDEX,
    /** A class name, any text; classes are numbered in the order of their names. */
    NAME,
    /** A float target (regression). */
    TARGET,
    /** Left out: only the features are read. */
    IGNORED
  }

  private enum Header {
    DETECT,
    PRESENT,
    ABSENT
  }

  private final String labelName;
  private final int labelIndex;
  private final Header header;
  private final char delimiter;
  private final int classCount;
  private final int featureCount;
  private final int maxLineLength;
  private final int maxColumns;

  private CsvReader(
      String labelName,
      int labelIndex,
      Header header,
      char delimiter,
      int classCount,
      int featureCount,
      int maxLineLength,
      int maxColumns) {
    this.labelName = labelName;
    this.labelIndex = labelIndex;
    this.header = header;
    this.delimiter = delimiter;
    this.classCount = classCount;
    this.featureCount = featureCount;
    this.maxLineLength = maxLineLength;
    this.maxColumns = maxColumns;
  }

  /** A reader of files with a header line whose label column has this name. */
  public static CsvReader labelColumn(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("label column name must not be empty");
    }
    return new CsvReader(
        name, -1, Header.PRESENT, DETECT, 0, 0, DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_COLUMNS);
  }

  /**
   * A reader of files whose label column is at this 0-based index; the header is detected unless
   * declared.
   */
  public static CsvReader labelColumn(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("label column index must be >= 0, got " + index);
    }
    return new CsvReader(
        null, index, Header.DETECT, DETECT, 0, 0, DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_COLUMNS);
  }

  /**
   * A reader of files without labels, every column a feature, for {@link #readFeatures}; the header
   * is detected unless declared.
   */
  public static CsvReader featuresOnly() {
    return new CsvReader(
        null, -1, Header.DETECT, DETECT, 0, 0, DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_COLUMNS);
  }

  private CsvReader with(Header h, char d, int classes, int features, int line, int columns) {
    return new CsvReader(labelName, labelIndex, h, d, classes, features, line, columns);
  }

  /**
   * Declares whether the first line is a header (required to name the label column). Without this
   * call the header is detected: a first line with no number in it.
   */
  public CsvReader header(boolean hasHeader) {
    if (!hasHeader && labelName != null) {
      throw new IllegalArgumentException("a label column chosen by name needs a header line");
    }
    Header h = hasHeader ? Header.PRESENT : Header.ABSENT;
    return with(h, delimiter, classCount, featureCount, maxLineLength, maxColumns);
  }

  /**
   * Declares the field separator; not a character that can be part of a number. Without this call
   * it is detected from the first line: the one of comma, semicolon and tab that splits it into the
   * most fields outside quotes, comma on a tie.
   */
  public CsvReader delimiter(char separator) {
    if (separator == DETECT || "0123456789.+-eE\"\r\n".indexOf(separator) >= 0) {
      throw new IllegalArgumentException(
          "delimiter '" + separator + "' cannot separate numbers; use ',', ';', tab or space");
    }
    return with(header, separator, classCount, featureCount, maxLineLength, maxColumns);
  }

  /**
   * The number of classes; labels must lie below it. By default it is one more than the largest
   * label found.
   */
  public CsvReader classCount(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("classCount must be at least 1, got " + count);
    }
    return with(header, delimiter, count, featureCount, maxLineLength, maxColumns);
  }

  /** The number of feature columns every row must have (by default: as many as the first row). */
  public CsvReader featureCount(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("featureCount must be at least 1, got " + count);
    }
    return with(header, delimiter, classCount, count, maxLineLength, maxColumns);
  }

  /**
   * The longest record accepted, in characters (default {@value #DEFAULT_MAX_LINE_LENGTH}): a line,
   * or all the lines of a record whose quoted fields hold line breaks, so that no field or record
   * is gathered beyond it.
   */
  public CsvReader maxLineLength(int characters) {
    if (characters < 1) {
      throw new IllegalArgumentException("maxLineLength must be at least 1, got " + characters);
    }
    return with(header, delimiter, classCount, featureCount, characters, maxColumns);
  }

  /** The most columns a row may have (default {@value #DEFAULT_MAX_COLUMNS}). */
  public CsvReader maxColumns(int columns) {
    if (columns < 1) {
      throw new IllegalArgumentException("maxColumns must be at least 1, got " + columns);
    }
    return with(header, delimiter, classCount, featureCount, maxLineLength, columns);
  }

  /**
   * Reads a labelled file (UTF-8) into a classification data set.
   *
   * @throws MalformedFileException naming the file, line and column of the first bad cell
   * @throws InputTooLargeException if a line or the values exceed the caps or the heap
   * @throws IllegalStateException if this reader has no label column
   */
  public DataSet read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(new StrictUtf8Reader(in), file.toString());
    }
  }

  /** Reads labelled CSV text; {@code source} names it in messages. Does not close the reader. */
  public DataSet read(Reader reader, String source) throws IOException {
    requireLabelColumn();
    Rows rows = parse(reader, source);
    int classes = classCount > 0 ? classCount : rows.maxLabel + 1;
    return DataSet.classification(
        rows.features.toArray(source, rows.lastLine),
        rows.featureColumns,
        rows.labels.toArray(source, rows.lastLine),
        classes);
  }

  /**
   * Reads the features of a file (UTF-8): every column of a {@link #featuresOnly} reader, every
   * column but the label's otherwise.
   *
   * @throws MalformedFileException naming the file, line and column of the first bad cell
   * @throws InputTooLargeException if a line or the values exceed the caps or the heap
   */
  public FeatureTable readFeatures(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readFeatures(new StrictUtf8Reader(in), file.toString());
    }
  }

  /** Reads the features of CSV text; {@code source} names it in messages. Does not close it. */
  public FeatureTable readFeatures(Reader reader, String source) throws IOException {
    Rows rows = parse(reader, source, LabelKind.IGNORED);
    return new FeatureTable(
        source, rows.names, rows.features.toArray(source, rows.lastLine), rows.featureColumns);
  }

  /**
   * A classification data set whose labels are class names, with the name of each class.
   *
   * @param data the examples; the label of an example is the index of its name in {@code
   *     classNames}
   * @param classNames the distinct labels of the file, in order: numerically when every label is an
   *     integer (so {@code 1, 2, 10}), else as text
   */
  public record NamedClasses(DataSet data, List<String> classNames) {
    /** Copies the names. */
    public NamedClasses {
      classNames = List.copyOf(classNames);
    }
  }

  /**
   * Reads a labelled file (UTF-8) whose labels are class names (any text, such as {@code cheap},
   * {@code setosa} or {@code 3}) into a classification data set and the names of its classes.
   *
   * @throws MalformedFileException naming the file, line and column of the first bad cell
   * @throws InputTooLargeException if a line or the values exceed the caps or the heap
   * @throws IllegalStateException if this reader has no label column
   */
  public NamedClasses readNamedClasses(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readNamedClasses(new StrictUtf8Reader(in), file.toString());
    }
  }

  /** As {@link #readNamedClasses(Path)}, from text; {@code source} names it in messages. */
  public NamedClasses readNamedClasses(Reader reader, String source) throws IOException {
    requireLabelColumn();
    Rows rows = parse(reader, source, LabelKind.NAME);
    List<String> sorted = new ArrayList<>(rows.labelNames);
    boolean numeric = sorted.stream().allMatch(n -> LABEL.matcher(n).matches());
    sorted.sort(
        numeric ? Comparator.comparingLong(n -> Long.parseLong(n)) : Comparator.naturalOrder());
    int[] order = new int[sorted.size()];
    for (int k = 0; k < sorted.size(); k++) {
      order[rows.labelIds.get(sorted.get(k))] = k;
    }
    int[] labels = rows.labels.toArray(source, rows.lastLine);
    for (int i = 0; i < labels.length; i++) {
      labels[i] = order[labels[i]];
    }
    DataSet data =
        DataSet.classification(
            rows.features.toArray(source, rows.lastLine),
            rows.featureColumns,
            labels,
            sorted.size());
    return new NamedClasses(data, sorted);
  }

  /**
   * Reads a file (UTF-8) whose label column holds a number to predict (regression) into a data set
   * with one float target per example.
   *
   * @throws MalformedFileException naming the file, line and column of the first bad cell
   * @throws InputTooLargeException if a line or the values exceed the caps or the heap
   * @throws IllegalStateException if this reader has no label column
   */
  public DataSet readTargets(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readTargets(new StrictUtf8Reader(in), file.toString());
    }
  }

  /** As {@link #readTargets(Path)}, from text; {@code source} names it in messages. */
  public DataSet readTargets(Reader reader, String source) throws IOException {
    requireLabelColumn();
    Rows rows = parse(reader, source, LabelKind.TARGET);
    return DataSet.regression(
        rows.features.toArray(source, rows.lastLine),
        rows.featureColumns,
        rows.targets.toArray(source, rows.lastLine),
        1);
  }

  private void requireLabelColumn() {
    if (labelName == null && labelIndex < 0) {
      throw new IllegalStateException("a featuresOnly() reader has no labels: use readFeatures");
    }
  }

  private static int nameId(Rows rows, String name, String source, String where)
      throws MalformedFileException {
    Integer id = rows.labelIds.get(name);
    if (id == null) {
      if (rows.labelNames.size() >= MAX_CLASS_NAMES) {
        throw new MalformedFileException(
            source,
            where,
            "more than "
                + MAX_CLASS_NAMES
                + " distinct labels: is this column a class, or a number to predict (a"
                + " regression target)?");
      }
      id = rows.labelNames.size();
      rows.labelIds.put(name, id);
      rows.labelNames.add(name);
    }
    return id;
  }

  /** What {@link #parse} gathered. */
  private static final class Rows {
    final ValueBuffers.FloatBuilder features = new ValueBuffers.FloatBuilder();
    final ValueBuffers.IntBuilder labels = new ValueBuffers.IntBuilder();
    final ValueBuffers.FloatBuilder targets = new ValueBuffers.FloatBuilder();
    final Map<String, Integer> labelIds = new HashMap<>();
    final List<String> labelNames = new ArrayList<>();
    List<String> names = List.of();
    int featureColumns;
    int maxLabel = -1;
    int lastLine;
  }

  private Rows parse(Reader reader, String source) throws IOException {
    return parse(reader, source, LabelKind.INDEX);
  }

  private Rows parse(Reader reader, String source, LabelKind kind) throws IOException {
    CsvRecords records = new CsvRecords(reader, source, delimiter, maxLineLength, maxColumns);
    Rows rows = new Rows();
    int columns = -1;
    int label = labelIndex;
    String[] cells = records.next();
    if (cells == null) {
      throw new MalformedFileException(source, "line 1", "empty file, no header and no rows");
    }
    int headerLine = records.line();
    if (isHeader(cells, source, records)) {
      columns = cells.length;
      List<String> names = new ArrayList<>(List.of(cells));
      if (labelName != null) {
        label = names.indexOf(labelName);
        if (label < 0) {
          throw new MalformedFileException(
              source,
              "line " + headerLine,
              "no column named '"
                  + labelName
                  + "' in header "
                  + names
                  + delimiterHint(records, cells));
        }
      }
      checkColumns(label, columns, source, headerLine);
      if (label >= 0) {
        names.remove(label);
      }
      rows.names = names;
      cells = records.next();
    }
    while (cells != null) {
      int number = records.line();
      if (columns < 0) {
        columns = cells.length;
        checkColumns(label, columns, source, number);
      }
      if (cells.length != columns) {
        throw new MalformedFileException(
            source,
            records.where(Math.min(cells.length, columns)),
            "expected "
                + columns
                + " cells, found "
                + cells.length
                + delimiterHint(records, cells));
      }
      for (int c = 0; c < columns; c++) {
        String cell = cells[c].trim();
        if (cell.isEmpty()) {
          throw new MalformedFileException(source, records.where(c), "missing value");
        }
        if (c != label) {
          // The common case, without building a location for messages that are not sent.
          float v = parseFeature(cell, source, records, c);
          if (!rows.features.tryAdd(v)) {
            rows.features.add(v, source, records.where(c));
          }
        } else {
          String where = records.where(c);
          switch (kind) {
            case INDEX -> {
              int y = parseLabel(cell, source, where);
              rows.labels.add(y, source, where);
              rows.maxLabel = Math.max(rows.maxLabel, y);
            }
            case NAME -> rows.labels.add(nameId(rows, cells[c], source, where), source, where);
            case TARGET -> rows.targets.add(parseFeature(cell, source, records, c), source, where);
            case IGNORED -> {
              // The features of a labelled file, to predict: the label is not read.
            }
          }
        }
      }
      rows.lastLine = number;
      cells = records.next();
    }
    if (rows.lastLine == 0) {
      throw new MalformedFileException(
          source, "line " + headerLine, "no data rows after the header");
    }
    rows.featureColumns = columns - (label >= 0 ? 1 : 0);
    return rows;
  }

  /**
   * Whether the first line is a header: as declared, or when none of its non-empty fields is a
   * number. A line mixing numbers and text is neither a safe header nor a safe row.
   */
  private boolean isHeader(String[] cells, String source, CsvRecords records)
      throws MalformedFileException {
    if (header != Header.DETECT) {
      return header == Header.PRESENT;
    }
    int numbers = 0;
    int texts = 0;
    int firstText = -1;
    int firstNumber = -1;
    for (int c = 0; c < cells.length; c++) {
      String cell = cells[c].trim();
      if (cell.isEmpty()) {
        continue;
      }
      if (isDecimal(cell)) {
        numbers++;
        firstNumber = firstNumber < 0 ? c : firstNumber;
      } else {
        texts++;
        firstText = firstText < 0 ? c : firstText;
      }
    }
    if (numbers > 0 && texts > 0) {
      throw new MalformedFileException(
          source,
          records.where(firstText),
          "'"
              + abbreviate(cells[firstText].trim())
              + "' is not a number, but column "
              + (firstNumber + 1)
              + " is: the first line is neither a header nor a row of numbers (declare a header"
              + " if it is one)");
    }
    return texts > 0;
  }

  private void checkColumns(int label, int columns, String source, int line)
      throws MalformedFileException {
    if (label >= columns) {
      throw new MalformedFileException(
          source,
          "line " + line,
          "label column " + label + " does not exist in a row of " + columns + " cells");
    }
    int features = columns - (label >= 0 ? 1 : 0);
    if (features < 1) {
      throw new MalformedFileException(
          source, "line " + line, "need at least one feature column besides the label");
    }
    if (featureCount > 0 && features != featureCount) {
      throw new MalformedFileException(
          source,
          "line " + line,
          features + " feature columns, expected " + featureCount + " (the model's inputs)");
    }
  }

  /**
   * When the delimiter was detected and a cell holds another of the candidates, a word on how to
   * declare it; else nothing.
   */
  private static String delimiterHint(CsvRecords records, String... cells) {
    if (!records.detected()) {
      return "";
    }
    for (String cell : cells) {
      for (char other : new char[] {',', ';', '\t'}) {
        if (other != records.delimiter() && cell.indexOf(other) >= 0) {
          return " (the delimiter was taken to be "
              + describe(records.delimiter())
              + " from the first line; if it is "
              + describe(other)
              + ", declare it)";
        }
      }
    }
    return "";
  }

  private static String describe(char delimiter) {
    return delimiter == '\t' ? "tab" : "'" + delimiter + "'";
  }

  private int parseLabel(String cell, String source, String where) throws MalformedFileException {
    if (!LABEL.matcher(cell).matches()) {
      throw new MalformedFileException(
          source, where, "label '" + abbreviate(cell) + "' is not a non-negative integer");
    }
    int y = Integer.parseInt(cell);
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
    return y;
  }

  private static float parseFeature(String cell, String source, CsvRecords records, int field)
      throws MalformedFileException {
    if (!isDecimal(cell)) {
      throw new MalformedFileException(
          source,
          records.where(field),
          "'"
              + abbreviate(cell)
              + "' is not a number (decimal or scientific notation; NaN, infinity and"
              + " hexadecimal are refused)"
              + delimiterHint(records, cell));
    }
    float v = Float.parseFloat(cell);
    if (!Float.isFinite(v)) {
      throw new MalformedFileException(
          source, records.where(field), "'" + abbreviate(cell) + "' overflows float32");
    }
    return v;
  }

  /**
   * Whether the text is a plain decimal number, {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?} with
   * ASCII digits: {@link Float#parseFloat} alone would also take "1d", "0x1p3" or "NaN". A loop
   * rather than a regular expression, for it runs once per cell.
   */
  static boolean isDecimal(String text) {
    int n = text.length();
    int i = 0;
    if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && isDigit(text.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && text.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      i++;
      if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
        i++;
      }
      int exponent = i;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
      }
      if (i == exponent) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String abbreviate(String cell) {
    return cell.length() <= 40 ? cell : cell.substring(0, 40) + "...";
  }
}
