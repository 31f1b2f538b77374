package io.tinyscale.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG plot of a bench's figures, for readers who would rather look than read:
 *
 * <pre>Chart bar|line IN.tsv OUT.png TITLE X-LABEL Y-LABEL [--log-y]</pre>
 *
 * <p>IN.tsv: a header line, then one row per x value: the first column is the x value (a category
 * for {@code bar}, a number for {@code line}), each other column a series named by its header; an
 * empty cell is no point. Malformed arguments or input end the JVM with status 2 and a sentence
 * saying what to fix; a PNG that cannot be written, with status 1.
 */
public final class Chart {
  static final int WIDTH = 900;
  static final int HEIGHT = 500;

  /** The plot area's width, about: the chart less the y axis, its labels and the padding. */
  static final int PLOT_WIDTH = WIDTH - 130;

  /** A tick or value label's width per character at 12 pt, about. */
  static final int CHAR_WIDTH = 7;

  // Okabe-Ito's colour-blind-safe palette, darkest first, without its yellow (too pale on white)
  private static final Color[] COLORS = {
    new Color(0x0072B2),
    new Color(0xE69F00),
    new Color(0x009E73),
    new Color(0xD55E00),
    new Color(0xCC79A7),
    new Color(0x56B4E9),
    new Color(0x000000),
  };
  private static final String USAGE =
      "usage: Chart bar|line IN.tsv OUT.png TITLE X-LABEL Y-LABEL [--log-y]";

  private Chart() {}

  enum Kind {
    BAR,
    LINE
  }

  /** Input the chart cannot be drawn from; its message says what is wrong and where. */
  static final class MalformedInput extends Exception {
    MalformedInput(String message) {
      super(message);
    }
  }

  /** One column of the TSV: a value per row, null where its cell is empty. */
  record Series(String name, List<Double> values) {
    boolean empty() {
      return values.stream().allMatch(Objects::isNull);
    }
  }

  /** A TSV's figures: the x values as written (numbers, for a line chart, in {@link #xNumbers}). */
  record Table(String xName, List<String> x, List<Series> series) {
    List<Double> xNumbers() {
      return x.stream().map(Double::parseDouble).toList();
    }

    List<Double> allValues() {
      return series.stream().flatMap(s -> s.values().stream()).filter(Objects::nonNull).toList();
    }

    /**
     * Parses TSV lines (blank lines are skipped, a trailing CR is ignored). {@code numericX}: the
     * first column must hold numbers (a line chart's x axis).
     */
    static Table parse(List<String> lines, boolean numericX) throws MalformedInput {
      int headerLine = -1;
      String[] header = null;
      List<String> x = new ArrayList<>();
      List<List<Double>> columns = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = stripCr(lines.get(i));
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split("\t", -1);
        int number = i + 1;
        if (header == null) {
          header = cells;
          headerLine = number;
          checkHeader(header, number);
          for (int c = 1; c < header.length; c++) {
            columns.add(new ArrayList<>());
          }
          continue;
        }
        if (cells.length > header.length) {
          throw new MalformedInput(
              "line %d has %d tab-separated cells, the header (line %d) has %d: one cell per column"
                  .formatted(number, cells.length, headerLine, header.length));
        }
        String xValue = cells[0].strip();
        if (xValue.isEmpty()) {
          throw new MalformedInput(
              "line %d has no x value (its first cell is empty)".formatted(number));
        }
        if (numericX && number(xValue) == null) {
          throw new MalformedInput(
              "line %d: x value '%s' is not a number (a line chart's first column holds numbers)"
                  .formatted(number, xValue));
        }
        x.add(xValue);
        for (int c = 1; c < header.length; c++) {
          String cell = c < cells.length ? cells[c].strip() : "";
          Double value = null;
          if (!cell.isEmpty()) {
            value = number(cell);
            if (value == null) {
              throw new MalformedInput(
                  "line %d, column %d (%s): '%s' is not a number (an empty cell is no point)"
                      .formatted(number, c + 1, header[c].strip(), cell));
            }
          }
          columns.get(c - 1).add(value);
        }
      }
      if (header == null) {
        throw new MalformedInput("the file is empty: a header line and rows of figures expected");
      }
      if (x.isEmpty()) {
        throw new MalformedInput("no rows under the header: nothing to plot");
      }
      List<Series> series = new ArrayList<>();
      for (int c = 1; c < header.length; c++) {
        series.add(new Series(header[c].strip(), Collections.unmodifiableList(columns.get(c - 1))));
      }
      Table table = new Table(header[0].strip(), List.copyOf(x), List.copyOf(series));
      if (table.allValues().isEmpty()) {
        throw new MalformedInput("every figure cell is empty: nothing to plot");
      }
      return table;
    }

    private static void checkHeader(String[] header, int number) throws MalformedInput {
      if (header.length < 2) {
        throw new MalformedInput(
            "the header (line %d) has %d column: x, then at least one series, separated by tabs"
                .formatted(number, header.length));
      }
      var seen = new HashSet<String>();
      for (int c = 0; c < header.length; c++) {
        String name = header[c].strip();
        if (name.isEmpty()) {
          throw new MalformedInput(
              "the header (line %d) has no name in column %d".formatted(number, c + 1));
        }
        if (!seen.add(name)) {
          throw new MalformedInput(
              "the header (line %d) names '%s' twice: series need names of their own"
                  .formatted(number, name));
        }
      }
    }

    private static String stripCr(String line) {
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** A finite number, or null. */
    private static Double number(String text) {
      try {
        double value = Double.parseDouble(text);
        return Double.isFinite(value) ? value : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    try {
      run(args);
    } catch (MalformedInput e) {
      System.err.println("chart: " + e.getMessage());
      System.exit(2);
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "chart: cannot draw " + (args.length > 2 ? args[2] : "the chart") + ": " + e);
      System.exit(1);
    }
  }

  static void run(String[] args) throws MalformedInput, IOException {
    if (args.length < 6 || args.length > 7) {
      throw new MalformedInput(USAGE);
    }
    Kind kind =
        switch (args[0]) {
          case "bar" -> Kind.BAR;
          case "line" -> Kind.LINE;
          default -> throw new MalformedInput("unknown kind '" + args[0] + "'; " + USAGE);
        };
    boolean logY = false;
    if (args.length == 7) {
      if (!args[6].equals("--log-y")) {
        throw new MalformedInput("unknown option '" + args[6] + "'; " + USAGE);
      }
      logY = true;
    }
    Path in = Path.of(args[1]);
    Path out = Path.of(args[2]);
    if (!out.getFileName().toString().endsWith(".png")) {
      throw new MalformedInput("the output must be a .png file, not " + out);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(in, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new MalformedInput(in + ": no such file");
    } catch (IOException e) {
      throw new MalformedInput("cannot read " + in + ": " + e.getMessage());
    }
    Table table;
    try {
      table = Table.parse(lines, kind == Kind.LINE);
    } catch (MalformedInput e) {
      throw new MalformedInput(in + ": " + e.getMessage());
    }
    if (logY && table.allValues().stream().anyMatch(v -> v <= 0)) {
      throw new MalformedInput(in + ": --log-y needs figures above 0, and a figure is 0 or less");
    }
    org.knowm.xchart.internal.chartpart.Chart<?, ?> chart =
        kind == Kind.BAR
            ? bar(table, args[3], args[4], args[5], logY)
            : line(table, args[3], args[4], args[5], logY);
    // BitmapEncoder adds ".png" when the name lacks it: given without it, the file is OUT.png
    String name = out.toString();
    BitmapEncoder.saveBitmap(
        chart, name.substring(0, name.length() - 4), BitmapEncoder.BitmapFormat.PNG);
  }

  static CategoryChart bar(Table table, String title, String xLabel, String yLabel, boolean logY) {
    CategoryChart chart = titled(new CategoryChart(WIDTH, HEIGHT), title, xLabel, yLabel);
    List<Series> shown = shown(table);
    var styler = chart.getStyler();
    style(styler, table, shown, logY);
    double fill = shown.size() > 1 ? 0.8 : 0.6;
    // a value on each bar where the widest one fits across its bar
    var format =
        new DecimalFormat(
            pattern(table.allValues()), DecimalFormatSymbols.getInstance(Locale.ROOT));
    int widest =
        table.allValues().stream().mapToInt(v -> format.format(v).length()).max().orElse(0);
    double barWidth = PLOT_WIDTH * fill / (table.x().size() * shown.size());
    styler.setLabelsVisible(barWidth >= widest * CHAR_WIDTH + 6);
    styler.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    // inside each bar, near its top: white on the palette's dark colours, black on light ones
    styler.setLabelsFontColorAutomaticEnabled(true);
    styler.setLabelsFontColorAutomaticLight(Color.WHITE);
    styler.setLabelsFontColorAutomaticDark(Color.BLACK);
    styler.setLabelsPosition(0.9);
    styler.setAvailableSpaceFill(fill);
    styler.setOverlapped(false);
    int longest = table.x().stream().mapToInt(String::length).max().orElse(0);
    // tick labels that would run into each other slant
    if ((longest + 2) * CHAR_WIDTH * table.x().size() > PLOT_WIDTH) {
      styler.setXAxisLabelRotation(40);
      // each label ends under its bars
      styler.setXAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
    }
    for (Series series : shown) {
      // XChart skips a NaN bar; a null one counts as 0, which a logarithmic axis refuses
      List<Double> values = series.values().stream().map(v -> v == null ? Double.NaN : v).toList();
      chart.addSeries(series.name(), table.x(), values);
    }
    return chart;
  }

  static XYChart line(Table table, String title, String xLabel, String yLabel, boolean logY) {
    XYChart chart = titled(new XYChart(WIDTH, HEIGHT), title, xLabel, yLabel);
    List<Series> shown = shown(table);
    var styler = chart.getStyler();
    style(styler, table, shown, logY);
    styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    styler.setMarkerSize(6);
    styler.setXAxisDecimalPattern(pattern(table.xNumbers()));
    List<Double> x = table.xNumbers();
    for (Series series : shown) {
      // a series draws the rows where it has a figure
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < x.size(); i++) {
        if (series.values().get(i) != null) {
          xs.add(x.get(i));
          ys.add(series.values().get(i));
        }
      }
      XYSeries drawn = chart.addSeries(series.name(), xs, ys);
      drawn.setMarker(SeriesMarkers.CIRCLE);
      drawn.setLineStyle(new BasicStroke(2f));
    }
    return chart;
  }

  /** The series with at least one figure: a column left empty (a variant not run) is not drawn. */
  private static List<Series> shown(Table table) {
    List<Series> shown = new ArrayList<>();
    for (Series series : table.series()) {
      if (series.empty()) {
        System.err.println("chart: column '" + series.name() + "' has no figure: not drawn");
      } else {
        shown.add(series);
      }
    }
    return shown;
  }

  private static <C extends org.knowm.xchart.internal.chartpart.Chart<?, ?>> C titled(
      C chart, String title, String xLabel, String yLabel) {
    chart.setTitle(title);
    chart.setXAxisTitle(xLabel);
    chart.setYAxisTitle(yLabel);
    return chart;
  }

  /** What bar and line charts share: the look, the legend when there is more than one series. */
  private static void style(AxesChartStyler styler, Table table, List<Series> shown, boolean logY) {
    styler.setLegendVisible(shown.size() > 1);
    styler.setLocale(Locale.ROOT);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderVisible(false);
    styler.setChartFontColor(new Color(0x222222));
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    styler.setChartTitleBoxVisible(false);
    styler.setChartPadding(14);
    styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    styler.setAxisTickLabelsColor(new Color(0x333333));
    styler.setAxisTickMarksColor(new Color(0x999999));
    styler.setPlotGridVerticalLinesVisible(false);
    styler.setPlotGridHorizontalLinesVisible(true);
    styler.setPlotGridLinesColor(new Color(0xE4E4E4));
    styler.setPlotGridLinesStroke(new BasicStroke(1f));
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setLegendBorderColor(Color.WHITE);
    styler.setLegendBackgroundColor(Color.WHITE);
    styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    styler.setLegendPadding(12);
    styler.setLegendSeriesLineLength(28);
    styler.setSeriesColors(COLORS);
    styler.setToolTipsEnabled(false);
    styler.setYAxisDecimalPattern(pattern(table.allValues()));
    if (logY) {
      // whole decades around the figures: XChart's bars start from 0 otherwise, which a
      // logarithmic axis refuses
      double min = table.allValues().stream().mapToDouble(v -> v).min().orElse(1);
      double max = table.allValues().stream().mapToDouble(v -> v).max().orElse(1);
      styler.setYAxisLogarithmic(true);
      styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
      styler.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max * 1.01))));
    } else {
      // from 0, so that heights compare; a little room above the tallest bar or point
      double max = table.allValues().stream().mapToDouble(v -> v).max().orElse(0);
      styler.setYAxisMin(0.0);
      if (max > 0) {
        styler.setYAxisMax(max * 1.08);
      }
    }
  }

  /** Thousands separators; decimals only where the figures are small enough to need them. */
  static String pattern(List<Double> values) {
    double max = values.stream().mapToDouble(Math::abs).max().orElse(0);
    double min = values.stream().mapToDouble(Math::abs).filter(v -> v > 0).min().orElse(max);
    if (max >= 100 && min >= 10) {
      return "#,##0";
    }
    return max >= 10 ? "#,##0.#" : "#,##0.##";
  }
}
