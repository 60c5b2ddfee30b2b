package dev.dnn.data;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * The text Commons CSV reads, passed through dnn's strictness: drops a byte order mark at the very
 * start, caps the length and the fields of a record, and turns every fault into an exception that
 * names the file, line, column (the field) and place in the line, with the byte offset of a byte
 * that is not UTF-8. A fault is raised only when the reader asks for the character it is at (the
 * characters before it are handed out first), so faults come in the order of the text: Commons CSV
 * reads ahead, and an early raise would hide an earlier error of the file. Not thread-safe.
 *
 * <p>The delimiter may be left to {@link #detect}: the one of comma, semicolon and tab that splits
 * the first non-blank record into the most fields outside quotes, comma on a tie.
 */
final class CsvGuard extends Reader {
  private static final char[] CANDIDATES = {',', ';', '\t'};
  private static final int CHUNK = 1 << 13;

  private final Reader in;
  private final String source;
  private final long maxRecordLength;
  private final int maxFields;
  private char[] prefix = new char[0];
  private int prefixPosition;
  private int prefixLength;
  private boolean started;
  private boolean sourceEnded;
  private boolean ended;
  private IOException failure;
  private CsvScanner scanner;
  private char delimiter;

  CsvGuard(Reader in, String source, long maxRecordLength, int maxFields) {
    this.in = in;
    this.source = source;
    this.maxRecordLength = maxRecordLength;
    this.maxFields = maxFields;
  }

  /** Declares the delimiter; the reading can start. */
  void delimiter(char declared) {
    delimiter = declared;
    scanner = new CsvScanner(declared, maxRecordLength, maxFields);
  }

  /**
   * Reads ahead to the end of the first non-blank record (or the length cap, or a fault), keeps
   * what it read for the reading to come, and declares the delimiter found in it.
   */
  char detect() throws IOException {
    CsvScanner[] scanners = new CsvScanner[CANDIDATES.length];
    int[] fields = new int[CANDIDATES.length];
    for (int k = 0; k < scanners.length; k++) {
      scanners[k] = new CsvScanner(CANDIDATES[k], Long.MAX_VALUE, Integer.MAX_VALUE);
    }
    int open = scanners.length;
    char[] chunk = new char[CHUNK];
    while (open > 0 && prefixLength <= maxRecordLength) {
      int n;
      try {
        n = raw(chunk, 0, chunk.length);
      } catch (StrictUtf8Reader.Malformed e) {
        break; // raised again, where it is, once the text before it has been read
      }
      if (n < 0) {
        break;
      }
      if (prefixLength + n > prefix.length) {
        prefix = Arrays.copyOf(prefix, Math.max(prefixLength + n, 2 * prefix.length));
      }
      System.arraycopy(chunk, 0, prefix, prefixLength, n);
      prefixLength += n;
      for (int k = 0; k < scanners.length; k++) {
        for (int i = 0; i < n && fields[k] == 0; i++) {
          CsvScanner s = scanners[k];
          int before = s.field();
          boolean blank = s.recordBlank();
          if (s.accept(chunk[i]) == CsvScanner.Event.RECORD_END && !blank) {
            fields[k] = before;
            open--;
          }
        }
      }
    }
    int best = 0;
    for (int k = 0; k < scanners.length; k++) {
      int f = fields[k] > 0 ? fields[k] : scanners[k].recordBlank() ? 0 : scanners[k].field();
      fields[k] = f;
      if (f > fields[best]) {
        best = k;
      }
    }
    delimiter(CANDIDATES[best]);
    return delimiter;
  }

  /** The delimiter declared or detected. */
  char delimiter() {
    return delimiter;
  }

  @Override
  public int read(char[] target, int offset, int length) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (length == 0) {
      return 0;
    }
    if (ended) {
      return -1;
    }
    int n;
    try {
      n = raw(target, offset, length);
    } catch (StrictUtf8Reader.Malformed e) {
      throw failure = notUtf8(e);
    }
    if (n < 0) {
      ended = true;
      if (scanner.inQuotes()) {
        throw failure = unclosedQuote();
      }
      return -1;
    }
    for (int i = 0; i < n; i++) {
      char c = target[offset + i];
      CsvScanner.Event event = scanner.accept(c);
      if (event != CsvScanner.Event.NONE && event != CsvScanner.Event.RECORD_END) {
        failure = fault(event, c);
        if (i > 0) {
          return i;
        }
        throw failure;
      }
    }
    return n;
  }

  /** The text after the byte order mark: first what {@link #detect} read ahead, then the rest. */
  private int raw(char[] target, int offset, int length) throws IOException {
    if (prefixPosition < prefixLength) {
      int n = Math.min(length, prefixLength - prefixPosition);
      System.arraycopy(prefix, prefixPosition, target, offset, n);
      prefixPosition += n;
      return n;
    }
    while (!sourceEnded) {
      int n = in.read(target, offset, length);
      sourceEnded = n < 0;
      if (n > 0 && !started) {
        started = true;
        if (target[offset] == '\uFEFF') {
          System.arraycopy(target, offset + 1, target, offset, --n);
        }
      }
      if (n != 0) {
        return n;
      }
    }
    return -1;
  }

  private IOException fault(CsvScanner.Event event, char c) {
    return switch (event) {
      case TOO_LONG -> tooLong();
      case TOO_MANY_FIELDS ->
          new InputTooLargeException(
              source,
              "line " + scanner.line(),
              "more than " + maxFields + " columns, the reader's limit (CsvReader.maxColumns)");
      default ->
          new MalformedFileException(
              source,
              where(),
              "'"
                  + c
                  + "' after the closing quote of a quoted field: a quote inside a quoted field is"
                  + " written twice (\"\")");
    };
  }

  private InputTooLargeException tooLong() {
    String limit =
        " longer than "
            + maxRecordLength
            + " characters, the reader's limit (CsvReader.maxLineLength)";
    if (scanner.recordLine() == scanner.line()) {
      return new InputTooLargeException(source, "line " + scanner.line(), "the line is" + limit);
    }
    String detail = "the record that starts on line " + scanner.recordLine() + " is" + limit;
    if (scanner.inQuotes()) {
      detail +=
          "; the quote that opens line "
              + scanner.quoteLine()
              + ", column "
              + scanner.quoteField()
              + " is still open: is it closed?";
    }
    return new InputTooLargeException(source, "line " + scanner.line(), detail);
  }

  private MalformedFileException unclosedQuote() {
    return new MalformedFileException(
        source,
        "line "
            + scanner.quoteLine()
            + ", column "
            + scanner.quoteField()
            + " (character "
            + scanner.quoteCharacter()
            + ")",
        "the quote that opens this field is never closed: the file ends inside it (a quote inside"
            + " a quoted field is written twice, \"\")");
  }

  private MalformedFileException notUtf8(StrictUtf8Reader.Malformed e) {
    return new MalformedFileException(
        source,
        "line "
            + scanner.line()
            + ", column "
            + scanner.field()
            + " (character "
            + scanner.character()
            + ", byte offset "
            + e.offset()
            + ")",
        String.format(
            "byte 0x%02x is not valid UTF-8; save the file as UTF-8 (with or without a byte order"
                + " mark)",
            e.firstByte()),
        e);
  }

  private String where() {
    return "line "
        + scanner.line()
        + ", column "
        + scanner.field()
        + " (character "
        + scanner.character()
        + ")";
  }

  /** Does not close the text it reads: the caller opened it. */
  @Override
  public void close() {}
}
