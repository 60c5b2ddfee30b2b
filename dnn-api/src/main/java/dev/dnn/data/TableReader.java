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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Reads CSV tables whose header names the columns, numeric or text, into a model's inputs: the
 * columns a model was trained on are found by name in any order, text columns are one-hot encoded
 * with the model's vocabulary, and the label column gives class names or numbers to predict. One
 * grammar with {@link CsvReader} (numbers, UTF-8, limits); the delimiter is detected from the
 * header line (comma, semicolon or tab) unless declared.
 *
 * <p>An unknown category at prediction time is an error naming its row, column and value, not an
 * all-zero code: a value the model never saw (a typo, a new code) would otherwise be answered
 * silently as if the column were absent.
 *
 * <p>Immutable; one instance may be shared between threads.
 *
 * <pre>{@code
 * TableReader reader = TableReader.csv();
 * List<InputColumn> columns = reader.inferColumns(Path.of("houses.csv"), "price_class");
 * TableReader.Table table = reader.readClasses(Path.of("houses.csv"), columns, "price_class");
 * // later, for a trained model, with the columns in any order:
 * DataSet rows = reader.readFeatures(Path.of("new.csv"), model.preprocessing()).data();
 * }</pre>
 */
public final class TableReader {
  /** The default cap on a text column's distinct values. */
  public static final int DEFAULT_MAX_CATEGORIES = 1000;

  /** More distinct numeric labels than this are a number to predict, not classes. */
  public static final int MAX_NUMERIC_CLASSES = 100;

  private static final char DETECT = 0;

  private final char delimiter;
  private final List<String> features;
  private final List<String> ignored;
  private final int maxCategories;

  private TableReader(char delimiter, List<String> features, List<String> ignored, int max) {
    this.delimiter = delimiter;
    this.features = List.copyOf(features);
    this.ignored = List.copyOf(ignored);
    this.maxCategories = max;
  }

  /** A reader that detects the delimiter and uses every column but the label. */
  public static TableReader csv() {
    return new TableReader(DETECT, List.of(), List.of(), DEFAULT_MAX_CATEGORIES);
  }

  /** This reader with a declared delimiter. */
  public TableReader delimiter(char separator) {
    if ("0123456789.+-eE\"\r\n".indexOf(separator) >= 0) {
      throw new IllegalArgumentException(
          "delimiter '" + separator + "' cannot separate numbers; use ',', ';', tab or space");
    }
    return new TableReader(separator, features, ignored, maxCategories);
  }

  /** This reader taking only these feature columns (empty: all but the label and ignored ones). */
  public TableReader features(List<String> names) {
    return new TableReader(delimiter, names, ignored, maxCategories);
  }

  /** This reader leaving these columns out. */
  public TableReader ignore(List<String> names) {
    return new TableReader(delimiter, features, names, maxCategories);
  }

  /** This reader refusing text columns of more distinct values than {@code max}. */
  public TableReader maxCategories(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxCategories must be at least 1, got " + max);
    }
    return new TableReader(delimiter, features, ignored, max);
  }

  /**
   * Rows read for a model.
   *
   * @param data the features in the model's numeric form, with class labels, float targets or
   *     neither
   * @param classNames the class names of the labels, in label order; empty without class labels
   * @param unused the file's columns that were not read (neither a model column nor the label)
   * @param source the file, for messages
   */
  public record Table(DataSet data, List<String> classNames, List<String> unused, String source) {
    /** Copies the lists. */
    public Table {
      classNames = List.copyOf(classNames);
      unused = List.copyOf(unused);
    }
  }

  /**
   * The feature columns of {@code file}, each numeric when every cell of it is a number and text
   * otherwise (with its distinct values, sorted, as categories): every column but {@code label} and
   * the ignored ones, or the chosen features, in file order.
   *
   * @throws MalformedFileException if a named column is missing, a text column has more than the
   *     allowed distinct values, or a cell is empty, naming the line and column
   */
  public List<InputColumn> inferColumns(Path file, String label) throws IOException {
    try (Records records = open(file)) {
      List<String> header = records.header;
      int[] chosen = chosen(header, label, records);
      List<TreeSet<String>> texts = new ArrayList<>();
      boolean[] numeric = new boolean[chosen.length];
      java.util.Arrays.fill(numeric, true);
      for (int c = 0; c < chosen.length; c++) {
        texts.add(new TreeSet<>());
      }
      for (String[] row = records.next(); row != null; row = records.next()) {
        for (int c = 0; c < chosen.length; c++) {
          String cell = records.cell(row, chosen[c]);
          if (numeric[c] && !CsvReader.isNumber(cell)) {
            numeric[c] = false;
          }
          TreeSet<String> values = texts.get(c);
          if (values.size() <= maxCategories) {
            values.add(cell);
          }
        }
      }
      List<InputColumn> columns = new ArrayList<>();
      for (int c = 0; c < chosen.length; c++) {
        String name = header.get(chosen[c]);
        if (numeric[c]) {
          columns.add(InputColumn.numeric(name));
        } else if (texts.get(c).size() > maxCategories) {
          throw new MalformedFileException(
              records.source,
              "column '" + name + "'",
              "a text column of more than "
                  + maxCategories
                  + " distinct values: too many for a one-hot code (an identifier or free text?);"
                  + " leave it out (--ignore "
                  + name
                  + ")");
        } else {
          columns.add(InputColumn.categorical(name, new ArrayList<>(texts.get(c))));
        }
      }
      return columns;
    }
  }

  /**
   * Reads a file whose {@code label} column holds class names (any text, or integers) into a
   * classification data set of {@code columns}; classes are numbered in the order of their names
   * (numerically when all are integers).
   *
   * @throws MalformedFileException for a bad cell, naming line and column; or if the labels are
   *     numbers with a fractional part or more than {@value #MAX_NUMERIC_CLASSES} distinct values
   *     (a number to predict, for which a regression loss is the way)
   */
  public Table readClasses(Path file, List<InputColumn> columns, String label) throws IOException {
    return read(file, Preprocessing.of(columns), label, Labels.CLASSES, List.of());
  }

  /**
   * Reads a labelled file for a model that knows its class names ({@code classNames}): labels are
   * numbered as the model's outputs.
   *
   * @throws MalformedFileException naming the line of a class the model does not know
   */
  public Table readClasses(Path file, Preprocessing columns, String label, List<String> classNames)
      throws IOException {
    return read(file, columns, label, Labels.KNOWN_CLASSES, classNames);
  }

  /** Reads a file whose {@code label} column holds a number to predict, with {@code columns}. */
  public Table readTargets(Path file, Preprocessing columns, String label) throws IOException {
    return read(file, columns, label, Labels.TARGETS, List.of());
  }

  /**
   * Reads the features of a file for a model of preprocessing {@code p}: with a header, the model's
   * columns by name in any order (other columns are left out and listed in {@link Table#unused()});
   * without one (a first line of numbers), by position, the width checked.
   *
   * @throws MalformedFileException naming the columns the file lacks, or a bad cell
   */
  public Table readFeatures(Path file, Preprocessing p) throws IOException {
    return read(file, p, null, Labels.NONE, List.of());
  }

  private enum Labels {
    CLASSES,
    KNOWN_CLASSES,
    TARGETS,
    NONE
  }

  private Table read(Path file, Preprocessing p, String label, Labels kind, List<String> known)
      throws IOException {
    Objects.requireNonNull(p, "preprocessing");
    try (Records records = open(file)) {
      String source = records.source;
      List<InputColumn> columns = p.columns();
      int[] positions;
      List<String> unused = new ArrayList<>();
      int labelAt = -1;
      if (records.header == null) {
        return headerless(records, p, label, kind, known);
      }
      List<String> header = records.header;
      if (label != null) {
        labelAt = indexOf(header, label, records, "label column");
      }
      if (columns.isEmpty()) {
        // Unnamed inputs: every column but the label, in order.
        positions = new int[header.size() - (labelAt >= 0 ? 1 : 0)];
        for (int c = 0, k = 0; c < header.size(); c++) {
          if (c != labelAt) {
            positions[k++] = c;
          }
        }
        p.checkWidth(positions.length);
        columns = new ArrayList<>();
        for (int position : positions) {
          columns.add(InputColumn.numeric(header.get(position)));
        }
      } else {
        positions = new int[columns.size()];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
          positions[c] = header.indexOf(columns.get(c).name());
          if (positions[c] < 0) {
            missing.add(columns.get(c).name());
          }
        }
        if (!missing.isEmpty()) {
          throw new MalformedFileException(
              source,
              "line " + records.headerLine,
              "the model's columns "
                  + missing
                  + " are missing from the header "
                  + abbreviate(header.toString()));
        }
      }
      for (int c = 0; c < header.size(); c++) {
        if (c != labelAt && !contains(positions, c)) {
          unused.add(header.get(c));
        }
      }
      return encode(records, columns, positions, p.width(), labelAt, kind, known, unused);
    }
  }

  private Table headerless(
      Records records, Preprocessing p, String label, Labels kind, List<String> known)
      throws IOException {
    int labelAt = -1;
    if (label != null) {
      if (!label.chars().allMatch(Character::isDigit)) {
        throw new MalformedFileException(
            records.source, "line 1", "no header line, so no column named '" + label + "'");
      }
      labelAt = Integer.parseInt(label);
    }
    int width = records.firstWidth - (labelAt >= 0 ? 1 : 0);
    if (p.hasTextColumns()) {
      throw new MalformedFileException(
          records.source,
          "line 1",
          "the model has text columns, which a file without a header cannot name; add the header"
              + " line");
    }
    if (width != p.width()) {
      throw new MalformedFileException(
          records.source,
          "line 1",
          "a row of "
              + width
              + " feature values without a header, but the model takes "
              + p.width()
              + (p.columns().isEmpty() ? "" : " (columns " + p.columns().size() + ")"));
    }
    int[] positions = new int[width];
    for (int c = 0, k = 0; c < records.firstWidth; c++) {
      if (c != labelAt) {
        positions[k++] = c;
      }
    }
    List<InputColumn> columns = new ArrayList<>();
    for (int k = 0; k < width; k++) {
      columns.add(InputColumn.numeric(String.valueOf(positions[k])));
    }
    return encode(records, columns, positions, width, labelAt, kind, known, List.of());
  }

  private Table encode(
      Records records,
      List<InputColumn> columns,
      int[] positions,
      int width,
      int labelAt,
      Labels kind,
      List<String> known,
      List<String> unused)
      throws IOException {
    String source = records.source;
    List<Map<String, Integer>> codes = new ArrayList<>();
    for (InputColumn c : columns) {
      Map<String, Integer> code = new HashMap<>();
      for (int v = 0; v < c.categories().size(); v++) {
        code.put(c.categories().get(v), v);
      }
      codes.add(code);
    }
    ValueBuffers.FloatBuilder values = new ValueBuffers.FloatBuilder();
    ValueBuffers.FloatBuilder targets = new ValueBuffers.FloatBuilder();
    List<String> labels = new ArrayList<>();
    Map<String, String> interned = new HashMap<>();
    int rows = 0;
    int line = records.headerLine;
    for (String[] row = records.next(); row != null; row = records.next()) {
      line = records.line();
      for (int c = 0; c < columns.size(); c++) {
        InputColumn column = columns.get(c);
        String cell = records.cell(row, positions[c]);
        String where =
            "line " + line + ", column " + (positions[c] + 1) + " ('" + column.name() + "')";
        if (column.isCategorical()) {
          Integer code = codes.get(c).get(cell);
          if (code == null) {
            throw new MalformedFileException(
                source,
                where,
                "'"
                    + abbreviate(cell)
                    + "' is not a category the model knows for this column (it knows "
                    + abbreviate(column.categories().toString())
                    + ")");
          }
          for (int v = 0; v < column.width(); v++) {
            values.add(v == code ? 1f : 0f, source, where);
          }
        } else {
          values.add(number(cell, source, where), source, where);
        }
      }
      if (labelAt >= 0) {
        String cell = records.cell(row, labelAt);
        String where =
            "line " + records.line(labelAt) + ", column " + (labelAt + 1) + " (the label)";
        if (kind == Labels.TARGETS) {
          targets.add(number(cell, source, where), source, where);
        } else {
          labels.add(interned.computeIfAbsent(cell, k -> k));
        }
      }
      rows++;
    }
    if (rows == 0) {
      throw new MalformedFileException(
          source, "line " + Math.max(1, line), "no data rows after the header");
    }
    float[] features = values.toArray(source, line);
    return switch (kind) {
      case NONE -> new Table(DataSet.unlabeled(features, width), List.of(), unused, source);
      case TARGETS ->
          new Table(
              DataSet.regression(features, width, targets.toArray(source, line), 1),
              List.of(),
              unused,
              source);
      case CLASSES -> classes(features, width, labels, null, unused, source);
      case KNOWN_CLASSES -> classes(features, width, labels, known, unused, source);
    };
  }

  private static Table classes(
      float[] features,
      int width,
      List<String> labels,
      List<String> known,
      List<String> unused,
      String source)
      throws MalformedFileException {
    List<String> names;
    if (known != null) {
      names = known;
    } else {
      names = new ArrayList<>(new TreeSet<>(labels));
      checkClassLabels(names, source);
      if (names.stream().allMatch(CsvReader::isClassIndex)) {
        names.sort(Comparator.comparingLong(Long::parseLong));
      }
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      index.put(names.get(k), k);
    }
    int[] y = new int[labels.size()];
    for (int i = 0; i < y.length; i++) {
      Integer k = index.get(labels.get(i));
      if (k == null) {
        throw new MalformedFileException(
            source,
            "row " + (i + 1) + " (the label)",
            "class '"
                + abbreviate(labels.get(i))
                + "' is not one the model knows; its classes are "
                + abbreviate(names.toString()));
      }
      y[i] = k;
    }
    return new Table(
        DataSet.classification(features, width, y, Math.max(1, names.size())),
        names,
        unused,
        source);
  }

  /** Refuses numeric labels that are not classes: fractional, or too many distinct values. */
  private static void checkClassLabels(List<String> names, String source)
      throws MalformedFileException {
    if (!names.stream().allMatch(CsvReader::isNumber)) {
      return;
    }
    boolean fractional = names.stream().anyMatch(n -> !CsvReader.isClassIndex(n));
    if (fractional || names.size() > MAX_NUMERIC_CLASSES) {
      throw new MalformedFileException(
          source,
          "the label column",
          "its "
              + names.size()
              + " distinct values are numbers"
              + (fractional ? " with fractional parts" : "")
              + ": a number to predict, not "
              + names.size()
              + " classes. Train a regression (--loss mse), or cut the number into classes"
              + " first");
    }
  }

  private static float number(String cell, String source, String where)
      throws MalformedFileException {
    if (!CsvReader.isNumber(cell)) {
      throw new MalformedFileException(
          source,
          where,
          cell.isEmpty()
              ? "missing value"
              : "'"
                  + abbreviate(cell)
                  + "' is not a number (decimal or scientific notation), but the column is"
                  + " numeric");
    }
    float v = Float.parseFloat(cell);
    if (!Float.isFinite(v)) {
      throw new MalformedFileException(
          source, where, "'" + abbreviate(cell) + "' overflows float32");
    }
    return v;
  }

  private int[] chosen(List<String> header, String label, Records records)
      throws MalformedFileException {
    int labelAt = label == null ? -1 : indexOf(header, label, records, "label column");
    for (String name : ignored) {
      indexOf(header, name, records, "ignored column");
    }
    List<Integer> chosen = new ArrayList<>();
    if (!features.isEmpty()) {
      for (String name : features) {
        int at = indexOf(header, name, records, "feature column");
        if (at == labelAt) {
          throw new IllegalArgumentException("'" + name + "' is the label, not a feature");
        }
        chosen.add(at);
      }
    } else {
      for (int c = 0; c < header.size(); c++) {
        if (c != labelAt && !ignored.contains(header.get(c))) {
          chosen.add(c);
        }
      }
    }
    if (chosen.isEmpty()) {
      throw new MalformedFileException(
          records.source, "line " + records.headerLine, "no feature column is left");
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int indexOf(List<String> header, String name, Records records, String what)
      throws MalformedFileException {
    int at = header.indexOf(name);
    if (at < 0 && name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
      at = Integer.parseInt(name);
      if (at < header.size()) {
        return at;
      }
    }
    if (at < 0) {
      throw new MalformedFileException(
          records.source,
          "line " + records.headerLine,
          "no column named '"
              + name
              + "' (the "
              + what
              + ") in header "
              + abbreviate(header.toString()));
    }
    return at;
  }

  private static boolean contains(int[] values, int value) {
    for (int v : values) {
      if (v == value) {
        return true;
      }
    }
    return false;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  private Records open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    try {
      return new Records(new StrictUtf8Reader(in), file.toString(), delimiter);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * The records of one file after its header, in the library's one CSV grammar ({@link CsvRecords}:
   * RFC 4180 quoting, strict UTF-8, caps): every row of the first row's width.
   */
  private static final class Records implements AutoCloseable {
    final Reader reader;
    final String source;
    final CsvRecords records;
    final List<String> header; // null when the first line is a row of numbers
    final int headerLine;
    final int firstWidth;
    private String[] pending; // the first row of a headerless file

    Records(Reader reader, String source, char declared) throws IOException {
      this.reader = reader;
      this.source = source;
      this.records =
          new CsvRecords(
              reader,
              source,
              declared,
              CsvReader.DEFAULT_MAX_LINE_LENGTH,
              CsvReader.DEFAULT_MAX_COLUMNS);
      String[] cells = records.next();
      if (cells == null) {
        throw new MalformedFileException(source, "line 1", "empty file, no header and no rows");
      }
      this.headerLine = records.line();
      this.firstWidth = cells.length;
      int firstNumber = -1;
      int firstText = -1;
      for (int c = 0; c < cells.length; c++) {
        if (CsvReader.isNumber(cells[c])) {
          firstNumber = firstNumber < 0 ? c : firstNumber;
        } else if (!cells[c].isEmpty()) {
          firstText = firstText < 0 ? c : firstText;
        }
      }
      if (firstNumber >= 0 && firstText >= 0) {
        throw new MalformedFileException(
            source,
            records.where(firstText),
            "'"
                + abbreviate(cells[firstText])
                + "' is not a number, but column "
                + (firstNumber + 1)
                + " is: the first line is neither a header nor a row of numbers");
      }
      if (firstText < 0) {
        header = null;
        pending = cells;
      } else {
        List<String> names = List.of(cells);
        for (int c = 0; c < cells.length; c++) {
          if (cells[c].isEmpty() || names.indexOf(cells[c]) != c) {
            throw new MalformedFileException(
                source,
                records.where(c),
                cells[c].isEmpty()
                    ? "a header column without a name"
                    : "column name '" + cells[c] + "' appears twice in the header");
          }
        }
        header = names;
      }
    }

    String[] next() throws IOException {
      if (pending != null) {
        String[] row = pending;
        pending = null;
        return row;
      }
      String[] cells = records.next();
      if (cells != null && cells.length != firstWidth) {
        char d = records.delimiter();
        throw new MalformedFileException(
            source,
            records.where(Math.min(cells.length, firstWidth)),
            "expected "
                + firstWidth
                + " cells"
                + (d == ','
                    ? ""
                    : " separated by '" + (d == '\t' ? "\\t" : String.valueOf(d)) + "'")
                + ", found "
                + cells.length);
      }
      return cells;
    }

    /** The line the last record starts on. */
    int line() {
      return records.line();
    }

    /** The line field {@code column} of the last record is on. */
    int line(int column) {
      return records.line(column);
    }

    String cell(String[] row, int column) {
      return row[column];
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
