package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables by column name: column kinds, choosing columns, the encodings, and what is refused. */
class TableReaderTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void columnKindsFeaturesIgnoreAndTheOneHotCode() throws IOException {
    Path f =
        write("t.csv", "id\tsize\tcolour\tlabel\n1\t2.5\tred\ta\n2\t-1\tblue\tb\n3\t4\tred\ta\n");
    TableReader reader = TableReader.csv().ignore(List.of("id"));
    List<InputColumn> columns = reader.inferColumns(f, "label");
    assertEquals(
        List.of(
            InputColumn.numeric("size"), InputColumn.categorical("colour", List.of("blue", "red"))),
        columns);
    TableReader.Table t = reader.readClasses(f, columns, "label");
    assertEquals(List.of("a", "b"), t.classNames());
    assertEquals(List.of("id"), t.unused());
    assertArrayEquals(new float[] {2.5f, 0, 1, -1, 1, 0, 4, 0, 1}, t.data().featuresView());
    assertArrayEquals(new int[] {0, 1, 0}, t.data().labels());
    assertEquals(
        List.of(InputColumn.numeric("size")),
        TableReader.csv().features(List.of("size")).inferColumns(f, "label"));
    MalformedFileException notThere =
        assertThrows(
            MalformedFileException.class,
            () -> TableReader.csv().features(List.of("weight")).inferColumns(f, "label"));
    assertTrue(notThere.getMessage().contains("'weight'"), notThere.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> TableReader.csv().features(List.of("label")).inferColumns(f, "label"));
  }

  @Test
  void aTextColumnOfTooManyValuesIsNamed() throws IOException {
    StringBuilder s = new StringBuilder("name,y\n");
    for (int i = 0; i < 12; i++) {
      s.append("n").append(i).append(',').append(i % 2).append('\n');
    }
    Path f = write("ids.csv", s.toString());
    MalformedFileException e =
        assertThrows(
            MalformedFileException.class,
            () -> TableReader.csv().maxCategories(10).inferColumns(f, "y"));
    assertTrue(e.getMessage().contains("--ignore name"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TableReader.csv().maxCategories(0));
  }

  @Test
  void headerlessFilesAreReadByPositionWithTheirWidthChecked() throws IOException {
    Path f = write("plain.csv", "1,2,3\n4,5,6\n");
    TableReader.Table t = TableReader.csv().readFeatures(f, Preprocessing.none(3));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.data().featuresView());
    TableReader.Table labelled = TableReader.csv().readTargets(f, Preprocessing.none(2), "2");
    assertArrayEquals(new float[] {3, 6}, labelled.data().targets());
    MalformedFileException wide =
        assertThrows(
            MalformedFileException.class,
            () -> TableReader.csv().readFeatures(f, Preprocessing.none(4)));
    assertTrue(wide.getMessage().contains("takes 4"), wide.getMessage());
    Preprocessing text =
        Preprocessing.of(
            List.of(InputColumn.numeric("a"), InputColumn.categorical("b", List.of("x", "y"))));
    assertThrows(MalformedFileException.class, () -> TableReader.csv().readFeatures(f, text));
    assertThrows(
        MalformedFileException.class,
        () -> TableReader.csv().readTargets(f, Preprocessing.none(2), "price"));
  }

  @Test
  void knownClassesDelimitersAndBadCells() throws IOException {
    Path f = write("k.csv", "a;b;label\n1;2;yes\n3;4;no\n");
    Preprocessing two = Preprocessing.none(2);
    TableReader.Table t =
        TableReader.csv().delimiter(';').readClasses(f, two, "label", List.of("no", "yes"));
    assertArrayEquals(new int[] {1, 0}, t.data().labels());
    MalformedFileException unknown =
        assertThrows(
            MalformedFileException.class,
            () -> TableReader.csv().readClasses(f, two, "label", List.of("no", "maybe")));
    assertTrue(unknown.getMessage().contains("'yes'"), unknown.getMessage());
    Path bad = write("bad.csv", "a,b\n1,x\n2,3\n");
    MalformedFileException cell =
        assertThrows(MalformedFileException.class, () -> TableReader.csv().readFeatures(bad, two));
    assertTrue(cell.getMessage().contains("line 2, column 2"), cell.getMessage());
    Path missing = write("missing.csv", "a,b\n1,\n");
    assertThrows(MalformedFileException.class, () -> TableReader.csv().readFeatures(missing, two));
    Path twice = write("twice.csv", "a,a\n1,2\n");
    assertThrows(MalformedFileException.class, () -> TableReader.csv().readFeatures(twice, two));
    Path empty = write("empty.csv", "");
    assertThrows(MalformedFileException.class, () -> TableReader.csv().readFeatures(empty, two));
    Path headerOnly = write("header.csv", "a,b\n");
    assertThrows(
        MalformedFileException.class, () -> TableReader.csv().readFeatures(headerOnly, two));
    Path ragged = write("ragged.csv", "a;b\n1;2\n3\n");
    MalformedFileException short_ =
        assertThrows(
            MalformedFileException.class, () -> TableReader.csv().readFeatures(ragged, two));
    assertTrue(short_.getMessage().contains("separated by ';'"), short_.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TableReader.csv().delimiter('.'));
  }
}
