package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Class names and regression targets in the label column. */
class CsvLabelKindsTest {
  private static CsvReader.NamedClasses named(String text, String column) throws IOException {
    return CsvReader.labelColumn(column).readNamedClasses(new StringReader(text), "t.csv");
  }

  @Test
  void textLabelsBecomeClassesInTheOrderOfTheirNames() throws IOException {
    CsvReader.NamedClasses read =
        named("area,price\n50,fair\n30,cheap\n90,dear\n40,cheap\n", "price");
    assertEquals(List.of("cheap", "dear", "fair"), read.classNames());
    assertArrayEquals(new int[] {2, 0, 1, 0}, read.data().labels());
    assertEquals(3, read.data().classCount());
    assertArrayEquals(new float[] {50, 30, 90, 40}, read.data().featuresView());
  }

  @Test
  void integerLabelsAreOrderedAsNumbers() throws IOException {
    CsvReader.NamedClasses read = named("x,y\n1,10\n2,2\n3,1\n", "y");
    assertEquals(List.of("1", "2", "10"), read.classNames());
    assertArrayEquals(new int[] {2, 1, 0}, read.data().labels());
  }

  @Test
  void theLabelColumnCanBeANumberToPredict() throws IOException {
    DataSet data =
        CsvReader.labelColumn(1)
            .readTargets(new StringReader("a,target,b\n1,0.5,2\n3,-1.25e1,4\n"), "t.csv");
    assertEquals(0, data.classCount());
    assertEquals(1, data.targetCount());
    assertArrayEquals(new float[] {0.5f, -12.5f}, data.targets());
    assertArrayEquals(new float[] {1, 2, 3, 4}, data.featuresView());
  }

  @Test
  void aTargetThatIsNotANumberIsNamed() {
    MalformedFileException e =
        assertThrows(
            MalformedFileException.class,
            () ->
                CsvReader.labelColumn("y")
                    .readTargets(new StringReader("x,y\n1,2\n3,high\n"), "t.csv"));
    assertTrue(e.getMessage().contains("line 3, column 2"), e.getMessage());
  }
}
