package dev.dnn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.cli.report.MarkdownTable.Align;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {
  @Test
  void padsColumnsAndMarksRightAlignedOnes() {
    String table =
        new MarkdownTable("Name", "Score")
            .align(Align.RIGHT, 1)
            .row("a", "1.5")
            .row("bbbbb", "10")
            .render();
    assertEquals(
        "| Name  | Score |\n"
            + "| ----- | ----: |\n"
            + "| a     |   1.5 |\n"
            + "| bbbbb |    10 |\n",
        table);
  }

  @Test
  void rendersAsHtmlWithEscapedText() {
    String html = new MarkdownTable("A<", "B").align(Align.RIGHT, 1).row("x&y", "2").renderHtml();
    assertEquals(
        "<table>\n<tr><th>A&lt;</th><th>B</th></tr>\n"
            + "<tr><td>x&amp;y</td><td class=\"num\">2</td></tr>\n</table>\n",
        html);
  }

  @Test
  void escapesPipesInCells() {
    String table = new MarkdownTable("A").row("x|y").render();
    assertTrue(table.contains("x\\|y"), table);
  }

  @Test
  void rejectsRowsOfTheWrongLength() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new MarkdownTable("A", "B").row("1"));
    assertTrue(e.getMessage().contains("1 cells"), e.getMessage());
  }

  @Test
  void formatsNumbersWithoutNoise() {
    assertEquals("0.001", Format.number(0.001));
    assertEquals("0.1", Format.number(0.1));
    assertEquals("12.35", Format.number(12.3456));
    assertEquals("1.000e-05", Format.number(1e-5));
    assertEquals("87.50%", Format.percent(0.875));
    assertEquals("4.00x", Format.ratio(4));
    assertEquals("12,346", Format.rate(12345.6));
  }
}
