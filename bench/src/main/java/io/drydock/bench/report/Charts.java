package io.drydock.bench.report;

import io.drydock.bench.run.BenchResult;
import io.drydock.bench.run.VariantResult;
import io.drydock.bench.stats.Summary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Charts of bench results, each written as PNG and SVG:
 * <ul>
 *   <li>{@link #bar}: a horizontal bar per variant of a metric's mean, with its 95 % interval and its value
 *       written ({@link BarChart}); {@link #sweepBars}: the same grouped by sweep point;</li>
 *   <li>{@link #sweepLine}: for a sweep, the metric's mean against the first parameter, one line per
 *       variant (and per value of the other parameters), with interval error bars (XChart).</li>
 * </ul>
 * The metric is {@value #WALL} for wall time or a metric name from the registry.
 */
public final class Charts {
    private Charts() {}

    /** The metric name that means wall time. */
    public static final String WALL = "wall";

    static {
        // Charts are drawn off-screen; without this a JVM with a DISPLAY would try to open it.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** Files written for one chart. */
    public record ChartFiles(Path png, Path svg) {}

    /** A value with its interval half width, in the unit the chart shows. */
    private record Point(double value, double error) {}

    public static ChartFiles bar(BenchResult r, String metric, Path dir, String baseName) throws IOException {
        return bar(r, metric, dir, baseName, null);
    }

    /**
     * One horizontal bar per variant, in the bench's order, of the metric's mean with its 95 % interval,
     * the value written at each bar. {@code groupOf} (may be null: every variant its own colour) maps a
     * variant name to a group: bars of a group share a colour, and the legend names the groups.
     */
    public static ChartFiles bar(BenchResult r, String metric, Path dir, String baseName,
                                 java.util.function.Function<String, String> groupOf) throws IOException {
        List<BarChart.Row> rows = new ArrayList<>();
        double max = 0;
        for (VariantResult v : r.variants()) {
            Summary s = stat(v, metric);
            double mean = s == null ? 0 : s.mean();
            max = Math.max(max, Math.abs(mean));
            String key = groupOf == null ? v.name() : String.valueOf(groupOf.apply(v.name()));
            rows.add(BarChart.Row.of(new BarChart.Bar(v.name(), mean, s == null ? Double.NaN : s.ciHalfWidth(), key)));
        }
        BarChart.Unit unit = WALL.equals(metric) ? BarChart.time(max) : BarChart.count(max);
        String title = r.name() + (r.params().isEmpty() ? "" : " " + r.params()) + ": " + label(metric);
        return save(BarChart.draw(title, label(metric) + " — mean, whisker: 95% CI", rows, unit), dir, baseName);
    }

    /**
     * A sweep as bars grouped by point: a section per point ("blockSize=4096, threads=1"), one bar per
     * variant inside, each variant its own colour (named in the legend). Works for any parameter type.
     */
    public static ChartFiles sweepBars(String title, List<BenchResult> points, String metric, Path dir, String baseName)
            throws IOException {
        List<BarChart.Row> rows = new ArrayList<>();
        double max = 0;
        for (BenchResult p : points) {
            StringBuilder h = new StringBuilder();
            p.params().forEach((k, v) -> h.append(h.isEmpty() ? "" : ", ").append(k).append('=').append(v));
            rows.add(BarChart.Row.heading(h.isEmpty() ? p.name() : h.toString()));
            for (VariantResult v : p.variants()) {
                Summary s = stat(v, metric);
                double mean = s == null ? 0 : s.mean();
                max = Math.max(max, Math.abs(mean));
                rows.add(BarChart.Row.of(new BarChart.Bar(v.name(), mean, s == null ? Double.NaN : s.ciHalfWidth(), v.name())));
            }
        }
        BarChart.Unit unit = WALL.equals(metric) ? BarChart.time(max) : BarChart.count(max);
        return save(BarChart.draw(title + ": " + label(metric) + " per point", label(metric) + " — mean, whisker: 95% CI",
                rows, unit), dir, baseName);
    }

    private static ChartFiles save(Drawing d, Path dir, String baseName) throws IOException {
        Files.createDirectories(dir);
        Path png = dir.resolve(baseName + ".png");
        Path svg = dir.resolve(baseName + ".svg");
        try (OutputStream out = Files.newOutputStream(png)) {
            d.png(out);
        }
        Files.writeString(svg, d.svg());
        return new ChartFiles(png, svg);
    }

    /**
     * @param points the sweep's bench results, each with the parameters in {@link BenchResult#params()}
     * @param xParam the parameter on the x axis (numeric); the others split the series
     */
    public static ChartFiles sweepLine(String title, List<BenchResult> points, String xParam, String metric, Path dir,
                                       String baseName) throws IOException {
        Map<String, List<double[]>> series = new LinkedHashMap<>(); // name → [x, summary mean, half width]
        double max = 0;
        for (BenchResult r : points) {
            Object x = r.params().get(xParam);
            if (!(x instanceof Number xn)) {
                throw new IllegalArgumentException("sweep parameter '" + xParam + "' must be numeric for a line chart, was " + x);
            }
            String others = others(r.params(), xParam);
            for (VariantResult v : r.variants()) {
                Summary s = stat(v, metric);
                if (s != null) max = Math.max(max, s.mean());
                series.computeIfAbsent(v.name() + others, k -> new ArrayList<>())
                        .add(new double[]{xn.doubleValue(), s == null ? 0 : s.mean(), s == null ? 0 : s.ciHalfWidth()});
            }
        }
        Scale scale = scale(metric, max);
        // the legend on the right, one series a line: the canvas grows so that every name fits
        XYChart chart = new XYChartBuilder().width(900).height(Math.max(500, 120 + 20 * series.size()))
                .title(title + ": " + label(metric) + " by " + xParam)
                .xAxisTitle(xParam).yAxisTitle(scale.axis(metric)).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setXAxisDecimalPattern("#,##0.###");
        double minX = Double.MAX_VALUE, maxX = 0;
        for (List<double[]> pts : series.values()) for (double[] p : pts) { minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]); }
        chart.getStyler().setXAxisLogarithmic(minX > 0 && maxX / minX >= 100);
        // a wall time or a count is never negative: the axis starts at 0 and clips the lower error bars there
        boolean nonNegative = series.values().stream().flatMap(List::stream).allMatch(p -> p[1] >= 0);
        if (nonNegative) chart.getStyler().setYAxisMin(0.0);
        Map<String, Color> colours = new LinkedHashMap<>();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            List<double[]> pts = e.getValue();
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] xs = new double[pts.size()], ys = new double[pts.size()], es = new double[pts.size()];
            for (int k = 0; k < pts.size(); k++) {
                Point p = point(pts.get(k)[1], pts.get(k)[2], scale);
                xs[k] = pts.get(k)[0];
                ys[k] = p.value();
                es[k] = p.error();
            }
            Color c = BarChart.palette(colours.size());
            XYSeries xy = chart.addSeries(e.getKey(), xs, ys, es);
            xy.setLineColor(c);
            xy.setMarkerColor(c);
            colours.put(e.getKey(), c);
        }
        return saveXChart(chart, dir, baseName, colours);
    }

    /** The summary a chart plots for {@code metric}: wall time or a registry metric (null when untouched). */
    static Summary stat(VariantResult v, String metric) {
        return WALL.equals(metric) ? v.wall() : v.metrics().get(metric);
    }

    static String label(String metric) { return WALL.equals(metric) ? "wall time" : metric; }

    private static String others(Map<String, Object> params, String xParam) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> { if (!k.equals(xParam)) sb.append(sb.isEmpty() ? " (" : ", ").append(k).append('=').append(v); });
        return sb.isEmpty() ? "" : sb.append(')').toString();
    }

    /** The unit that suits the largest mean: a time unit for wall time, an SI prefix for counts. */
    private record Scale(double divisor, String unit) {
        String axis(String metric) {
            return WALL.equals(metric) ? "wall time (" + unit + ")" : unit.isEmpty() ? metric : metric + " (" + unit + ")";
        }
    }

    private static Scale scale(String metric, double max) {
        BarChart.Unit u = WALL.equals(metric) ? BarChart.time(max) : BarChart.count(max);
        return new Scale(u.divisor(), u.suffix());
    }

    private static Point point(Summary s, Scale scale) {
        return s == null ? new Point(0, 0) : point(s.mean(), s.ciHalfWidth(), scale);
    }

    private static Point point(double mean, double half, Scale scale) {
        return new Point(mean / scale.divisor(), Double.isNaN(half) ? 0 : half / scale.divisor());
    }

    private static ChartFiles saveXChart(Chart<?, ?> chart, Path dir, String baseName, Map<String, Color> series) throws IOException {
        Files.createDirectories(dir);
        Path png = dir.resolve(baseName + ".png");
        Path svg = dir.resolve(baseName + ".svg");
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        ByteArrayOutputStream vector = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, vector, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        Files.write(svg, SvgLabels.annotate(vector.toByteArray(), chart.getTitle(), series));
        return new ChartFiles(png, svg);
    }
}
