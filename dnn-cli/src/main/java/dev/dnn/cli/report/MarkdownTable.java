package dev.dnn.cli.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table: a header, an alignment per column and rows of cells, printed
 * with padded columns so the text reads well in a terminal too.
 *
 * <p>Not thread-safe: rows are added in place, so fill and print it on one thread.
 */
public final class MarkdownTable {
  /** How a column's cells line up. */
  public enum Align {
    /** Text columns. */
    LEFT,
    /** Numeric columns. */
    RIGHT
  }

  private final List<String> header;
  private final List<Align> aligns = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();

  /** A table with these column titles, all left aligned until {@link #align} says otherwise. */
  public MarkdownTable(String... header) {
    this.header = List.of(header);
    for (int i = 0; i < header.length; i++) {
      aligns.add(Align.LEFT);
    }
  }

  /** Sets the alignment of the given columns (0-based). */
  public MarkdownTable align(Align align, int... columns) {
    for (int c : columns) {
      aligns.set(c, align);
    }
    return this;
  }

  /** Appends a row; it must have one cell per column. */
  public MarkdownTable row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "row has "
              + cells.length
              + " cells, the table has "
              + header.size()
              + " columns: "
              + Arrays.toString(cells));
    }
    rows.add(List.of(cells));
    return this;
  }

  /** The number of rows (header excluded). */
  public int rowCount() {
    return rows.size();
  }

  /** The table as Markdown, one line per row, ending with a newline. */
  public String render() {
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = Math.max(3, header.get(c).length());
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      String dashes = "-".repeat(widths[c]);
      out.append(' ')
          .append(aligns.get(c) == Align.RIGHT ? dashes.substring(1) + ":" : dashes)
          .append(" |");
    }
    out.append('\n');
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    return out.toString();
  }

  private void line(StringBuilder out, List<String> cells, int[] widths) {
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      String cell = cells.get(c).replace("|", "\\|");
      String pad = " ".repeat(Math.max(0, widths[c] - cell.length()));
      out.append(' ').append(aligns.get(c) == Align.RIGHT ? pad + cell : cell + pad).append(" |");
    }
    out.append('\n');
  }

  /** The same table as an HTML {@code <table>}, text escaped, right-aligned cells marked. */
  public String renderHtml() {
    StringBuilder html = new StringBuilder("<table>\n<tr>");
    for (String title : header) {
      html.append("<th>").append(Html.escape(title)).append("</th>");
    }
    html.append("</tr>\n");
    for (List<String> row : rows) {
      html.append("<tr>");
      for (int c = 0; c < row.size(); c++) {
        html.append(aligns.get(c) == Align.RIGHT ? "<td class=\"num\">" : "<td>")
            .append(Html.escape(row.get(c)))
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    return html.append("</table>\n").toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
