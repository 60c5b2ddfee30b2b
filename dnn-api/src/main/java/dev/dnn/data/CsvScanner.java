package dev.dnn.data;

/**
 * Follows CSV text one character at a time the way Commons CSV's lexer reads it with {@link
 * CsvRecords}'s format (RFC 4180 quotes, blanks around a field ignored, no escape character, no
 * comments), to know where each character falls: its line, its column (the field of the record) and
 * its place in the line, whether it is inside quotes, how long its record is so far. It keeps no
 * values, only positions, so that an error can name its place and a cap can hold before Commons CSV
 * gathers anything into a string. Not thread-safe.
 */
final class CsvScanner {
  /** What the character just offered did. */
  enum Event {
    /** Taken, inside a field or between fields. */
    NONE,
    /** Taken; it ended a record (a line break outside quotes). */
    RECORD_END,
    /** Refused: text after the closing quote of a field. */
    TEXT_AFTER_QUOTE,
    /** Refused: the record would grow beyond the length cap. */
    TOO_LONG,
    /** Refused: the record would have more fields than the cap. */
    TOO_MANY_FIELDS
  }

  private enum State {
    FIELD_START,
    UNQUOTED,
    QUOTED,
    QUOTE_IN_QUOTED,
    AFTER_QUOTE
  }

  private final char delimiter;
  private final long maxRecordLength;
  private final int maxFields;
  private State state = State.FIELD_START;
  private boolean afterCarriageReturn;
  private int line = 1;
  private int character = 1;
  private int field = 1;
  private int recordLine = 1;
  private long recordLength;
  private boolean recordBlank = true;
  private int quoteLine;
  private int quoteField;
  private int quoteCharacter;

  CsvScanner(char delimiter, long maxRecordLength, int maxFields) {
    this.delimiter = delimiter;
    this.maxRecordLength = maxRecordLength;
    this.maxFields = maxFields;
  }

  /**
   * Takes the next character, or refuses it ({@link Event#TEXT_AFTER_QUOTE}, {@link
   * Event#TOO_LONG}, {@link Event#TOO_MANY_FIELDS}) leaving the position on it.
   */
  Event accept(char c) {
    if (state == State.UNQUOTED && c > '\r' && c != delimiter) {
      // The common case, a character inside an unquoted field: only the counts move.
      if (recordLength == maxRecordLength) {
        return Event.TOO_LONG;
      }
      afterCarriageReturn = false;
      recordLength++;
      character++;
      return Event.NONE;
    }
    if (afterCarriageReturn && c == '\n') {
      // The second half of a CRLF: the line already ended at the CR.
      if (state == State.QUOTED) {
        if (recordLength == maxRecordLength) {
          return Event.TOO_LONG;
        }
        recordLength++;
      }
      afterCarriageReturn = false;
      return Event.NONE;
    }
    afterCarriageReturn = false;
    boolean lineBreak = c == '\n' || c == '\r';
    State next;
    boolean endsField = false;
    switch (state) {
      case QUOTED -> next = c == '"' ? State.QUOTE_IN_QUOTED : State.QUOTED;
      case QUOTE_IN_QUOTED -> {
        if (c == '"') {
          next = State.QUOTED; // a doubled quote: one quote in the value
        } else {
          next = afterField(c, lineBreak, State.AFTER_QUOTE);
          endsField = next == State.FIELD_START;
        }
      }
      case AFTER_QUOTE -> {
        next = afterField(c, lineBreak, State.AFTER_QUOTE);
        endsField = next == State.FIELD_START;
      }
      case UNQUOTED -> {
        endsField = c == delimiter || lineBreak;
        next = endsField ? State.FIELD_START : State.UNQUOTED;
      }
      default -> {
        // Commons CSV: a delimiter first, then a line break, then blanks skipped, then a quote.
        if (c == delimiter || lineBreak) {
          endsField = true;
          next = State.FIELD_START;
        } else if (Character.isWhitespace(c)) {
          next = State.FIELD_START;
        } else {
          next = c == '"' ? State.QUOTED : State.UNQUOTED;
        }
      }
    }
    if (next == null) {
      return Event.TEXT_AFTER_QUOTE;
    }
    boolean endsRecord = endsField && lineBreak;
    if (!endsRecord) {
      if (recordLength == maxRecordLength) {
        return Event.TOO_LONG;
      }
      if (endsField && field == maxFields) {
        return Event.TOO_MANY_FIELDS;
      }
    }
    if (state == State.FIELD_START && next == State.QUOTED) {
      quoteLine = line;
      quoteField = field;
      quoteCharacter = character;
    }
    if (state == State.FIELD_START && next != State.FIELD_START) {
      recordBlank = false;
    }
    if (endsField && !lineBreak) {
      recordBlank = false; // a delimiter: an empty field is still a field
    }
    state = next;
    if (lineBreak) {
      afterCarriageReturn = c == '\r';
      line++;
      character = 1;
    } else {
      character++;
    }
    if (endsRecord) {
      field = 1;
      recordLine = line;
      recordLength = 0;
      recordBlank = true;
      return Event.RECORD_END;
    }
    recordLength++;
    if (endsField) {
      field++;
    }
    return Event.NONE;
  }

  /** After a closing quote: a delimiter, a line break or blanks; null for anything else. */
  private State afterField(char c, boolean lineBreak, State blank) {
    if (c == delimiter || lineBreak) {
      return State.FIELD_START;
    }
    return Character.isWhitespace(c) ? blank : null;
  }

  /** The line (from 1) of the next character. */
  int line() {
    return line;
  }

  /** The place (from 1) in its line of the next character. */
  int character() {
    return character;
  }

  /** The field (from 1) of the record that the next character falls in. */
  int field() {
    return field;
  }

  /** The line the current record started on. */
  int recordLine() {
    return recordLine;
  }

  /** Whether the current record has had nothing but blanks so far. */
  boolean recordBlank() {
    return recordBlank;
  }

  /** Whether the next character falls inside a quoted field. */
  boolean inQuotes() {
    return state == State.QUOTED;
  }

  /** The line of the quote that opened the current quoted field. */
  int quoteLine() {
    return quoteLine;
  }

  /** The field of the quote that opened the current quoted field. */
  int quoteField() {
    return quoteField;
  }

  /** The place in its line of the quote that opened the current quoted field. */
  int quoteCharacter() {
    return quoteCharacter;
  }
}
