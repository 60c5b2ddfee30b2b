package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @TempDir Path dir;

  private Path csv(String text) throws IOException {
    return Files.writeString(dir.resolve("data.csv"), text);
  }

  @Test
  void readsLabelColumnByName() throws IOException {
    Path file = csv("a,label,b\n1.5,2,-3\n0,0,1e2\n\n");
    DataSet d = CsvReader.labelColumn("label").read(file);
    assertEquals(2, d.size());
    assertEquals(2, d.featureCount());
    assertEquals(3, d.classCount());
    assertArrayEquals(new float[] {1.5f, -3f, 0f, 100f}, d.featuresView());
    assertArrayEquals(new int[] {2, 0}, d.labels());
  }

  @Test
  void readsLabelColumnByIndexWithoutHeader() throws IOException {
    Path file = csv("1;0.25\n0;.5\n");
    DataSet d = CsvReader.labelColumn(0).header(false).delimiter(';').classCount(4).read(file);
    assertEquals(4, d.classCount());
    assertArrayEquals(new float[] {0.25f, 0.5f}, d.featuresView());
    assertArrayEquals(new int[] {1, 0}, d.labels());
  }

  @Test
  void skipsAByteOrderMark() throws IOException {
    // Spreadsheet programs save "CSV UTF-8" with a byte order mark before the first cell.
    DataSet named = CsvReader.labelColumn("label").read(csv("\uFEFFlabel,x\n1,2.5\n0,3\n"));
    assertArrayEquals(new int[] {1, 0}, named.labels());
    assertArrayEquals(new float[] {2.5f, 3f}, named.featuresView());
    DataSet plain = CsvReader.labelColumn(0).header(false).read(csv("\uFEFF1,2.5\n0,3\n"));
    assertArrayEquals(new int[] {1, 0}, plain.labels());
    assertArrayEquals(new float[] {2.5f, 3f}, plain.featuresView());
  }

  private void assertRejected(String text, CsvReader reader, String... fragments)
      throws IOException {
    Path file = csv(text);
    MalformedFileException e = assertThrows(MalformedFileException.class, () -> reader.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), e.getMessage());
    }
  }

  @Test
  void rejectsMissingCellNamingLineAndColumn() throws IOException {
    assertRejected("x,y,label\n1,2,0\n3,,1\n", CsvReader.labelColumn("label"), "line 3, column 2");
  }

  @Test
  void rejectsNonNumericCell() throws IOException {
    assertRejected(
        "x,y,label\n1,2,0\n3,abc,1\n", CsvReader.labelColumn("label"), "line 3, column 2", "'abc'");
    // Java would parse these, a CSV of numbers must not contain them.
    assertRejected("x,label\nNaN,0\n", CsvReader.labelColumn(1), "line 2, column 1");
    assertRejected("x,label\n1d,0\n", CsvReader.labelColumn(1), "line 2, column 1");
    assertRejected("x,label\n1e39,0\n", CsvReader.labelColumn(1), "overflows");
  }

  @Test
  void rejectsBadLabels() throws IOException {
    assertRejected("x,label\n1,-1\n", CsvReader.labelColumn(1), "line 2, column 2");
    assertRejected("x,label\n1,0.5\n", CsvReader.labelColumn(1), "line 2, column 2");
    assertRejected("x,label\n1,5\n", CsvReader.labelColumn(1).classCount(5), "class count 5");
  }

  @Test
  void rejectsRowsOfWrongWidthAndMissingColumns() throws IOException {
    assertRejected("x,y,label\n1,2,0\n3,1\n", CsvReader.labelColumn("label"), "line 3");
    assertRejected("x,y\n1,2\n", CsvReader.labelColumn("label"), "no column named 'label'");
    assertRejected("x,y\n1,2\n", CsvReader.labelColumn(5), "label column 5");
    assertRejected("", CsvReader.labelColumn(0), "empty file");
    assertRejected("x,label\n", CsvReader.labelColumn(1), "no data rows");
  }
}
