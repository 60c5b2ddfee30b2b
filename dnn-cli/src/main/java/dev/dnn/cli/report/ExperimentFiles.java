package dev.dnn.cli.report;

import dev.dnn.cli.run.ExperimentResults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes an experiment's files into one directory: {@value #MARKDOWN} (the tables), {@value #JSON}
 * (every history) and {@value #HTML} (the report with plots).
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class ExperimentFiles {
  /** The Markdown tables. */
  public static final String MARKDOWN = "results.md";

  /** All results and histories. */
  public static final String JSON = "results.json";

  /** The self-contained report. */
  public static final String HTML = "report.html";

  private ExperimentFiles() {}

  /**
   * Writes the three files, creating {@code dir}; returns their paths. All three are rendered
   * before the first is written, so results that cannot be reported leave an earlier report whole.
   */
  public static List<Path> write(ExperimentResults results, Path dir) throws IOException {
    String html = HtmlReport.render(results);
    String markdown = markdown(results);
    String json = ResultsJson.toJson(results);
    Path markdownFile = dir.resolve(MARKDOWN);
    Path jsonFile = dir.resolve(JSON);
    Path htmlFile = dir.resolve(HTML);
    OutputFiles.writeString(markdownFile, markdown);
    OutputFiles.writeString(jsonFile, json);
    OutputFiles.writeString(htmlFile, html);
    return List.of(markdownFile, jsonFile, htmlFile);
  }

  /** The Markdown document: a heading, where it ran, the results and, if several, the speedups. */
  public static String markdown(ExperimentResults results) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(results.title()).append("\n\n");
    md.append("- Scale: ").append(results.scale()).append('\n');
    md.append("- Data: ").append(results.dataSource()).append('\n');
    md.append("- Machine: ").append(results.machine()).append("\n\n");
    md.append(ResultsTable.of(results.runs()).render());
    if (results.backends().size() > 1) {
      md.append("\n## Training time per backend\n\n");
      md.append(SpeedupTable.of(results.runs()).render());
    }
    return md.toString();
  }
}
