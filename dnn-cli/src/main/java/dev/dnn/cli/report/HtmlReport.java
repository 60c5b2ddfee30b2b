package dev.dnn.cli.report;

import dev.dnn.cli.report.Charts.Line;
import dev.dnn.cli.report.Charts.Range;
import dev.dnn.cli.run.EpochRecord;
import dev.dnn.cli.run.ExperimentResults;
import dev.dnn.cli.run.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The experiment report: one self-contained HTML page (charts embedded as data URIs) with the
 * results table, learning curves per configuration, per-layer gradient norms on a log scale with
 * the trainer's vanishing and exploding gradient flags, and the training time per backend when more
 * than one ran.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class HtmlReport {
  private static final String STYLE =
      """
      body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2em auto;
             max-width: 1560px; padding: 0 1em; color: #222; }
      h1 { margin-bottom: 0.2em; }
      h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
      .meta { color: #555; margin: 0.2em 0; }
      table { border-collapse: collapse; margin: 1em 0; font-size: 14px; }
      th, td { border: 1px solid #ddd; padding: 4px 10px; }
      th { background: #f5f5f5; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr));
              gap: 1em; }
      figure { margin: 0; }
      figure img { width: 100%; max-width: 760px; height: auto; border: 1px solid #eee; }
      figcaption { color: #555; font-size: 13px; }
      details { margin: 0.5em 0; }
      .warning { color: #a40000; font-weight: bold; }
      .scroll { overflow-x: auto; }
      td.vanishing, span.vanishing { background: #fde7c8; }
      td.exploding, span.exploding { background: #f9c9c9; }
      """;

  private HtmlReport() {}

  /** Writes the report for {@code results} to {@code file}. */
  public static void write(ExperimentResults results, Path file) throws IOException {
    OutputFiles.writeString(file, render(results));
  }

  /** The report for {@code results} as an HTML document. */
  public static String render(ExperimentResults results) {
    if (results.runs().isEmpty()) {
      throw new IllegalArgumentException("the experiment has no runs to report");
    }
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(Html.escape(results.title()))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
    html.append("<h1>").append(Html.escape(results.title())).append("</h1>\n");
    meta(html, "Scale", results.scale());
    meta(html, "Data", results.dataSource());
    meta(html, "Machine", results.machine());
    meta(html, "Backends", String.join(", ", results.backends()));

    html.append("<h2>Results</h2>\n");
    resultsTable(html, results.runs());

    if (results.backends().size() > 1) {
      html.append("<h2>Training time per backend</h2>\n");
      timeBars(html, results);
    }

    html.append("<h2>Learning curves</h2>\n");
    html.append(
        "<p>Solid lines: training set (mean over the epoch's steps); dashed: development set"
            + " (after each epoch).</p>\n");
    for (String config : results.configNames()) {
      learningCurves(html, config, runsOf(results, config));
    }

    html.append("<h2>Gradient norms per layer</h2>\n");
    gradientNorms(html, results);

    html.append("<h2>Per-epoch figures</h2>\n");
    for (RunResult run : results.runs()) {
      epochTable(html, run);
    }
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void meta(StringBuilder html, String label, String value) {
    html.append("<p class=\"meta\"><b>")
        .append(Html.escape(label))
        .append(":</b> ")
        .append(Html.escape(value))
        .append("</p>\n");
  }

  private static void resultsTable(StringBuilder html, List<RunResult> runs) {
    html.append("<table>\n<tr><th>Config</th><th>Network</th><th>Training</th><th>Backend</th>")
        .append("<th>Epochs</th><th>Train acc</th><th>Dev acc</th><th>Test acc</th>")
        .append("<th>Wall time</th><th>Samples/s</th></tr>\n");
    for (RunResult run : runs) {
      html.append("<tr>");
      cell(html, run.name(), false);
      cell(
          html,
          run.architecture() + " " + run.config().activation().name().toLowerCase(Locale.ROOT),
          false);
      cell(html, ResultsTable.training(run.config()), false);
      cell(html, run.backend(), false);
      cell(html, String.valueOf(run.epochs().size()), true);
      cell(html, Format.percent(run.trainAccuracy()), true);
      cell(html, Format.percent(run.devAccuracy()), true);
      cell(html, Format.percent(run.testAccuracy()), true);
      cell(html, Format.seconds(run.wallSeconds()), true);
      cell(html, Format.rate(run.samplesPerSecond()), true);
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  private static void cell(StringBuilder html, String text, boolean numeric) {
    html.append(numeric ? "<td class=\"num\">" : "<td>").append(Html.escape(text)).append("</td>");
  }

  private static void timeBars(StringBuilder html, ExperimentResults results) {
    List<String> configs = results.configNames();
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (String backend : results.backends()) {
      List<Double> seconds = new ArrayList<>();
      for (String config : configs) {
        seconds.add(
            results.runs().stream()
                .filter(r -> r.name().equals(config) && r.backend().equals(backend))
                .mapToDouble(RunResult::wallSeconds)
                .findFirst()
                .orElse(0.0));
      }
      series.put(backend, seconds);
    }
    figure(
        html,
        Charts.barChart("Wall time of training", "seconds", configs, series),
        "Training wall time per configuration and backend (0 where a backend did not run it).");
    html.append(SpeedupTable.of(results.runs()).renderHtml());
  }

  private static void learningCurves(StringBuilder html, String config, List<RunResult> runs) {
    html.append("<h3>").append(Html.escape(config)).append("</h3>\n<div class=\"grid\">\n");
    figure(
        html,
        Charts.lineChart(
            config + ": loss",
            "epoch",
            "cross-entropy",
            curves(runs, EpochRecord::trainLoss, EpochRecord::devLoss),
            false,
            Range.AUTO),
        "Loss per epoch.");
    figure(
        html,
        Charts.lineChart(
            config + ": accuracy",
            "epoch",
            "accuracy",
            curves(runs, EpochRecord::trainAccuracy, EpochRecord::devAccuracy),
            false,
            Range.AUTO),
        "Accuracy per epoch.");
    html.append("</div>\n");
  }

  private static List<Line> curves(
      List<RunResult> runs,
      ToDoubleFunction<EpochRecord> train,
      ToDoubleFunction<EpochRecord> dev) {
    List<Line> lines = new ArrayList<>();
    for (RunResult run : runs) {
      double[] x = run.epochs().stream().mapToDouble(EpochRecord::epoch).toArray();
      lines.add(
          new Line(
              run.backend() + " train",
              run.backend(),
              x,
              run.epochs().stream().mapToDouble(train).toArray(),
              false));
      lines.add(
          new Line(
              run.backend() + " dev",
              run.backend(),
              x,
              run.epochs().stream().mapToDouble(dev).toArray(),
              true));
    }
    return lines;
  }

  private static void gradientNorms(StringBuilder html, ExperimentResults results) {
    String reference = SpeedupTable.reference(results.backends());
    List<RunResult> runs = new ArrayList<>();
    for (String config : results.configNames()) {
      List<RunResult> ofConfig = runsOf(results, config);
      runs.add(
          ofConfig.stream()
              .filter(r -> r.backend().equals(reference))
              .findFirst()
              .orElse(ofConfig.get(0)));
    }
    runs.removeIf(r -> r.epochs().isEmpty() || r.epochs().get(0).gradientNorms().isEmpty());
    if (runs.isEmpty()) {
      html.append("<p>No gradient norms were recorded.</p>\n");
      return;
    }
    html.append(
        "<p>The L2 norm of each layer's gradient (weights and bias) on the last batch of every"
            + " epoch, on a logarithmic scale; layer 1 is next to the input. Vanishing gradients"
            + " show as norms that fall layer by layer towards the input, exploding ones as norms"
            + " that grow; compare Deep-tanh (Glorot) with ReLU (He). Wider layers have more"
            + " entries and so larger norms at the same per-weight gradient. All charts share one"
            + " scale. Backend: "
            + Html.escape(reference)
            + ".</p>\n");
    gradientRatioTable(html, runs);
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (RunResult run : runs) {
      for (EpochRecord e : run.epochs()) {
        for (double norm : e.gradientNorms().values()) {
          if (norm > 0) {
            min = Math.min(min, norm);
            max = Math.max(max, norm);
          }
        }
      }
    }
    Range range = new Range(decadeBelow(min), decadeAbove(max));
    double floor = min;
    html.append("<div class=\"grid\">\n");
    for (RunResult run : runs) {
      List<String> layers = new ArrayList<>(run.epochs().get(0).gradientNorms().keySet());
      double[] x = run.epochs().stream().mapToDouble(EpochRecord::epoch).toArray();
      List<Line> lines = new ArrayList<>();
      for (int l = 0; l < layers.size(); l++) {
        String layer = layers.get(l);
        double[] y =
            run.epochs().stream()
                .mapToDouble(e -> Math.max(e.gradientNorms().getOrDefault(layer, 0.0), floor))
                .toArray();
        lines.add(new Line(layerLabel(l, layers.size()), layer, x, y, false));
      }
      figure(
          html,
          Charts.lineChart(
              run.name() + " (" + run.architecture() + " " + activation(run) + ")",
              "epoch",
              "gradient L2 norm",
              lines,
              true,
              range),
          run.name() + ": " + String.join(", ", layers) + ".");
    }
    html.append("</div>\n");
    html.append("<h3>Gradient health</h3>\n").append(GradientHealthTable.legend());
    for (RunResult run : runs) {
      GradientHealthTable.append(html, run);
    }
  }

  private static void gradientRatioTable(StringBuilder html, List<RunResult> runs) {
    html.append(
        "<table>\n<tr><th>Config</th><th>Layer 1 gradient norm, epoch 1</th>"
            + "<th>Last layer gradient norm, epoch 1</th><th>Layer 1 / last</th></tr>\n");
    for (RunResult run : runs) {
      List<Double> norms = new ArrayList<>(run.epochs().get(0).gradientNorms().values());
      double first = norms.get(0);
      double last = norms.get(norms.size() - 1);
      html.append("<tr>");
      cell(html, run.name(), false);
      cell(html, Format.number(first), true);
      cell(html, Format.number(last), true);
      cell(html, Format.number(first / last), true);
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  private static String layerLabel(int index, int count) {
    String label = "layer " + (index + 1);
    return index == count - 1 ? label + " (output)" : label;
  }

  private static String activation(RunResult run) {
    return run.config().activation().name().toLowerCase(Locale.ROOT);
  }

  private static double decadeBelow(double value) {
    return Math.pow(10, Math.floor(Math.log10(value)));
  }

  private static double decadeAbove(double value) {
    return Math.pow(10, Math.ceil(Math.log10(value)));
  }

  private static void epochTable(StringBuilder html, RunResult run) {
    html.append("<details><summary>")
        .append(Html.escape(run.name() + " on " + run.backend()))
        .append(" (")
        .append(run.epochs().size())
        .append(" epochs)</summary>\n<table>\n")
        .append("<tr><th>Epoch</th><th>Train loss</th><th>Train acc</th><th>Dev loss</th>")
        .append("<th>Dev acc</th><th>Time</th></tr>\n");
    for (EpochRecord e : run.epochs()) {
      html.append("<tr>");
      cell(html, String.valueOf(e.epoch()), true);
      cell(html, Format.number(e.trainLoss()), true);
      cell(html, Format.percent(e.trainAccuracy()), true);
      cell(html, Format.number(e.devLoss()), true);
      cell(html, Format.percent(e.devAccuracy()), true);
      cell(html, Format.seconds(e.seconds()), true);
      html.append("</tr>\n");
    }
    html.append("</table>\n</details>\n");
  }

  private static void figure(StringBuilder html, String dataUri, String caption) {
    html.append("<figure><img alt=\"")
        .append(Html.escape(caption))
        .append("\" src=\"")
        .append(dataUri)
        .append("\"><figcaption>")
        .append(Html.escape(caption))
        .append("</figcaption></figure>\n");
  }

  private static List<RunResult> runsOf(ExperimentResults results, String config) {
    return results.runs().stream().filter(r -> r.name().equals(config)).toList();
  }
}
