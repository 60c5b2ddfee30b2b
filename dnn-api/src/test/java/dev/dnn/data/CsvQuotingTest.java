package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV as RFC 4180 writes it: every quoting case read, every fault located. */
class CsvQuotingTest {
  @TempDir Path dir;

  private static Reader rfc4180() {
    InputStream in = CsvQuotingTest.class.getResourceAsStream("rfc4180.csv");
    return new StrictUtf8Reader(in);
  }

  private Path file(String text) throws IOException {
    return Files.writeString(dir.resolve("q.csv"), text);
  }

  private static String rejected(Class<? extends IOException> type, Path file, CsvReader reader) {
    IOException e = assertThrows(type, () -> reader.readNamedClasses(file));
    assertTrue(e.getMessage().startsWith(file + " ("), e.getMessage());
    return e.getMessage();
  }

  @Test
  void everyQuotingCaseOfTheFileIsReadWithTheLineEachRecordStartsOn() throws IOException {
    CsvRecords records = new CsvRecords(rfc4180(), "rfc4180.csv", (char) 0, 1 << 10, 10);
    String[][] expected = {
      {"label", "x, the first", "y"},
      {"plain", "1", "2"},
      {"quoted", "3", "4"},
      {"with \"doubled\" quotes", "5", "6"},
      {"a comma, inside", "7", "8"},
      {"two\r\nlines", "9", "10"},
      {"blanks around", "11", "12"},
      {"three\nshort\nlines", "15", "16"},
      {"semi;colon\ttab", "1e1", ".5"}
    };
    // Line 8 is blank and skipped; the records with line breaks in quotes span 6-7 and 10-12.
    int[] lines = {1, 2, 3, 4, 5, 6, 9, 10, 13};
    for (int r = 0; r < expected.length; r++) {
      assertArrayEquals(expected[r], records.next(), "record " + r);
      assertEquals(lines[r], records.line(), "record " + r);
    }
    assertNull(records.next());
    assertEquals(',', records.delimiter());
  }

  @Test
  void theFileReadsAsClassNamesAndQuotedNumbers() throws IOException {
    CsvReader.NamedClasses read =
        CsvReader.labelColumn("label").readNamedClasses(rfc4180(), "rfc4180.csv");
    assertEquals(
        List.of(
            "a comma, inside",
            "blanks around",
            "plain",
            "quoted",
            "semi;colon\ttab",
            "three\nshort\nlines",
            "two\r\nlines",
            "with \"doubled\" quotes"),
        read.classNames());
    assertArrayEquals(new int[] {2, 3, 7, 0, 6, 1, 5, 4}, read.data().labels());
    // "12", "1e1" and ".5" were quoted: a quoted number is that number.
    assertArrayEquals(
        new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 10, 0.5f},
        read.data().featuresView());
    FeatureTable features = CsvReader.labelColumn("label").readFeatures(rfc4180(), "rfc4180.csv");
    assertEquals(List.of("x, the first", "y"), features.columnNames());
  }

  @Test
  void aBadCellAfterAMultiLineFieldIsNamedByItsOwnLine() throws IOException {
    String message =
        rejected(
            MalformedFileException.class,
            file("label,x,y\ncheap,1,2\n\"on\ntwo lines\",abc,3\n"),
            CsvReader.labelColumn("label"));
    assertTrue(message.contains("(line 4, column 2): 'abc' is not a number"), message);
    // A missing value and a short row after one, too.
    String missing =
        rejected(
            MalformedFileException.class,
            file("label,x,y\n\"a\r\nb\r\nc\",1,\n"),
            CsvReader.labelColumn("label"));
    assertTrue(missing.contains("(line 4, column 3): missing value"), missing);
    String shortRow =
        rejected(
            MalformedFileException.class,
            file("label,x,y\n\"a\nb\",1\n"),
            CsvReader.labelColumn("label"));
    assertTrue(shortRow.contains("(line 3, column 3): expected 3 cells, found 2"), shortRow);
  }

  @Test
  void anUnclosedQuoteIsNamedWhereItOpened() throws IOException {
    String message =
        rejected(
            MalformedFileException.class,
            file("label,x\na,1\n\"b,2\nc,3\nd,4\n"),
            CsvReader.labelColumn("label"));
    assertTrue(
        message.contains("(line 3, column 1 (character 1)): the quote that opens this field is"),
        message);
    String second =
        rejected(
            MalformedFileException.class,
            file("label,x\na,  \"1\n"),
            CsvReader.labelColumn("label"));
    assertTrue(second.contains("(line 2, column 2 (character 5)): the quote"), second);
  }

  @Test
  void textAfterAClosingQuoteIsNamed() throws IOException {
    String message =
        rejected(
            MalformedFileException.class,
            file("label,x\n\"a\nb\",1\n\"say \"hi\"\",2\n"),
            CsvReader.labelColumn("label"));
    assertTrue(
        message.contains("(line 4, column 1 (character 7)): 'h' after the closing quote"), message);
  }

  @Test
  void aByteThatIsNotUtf8AfterAMultiLineFieldIsNamedByLineColumnAndOffset() throws IOException {
    byte[] text = "label,x\n\"a\nb\",\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Path latin1 = Files.write(dir.resolve("latin1.csv"), text);
    String message = rejected(MalformedFileException.class, latin1, CsvReader.labelColumn("label"));
    // Byte offset: "label,x\n" is 8 bytes, "\"a\n" 3, "b\"," 3.
    assertTrue(
        message.contains("(line 3, column 2 (character 4, byte offset 14)): byte 0xe9"), message);
  }

  @Test
  void anEarlierBadCellIsReportedBeforeALaterBadByte() throws IOException {
    // Commons CSV reads ahead; the guard raises a fault only when the parser reaches it.
    StringBuilder text = new StringBuilder("label,x\na,1\nb,oops\n");
    text.append("c,2\n".repeat(100));
    byte[] bytes = (text + "d,\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
    Path file = Files.write(dir.resolve("mixed.csv"), bytes);
    String message = rejected(MalformedFileException.class, file, CsvReader.labelColumn("label"));
    assertTrue(message.contains("(line 3, column 2): 'oops' is not a number"), message);
  }

  @Test
  void aRecordIsCappedAcrossItsLinesAndTheOpenQuoteIsNamed() throws IOException {
    Path file = file("label,x\n\"a\n" + "bbbbbbbb\n".repeat(5) + "\",1\n");
    String message =
        rejected(
            InputTooLargeException.class, file, CsvReader.labelColumn("label").maxLineLength(20));
    assertTrue(
        message.contains("(line 4): the record that starts on line 2 is longer than 20 characters"),
        message);
    assertTrue(message.contains("the quote that opens line 2, column 1 is still open"), message);
    assertEquals(
        1, CsvReader.labelColumn("label").maxLineLength(60).readNamedClasses(file).data().size());
  }

  @Test
  void anEmptyQuotedFieldIsAMissingValueNotABlankLine() throws IOException {
    String message =
        rejected(
            MalformedFileException.class,
            file("label,x\na,1\n\n   \n\"\"\n"),
            CsvReader.labelColumn("label"));
    // Lines 3 and 4 are blank and skipped; line 5 is a record of one empty quoted field.
    assertTrue(message.contains("(line 5, column 2): expected 2 cells, found 1"), message);
    IOException single =
        assertThrows(
            MalformedFileException.class,
            () -> CsvReader.featuresOnly().readFeatures(new StringReader("x\n1\n\"\"\n"), "s.csv"));
    assertTrue(
        single.getMessage().contains("(line 3, column 1): missing value"), single.getMessage());
  }

  @Test
  void theDelimiterIsDetectedFromTheFirstLine() throws IOException {
    FeatureTable semicolons =
        CsvReader.featuresOnly().readFeatures(new StringReader("a;b;c\n1;2;3\n"), "s.csv");
    assertArrayEquals(new float[] {1, 2, 3}, semicolons.values());
    FeatureTable tabs =
        CsvReader.featuresOnly()
            .readFeatures(new StringReader("\uFEFF\n\"a,b\"\tc\n1\t2\n"), "t.csv");
    assertEquals(List.of("a,b", "c"), tabs.columnNames());
    assertArrayEquals(new float[] {1, 2}, tabs.values());
    // Separators inside quotes do not count: two fields by comma, one by semicolon.
    FeatureTable quoted =
        CsvReader.featuresOnly().readFeatures(new StringReader("\"a;b;c\",d\n1,2\n"), "q.csv");
    assertEquals(List.of("a;b;c", "d"), quoted.columnNames());
    // A tie goes to comma, and the message says how to declare another.
    MalformedFileException tie =
        assertThrows(
            MalformedFileException.class,
            () ->
                CsvReader.featuresOnly()
                    .readFeatures(new StringReader("a;b,c\n1;2,3\n"), "tie.csv"));
    assertTrue(
        tie.getMessage().contains("'1;2' is not a number")
            && tie.getMessage().contains("the delimiter was taken to be ','")
            && tie.getMessage().contains("if it is ';', declare it"),
        tie.getMessage());
    FeatureTable declared =
        CsvReader.featuresOnly()
            .delimiter(';')
            .readFeatures(new StringReader("a;b,c\n1;2\n"), "d.csv");
    assertEquals(List.of("a", "b,c"), declared.columnNames());
  }

  @Test
  void detectionSeesTheWholeFirstRecordAndLeavesTheTextWhole() throws IOException {
    // A first record longer than the guard's read-ahead chunk, its fields quoted over lines.
    StringBuilder text = new StringBuilder();
    for (int c = 0; c < 3000; c++) {
      text.append(c == 0 ? "" : ";").append("\"col\n").append(c).append('"');
    }
    text.append('\n');
    for (int c = 0; c < 3000; c++) {
      text.append(c == 0 ? "" : ";").append(c);
    }
    FeatureTable table =
        CsvReader.featuresOnly().readFeatures(new StringReader(text.toString()), "wide.csv");
    assertEquals(3000, table.featureCount());
    assertEquals("col\n2999", table.columnNames().get(2999));
    assertEquals(2999f, table.values()[2999]);
  }
}
