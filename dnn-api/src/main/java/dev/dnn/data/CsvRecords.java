package dev.dnn.data;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * The records of CSV text as RFC 4180 writes them, the one grammar of {@link CsvReader} and so of
 * the library and the command line: fields separated by a delimiter, a field in double quotes may
 * hold the delimiter, line breaks and quotes (written twice), blanks around a field are not part of
 * it, a record ends at {@code \n}, {@code \r\n} or {@code \r}, and a record of nothing but blanks
 * is skipped. Commons CSV parses; {@link CsvGuard} holds dnn's strictness in front of it (byte
 * order mark, length caps, errors with line, column and byte offset). Not thread-safe.
 */
final class CsvRecords {
  // No escape character, no comments, no header handling: the reader sees every record. An empty
  // unquoted field reads as null (ALL_NON_NULL), a quoted one as "", so that a line of blanks is
  // told apart from a record holding one empty quoted field, which is a missing value, not nothing.
  private static final CSVFormat RFC4180 =
      CSVFormat.RFC4180
          .builder()
          .setIgnoreEmptyLines(false)
          .setIgnoreSurroundingSpaces(true)
          .setQuoteMode(QuoteMode.ALL_NON_NULL)
          .setNullString(null)
          .setEscape(null)
          .setCommentMarker(null)
          .setTrim(false)
          .get();

  private final String source;
  private final CsvGuard guard;
  private final Iterator<CSVRecord> records;
  private final boolean detected;
  private int nextLine = 1;
  private int line;
  private int[] cellLines = new int[0];
  private int cellCount;

  /**
   * @param in the text; not closed here
   * @param source the file or resource name for messages
   * @param delimiter the field separator, or {@code 0} to detect it from the first record
   * @param maxRecordLength the most characters of one record (its line, or the lines of a record
   *     whose quoted fields hold line breaks)
   * @param maxFields the most fields of one record
   */
  CsvRecords(Reader in, String source, char delimiter, int maxRecordLength, int maxFields)
      throws IOException {
    this.source = source;
    guard = new CsvGuard(in, source, maxRecordLength, maxFields);
    detected = delimiter == 0;
    if (detected) {
      guard.detect();
    } else {
      guard.delimiter(delimiter);
    }
    records = RFC4180.builder().setDelimiter(guard.delimiter()).get().parse(guard).iterator();
  }

  /** The delimiter declared or detected. */
  char delimiter() {
    return guard.delimiter();
  }

  /** Whether the delimiter was detected rather than declared. */
  boolean detected() {
    return detected;
  }

  /**
   * The fields of the next record that is not blank, unquoted (an empty field is {@code ""}), or
   * null at the end of the text.
   *
   * @throws MalformedFileException at an unclosed quote, text after a closing quote or a byte that
   *     is not UTF-8, naming the line and column
   * @throws InputTooLargeException at a record beyond the caps
   */
  String[] next() throws IOException {
    while (true) {
      CSVRecord record;
      try {
        if (!records.hasNext()) {
          return null;
        }
        record = records.next();
      } catch (UncheckedIOException e) {
        throw rethrown(e.getCause());
      }
      String[] cells = record.values();
      boolean blank = cells.length == 1 && cells[0] == null;
      int start = nextLine;
      if (cellLines.length < cells.length) {
        cellLines = new int[Math.max(cells.length, 2 * cellLines.length)];
      }
      int at = start;
      for (int c = 0; c < cells.length; c++) {
        cellLines[c] = at;
        if (cells[c] == null) {
          cells[c] = "";
        } else {
          at += lineBreaks(cells[c]);
        }
      }
      nextLine = at + 1;
      if (blank) {
        continue; // a line of blanks (an unquoted empty field)
      }
      line = start;
      cellCount = cells.length;
      return cells;
    }
  }

  /** The line the record {@link #next} returned last starts on. */
  int line() {
    return line;
  }

  /**
   * The line a field of the record {@link #next} returned last starts on: later than the record's
   * when a quoted field before it holds line breaks. A field past the last is on the last's line.
   */
  int line(int field) {
    return cellLines[Math.max(0, Math.min(field, cellCount - 1))];
  }

  /** Where a field of the last record is, "line L, column C", for messages. */
  String where(int field) {
    return "line " + line(field) + ", column " + (field + 1);
  }

  private static int lineBreaks(String cell) {
    if (cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
      return 0;
    }
    int breaks = 0;
    for (int i = 0; i < cell.length(); i++) {
      char c = cell.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 == cell.length() || cell.charAt(i + 1) != '\n'))) {
        breaks++;
      }
    }
    return breaks;
  }

  private IOException rethrown(IOException cause) {
    if (cause instanceof CSVException) {
      // The guard raises every fault it knows first; this is a parse error it did not foresee.
      return new MalformedFileException(
          source, "line " + nextLine, "not CSV: " + cause.getMessage(), cause);
    }
    return cause;
  }
}
