package dev.dnn.bench.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnn.cli.report.Format;
import dev.dnn.cli.report.MarkdownTable;
import dev.dnn.cli.report.MarkdownTable.Align;
import dev.dnn.cli.report.ResultsJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a JMH JSON result file ({@code -rf json}) into a Markdown table: one row per benchmark
 * method and parameter set, one score column per value of the {@code backend} parameter, and the
 * speedup of every other backend over {@code cpu} where both ran. The speedup accounts for the
 * mode: for time per operation it is {@code cpu / other}, for throughput {@code other / cpu}.
 */
public final class JmhResultTable {
  /** The benchmark parameter that names the backend. */
  public static final String BACKEND_PARAM = "backend";

  /** The column for results that have no backend parameter. */
  static final String NO_BACKEND = "score";

  private JmhResultTable() {}

  /** One result of the file. */
  record Score(
      String benchmark,
      String mode,
      String params,
      String backend,
      double score,
      double error,
      String unit) {}

  /** Reads the file and renders its table with a column per backend. */
  public static MarkdownTable fromFile(Path file) throws IOException {
    return fromFile(file, BACKEND_PARAM);
  }

  /** Reads the file and renders its table with a column per value of {@code columnParam}. */
  public static MarkdownTable fromFile(Path file, String columnParam) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException("cannot read JMH results " + file + ": " + ResultsJson.describe(e), e);
    }
    return of(parse(root, file.toString(), columnParam));
  }

  /**
   * The scores in a JMH JSON document; {@code source} names it in error messages, and {@code
   * columnParam} is the parameter whose value becomes the score's column.
   */
  static List<Score> parse(JsonNode root, String source, String columnParam) {
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException(
          source + " is not a JMH JSON result file: expected a top-level array");
    }
    List<Score> scores = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      String where = source + " entry " + i;
      String benchmark = text(entry, "benchmark", where);
      String mode = text(entry, "mode", where);
      JsonNode metric = entry.get("primaryMetric");
      if (metric == null || !metric.hasNonNull("score")) {
        throw new IllegalArgumentException(
            where + " (" + benchmark + ") has no primaryMetric.score");
      }
      double score =
          number(metric.get("score"), where + " (" + benchmark + ") primaryMetric.score");
      Map<String, String> params = new TreeMap<>();
      JsonNode paramNode = entry.get("params");
      if (paramNode != null) {
        for (Map.Entry<String, JsonNode> p : paramNode.properties()) {
          params.put(p.getKey(), p.getValue().asText());
        }
      }
      String backend = params.remove(columnParam);
      StringBuilder paramText = new StringBuilder();
      params.forEach(
          (k, v) ->
              paramText
                  .append(paramText.length() == 0 ? "" : ", ")
                  .append(k)
                  .append('=')
                  .append(v));
      double error = metric.path("scoreError").asDouble(Double.NaN);
      scores.add(
          new Score(
              shortName(benchmark),
              mode,
              paramText.toString(),
              backend == null ? NO_BACKEND : backend,
              score,
              error,
              metric.path("scoreUnit").asText("")));
    }
    return scores;
  }

  /** The table of {@code scores}, whose column values came from one parameter. */
  static MarkdownTable of(List<Score> scores) {
    List<String> backends = scores.stream().map(Score::backend).distinct().toList();
    List<String> named = backends.stream().filter(b -> !b.equals(NO_BACKEND)).toList();
    String reference = named.contains("cpu") ? "cpu" : named.isEmpty() ? NO_BACKEND : named.get(0);
    List<String> others = named.stream().filter(b -> !b.equals(reference)).toList();
    List<String> header = new ArrayList<>(List.of("Benchmark", "Params", "Mode", "Unit"));
    header.addAll(backends);
    for (String other : others) {
      header.add(other + " speedup vs " + reference);
    }
    MarkdownTable table = new MarkdownTable(header.toArray(String[]::new));
    for (int c = 4; c < header.size(); c++) {
      table.align(Align.RIGHT, c);
    }
    Map<String, Map<String, Score>> rows = new LinkedHashMap<>();
    for (Score s : scores) {
      String key = s.benchmark() + "\u0000" + s.params() + "\u0000" + s.mode();
      rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(s.backend(), s);
    }
    for (Map<String, Score> row : rows.values()) {
      Score any = row.values().iterator().next();
      List<String> cells =
          new ArrayList<>(List.of(any.benchmark(), any.params(), any.mode(), any.unit()));
      for (String backend : backends) {
        Score s = row.get(backend);
        cells.add(s == null ? "-" : scoreText(s));
      }
      Score base = row.get(reference);
      for (String other : others) {
        Score s = row.get(other);
        cells.add(base == null || s == null ? "-" : Format.ratio(speedup(base, s)));
      }
      table.row(cells.toArray(String[]::new));
    }
    return table;
  }

  /** How many times faster {@code other} is than {@code reference}, given the benchmark mode. */
  static double speedup(Score reference, Score other) {
    boolean throughput = reference.mode().equals("thrpt");
    return throughput ? other.score() / reference.score() : reference.score() / other.score();
  }

  private static String scoreText(Score s) {
    String score = Format.number(s.score());
    return Double.isFinite(s.error()) ? score + " ± " + Format.number(s.error()) : score;
  }

  /** {@code dev.dnn.bench.jmh.GemmBenchmark.gemm} becomes {@code GemmBenchmark.gemm}. */
  static String shortName(String benchmark) {
    int method = benchmark.lastIndexOf('.');
    int type = method > 0 ? benchmark.lastIndexOf('.', method - 1) : -1;
    return type < 0 ? benchmark : benchmark.substring(type + 1);
  }

  /**
   * A score: a JSON number, or the text JMH writes for a non-finite one ({@code "NaN"}). Anything
   * else is refused, where {@code asDouble} would read it as 0.
   */
  private static double number(JsonNode node, String where) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isTextual()) {
      try {
        return Double.parseDouble(node.asText());
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException(where + " is not a number: '" + node.asText() + "'");
  }

  private static String text(JsonNode entry, String field, String where) {
    JsonNode node = entry.get(field);
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException(where + " has no '" + field + "' text field");
    }
    return node.asText();
  }
}
