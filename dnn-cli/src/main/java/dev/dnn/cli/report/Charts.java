package dev.dnn.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Renders the report's charts with XChart to PNG images, returned as {@code data:} URIs so the HTML
 * report needs no other file.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class Charts {
  /** Chart width in pixels. */
  public static final int WIDTH = 760;

  /** Chart height in pixels. */
  public static final int HEIGHT = 420;

  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x7f7f7f),
    new Color(0xbcbd22),
    new Color(0x17becf)
  };

  private Charts() {}

  /**
   * One line of a line chart.
   *
   * @param label the legend entry
   * @param colorGroup lines of the same group share a colour (a backend's train and dev curves)
   * @param x the x values
   * @param y the y values, one per x
   * @param dashed dashed instead of solid (dev curves, against solid train curves)
   */
  public record Line(String label, String colorGroup, double[] x, double[] y, boolean dashed) {
    /** Checks that x and y pair up. */
    public Line {
      if (x.length != y.length) {
        throw new IllegalArgumentException(
            "line '" + label + "' has " + x.length + " x values and " + y.length + " y values");
      }
      if (x.length == 0) {
        throw new IllegalArgumentException("line '" + label + "' has no points");
      }
    }
  }

  /** The y-axis range of a chart; null bounds are chosen from the data. */
  public record Range(Double min, Double max) {
    /** Bounds chosen from the data. */
    public static final Range AUTO = new Range(null, null);
  }

  /**
   * A line chart as a PNG data URI.
   *
   * @param logY a logarithmic y axis (every y value must then be positive)
   */
  public static String lineChart(
      String title, String xTitle, String yTitle, List<Line> lines, boolean logY, Range yRange) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setXAxisDecimalPattern("#");
    // Epoch axes of hundreds of points need sparse labels.
    chart.getStyler().setXAxisMaxLabelCount(15);
    if (!logY) {
      chart.getStyler().setYAxisDecimalPattern("#.###");
    }
    if (yRange.min() != null) {
      chart.getStyler().setYAxisMin(yRange.min());
    }
    if (yRange.max() != null) {
      chart.getStyler().setYAxisMax(yRange.max());
    }
    chart.getStyler().setMarkerSize(lines.get(0).x().length > 40 ? 0 : 5);
    Map<String, Color> colors = new LinkedHashMap<>();
    for (Line line : lines) {
      if (logY) {
        for (double y : line.y()) {
          if (!(y > 0)) {
            throw new IllegalArgumentException(
                "line '"
                    + line.label()
                    + "' of '"
                    + title
                    + "' has a value "
                    + y
                    + " that a logarithmic axis cannot show");
          }
        }
      }
      XYSeries series = chart.addSeries(line.label(), line.x(), line.y());
      Color color =
          colors.computeIfAbsent(line.colorGroup(), k -> PALETTE[colors.size() % PALETTE.length]);
      series.setLineColor(color);
      series.setMarkerColor(color);
      series.setMarker(SeriesMarkers.CIRCLE);
      series.setLineStyle(
          line.dashed()
              ? new BasicStroke(
                  2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
              : new BasicStroke(2f));
    }
    return dataUri(chart);
  }

  /**
   * A grouped bar chart as a PNG data URI: one group per category, one bar per series in it.
   *
   * @param series the values of each series, one per category, in category order
   */
  public static String barChart(
      String title, String yTitle, List<String> categories, Map<String, List<Double>> series) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("")
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    chart.getStyler().setSeriesColors(PALETTE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("#.##");
    series.forEach((name, values) -> chart.addSeries(name, categories, values));
    return dataUri(chart);
  }

  private static void style(AxesChartStyler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderVisible(false);
    styler.setPlotGridLinesColor(new Color(0xe5e5e5));
    styler.setLegendPosition(LegendPosition.OutsideS);
    styler.setLegendBorderColor(Color.WHITE);
    styler.setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
    styler.setChartTitleBoxVisible(false);
    styler.setAntiAlias(true);
    Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    styler.setChartTitleFont(base.deriveFont(Font.BOLD, 14f));
    styler.setAxisTitleFont(base);
    styler.setAxisTickLabelsFont(base.deriveFont(11f));
    styler.setLegendFont(base);
  }

  private static String dataUri(Chart<?, ?> chart) {
    try {
      byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode chart '" + chart.getTitle() + "'", e);
    }
  }
}
