package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One grammar, a header only when it is one, no row ever dropped. */
class CsvStrictnessTest {
  @TempDir Path dir;

  private Path csv(String text) throws IOException {
    return Files.writeString(dir.resolve("x.csv"), text);
  }

  private static String rejected(Path file, CsvReader reader) {
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> reader.readFeatures(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    return e.getMessage();
  }

  @Test
  void aByteOrderMarkDoesNotCostTheFirstRow() throws IOException {
    FeatureTable t = CsvReader.featuresOnly().readFeatures(csv("\uFEFF1,2\n3,4\n5,6\n"));
    assertEquals(3, t.size());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.values());
    assertEquals(List.of(), t.columnNames());
  }

  @Test
  void aHeaderIsAFirstLineWithoutNumbers() throws IOException {
    FeatureTable t = CsvReader.featuresOnly().readFeatures(csv("\uFEFF\"a\", b\n1,2\n3,4\n"));
    assertEquals(2, t.size());
    assertEquals(List.of("a", "b"), t.columnNames());
    assertArrayEquals(new float[] {3, 4}, t.row(1));
    DataSet labelled = CsvReader.labelColumn(1).read(csv("x,y\n0.5,1\n"));
    assertArrayEquals(new int[] {1}, labelled.labels());
  }

  @Test
  void aFirstRowWithOneTextFieldIsRefusedNotDropped() throws IOException {
    String message = rejected(csv("1,abc,2\n3,4,5\n"), CsvReader.featuresOnly());
    assertTrue(message.contains("(line 1, column 2): 'abc' is not a number"), message);
    assertTrue(message.contains("neither a header nor a row of numbers"), message);
    // Declared, it is a header.
    assertEquals(
        1, CsvReader.featuresOnly().header(true).readFeatures(csv("1,abc,2\n3,4,5\n")).size());
    // Declared absent, the text is a bad cell.
    String absent = rejected(csv("a,b\n1,2\n"), CsvReader.featuresOnly().header(false));
    assertTrue(absent.contains("(line 1, column 1): 'a' is not a number"), absent);
  }

  @Test
  void aFirstRowWithAMissingValueIsDataAndRefusedAsSuch() throws IOException {
    String message = rejected(csv("1,,2\n3,4,5\n"), CsvReader.featuresOnly());
    assertTrue(message.contains("(line 1, column 2): missing value"), message);
  }

  @Test
  void bytesThatAreNotUtf8AreNamedByLineAndColumn() throws IOException {
    byte[] text = "a,b\n1,2\n3,\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Path file = Files.write(dir.resolve("latin1.csv"), text);
    String message = rejected(file, CsvReader.featuresOnly());
    assertTrue(
        message.contains("(line 3, column 2 (character 3, byte offset 10)): byte 0xe9 is not"),
        message);
    MalformedFileException labelled =
        assertThrows(MalformedFileException.class, () -> CsvReader.labelColumn(0).read(file));
    assertTrue(labelled.getMessage().contains("line 3, column 2"), labelled.getMessage());
  }

  @Test
  void oneNumberGrammarHexNanAndInfinityRefused() throws IOException {
    for (String cell :
        new String[] {"0x1p3", "NaN", "nan", "Infinity", "inf", "1f", "5e", "1.2.3", "\u0661"}) {
      Path file = csv("a,b\n1," + cell + "\n");
      String message = rejected(file, CsvReader.featuresOnly());
      assertTrue(message.contains("(line 2, column 2)"), cell + ": " + message);
    }
    FeatureTable ok =
        CsvReader.featuresOnly().readFeatures(csv("a,b,c,d,e\n+1,-2.5,.5,1e-3, 3E+2 \n"));
    assertArrayEquals(new float[] {1, -2.5f, 0.5f, 1e-3f, 300}, ok.values());
  }

  @Test
  void theExpectedFeatureCountIsCheckedAtTheFirstRow() throws IOException {
    String message = rejected(csv("1,2,3\n"), CsvReader.featuresOnly().featureCount(4));
    assertTrue(message.contains("(line 1): 3 feature columns, expected 4"), message);
  }

  @Test
  void lineEndingsOfEveryKindAndBlankLines() throws IOException {
    FeatureTable t = CsvReader.featuresOnly().readFeatures(csv("1,2\r\n\r\n3,4\r5,6"));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.values());
    assertArrayEquals(new float[][] {{1, 2}, {3, 4}, {5, 6}}, t.rows());
  }

  @Test
  void aFeaturesOnlyReaderHasNoLabelsToRead() {
    assertThrows(IllegalStateException.class, () -> CsvReader.featuresOnly().read(csv("1,2\n")));
    assertThrows(IllegalArgumentException.class, () -> CsvReader.featuresOnly().delimiter('.'));
  }
}
