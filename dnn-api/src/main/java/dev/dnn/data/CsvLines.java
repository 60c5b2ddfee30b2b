package dev.dnn.data;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.io.Reader;

/**
 * The lines of CSV text, one at a time, never longer than a cap: a file with one 200 MB line is
 * refused at the cap instead of being gathered into one string. Ends lines at {@code \n}, {@code
 * \r\n} or {@code \r}; skips a byte order mark at the very start; turns a decoding error of a
 * {@link StrictUtf8Reader} into the line and column where it is.
 */
final class CsvLines {
  private final Reader in;
  private final String source;
  private final int maxLength;
  private final char delimiter;
  private final char[] buffer = new char[1 << 16];
  private final StringBuilder line = new StringBuilder();
  private int position;
  private int limit;
  private int number;
  private boolean started;
  private boolean skipLineFeed;
  private boolean startedLine;
  private boolean ended;

  CsvLines(Reader in, String source, int maxLength, char delimiter) {
    this.in = in;
    this.source = source;
    this.maxLength = maxLength;
    this.delimiter = delimiter;
  }

  /** The number (from 1) of the line {@link #next} returned last. */
  int number() {
    return number;
  }

  /** The next line without its terminator, or null at the end. */
  String next() throws IOException {
    if (ended) {
      return null;
    }
    line.setLength(0);
    while (true) {
      if (position == limit && !fill()) {
        ended = true;
        if (line.length() == 0 && !startedLine) {
          return null;
        }
        number++;
        return line.toString();
      }
      char c = buffer[position++];
      if (skipLineFeed) {
        skipLineFeed = false;
        if (c == '\n') {
          continue;
        }
      }
      if (c == '\n' || c == '\r') {
        skipLineFeed = c == '\r';
        number++;
        startedLine = false;
        return line.toString();
      }
      startedLine = true;
      if (line.length() == maxLength) {
        throw new InputTooLargeException(
            source,
            "line " + (number + 1),
            "the line is longer than "
                + maxLength
                + " characters, the reader's limit (CsvReader.maxLineLength)");
      }
      line.append(c);
    }
  }

  private boolean fill() throws IOException {
    int n;
    try {
      n = in.read(buffer, 0, buffer.length);
    } catch (StrictUtf8Reader.Malformed e) {
      int column = 1;
      for (int i = 0; i < line.length(); i++) {
        if (line.charAt(i) == delimiter) {
          column++;
        }
      }
      throw new MalformedFileException(
          source,
          "line "
              + (number + 1)
              + ", column "
              + column
              + " (character "
              + (line.length() + 1)
              + ", byte offset "
              + e.offset()
              + ")",
          String.format(
              "byte 0x%02x is not valid UTF-8; save the file as UTF-8 (with or without a byte"
                  + " order mark)",
              e.firstByte()),
          e);
    }
    if (n <= 0) {
      return false;
    }
    position = 0;
    limit = n;
    if (!started) {
      started = true;
      if (buffer[0] == '\uFEFF') {
        position = 1;
      }
    }
    return true;
  }
}
