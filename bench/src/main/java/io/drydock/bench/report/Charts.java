package io.drydock.bench.report;

import io.drydock.bench.run.BenchResult;
import io.drydock.bench.run.VariantResult;
import io.drydock.bench.stats.Summary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
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
 * Charts of bench results drawn with XChart, each written as PNG and SVG:
 * <ul>
 *   <li>{@link #bar}: one bar per variant of a metric's mean, with its 95 % interval as error bars;</li>
 *   <li>{@link #sweepLine}: for a sweep, the metric's mean against the first parameter, one line per
 *       variant (and per value of the other parameters), with interval error bars.</li>
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
        Scale scale = scale(metric, r.variants().stream().map(v -> stat(v, metric)).filter(Objects::nonNull).mapToDouble(Summary::mean).max().orElse(0));
        CategoryChart chart = new CategoryChartBuilder().width(800).height(500)
                .title(r.name() + ": " + label(metric) + " (mean, 95% CI)").xAxisTitle("").yAxisTitle(scale.axis(metric)).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setErrorBarsColor(java.awt.Color.DARK_GRAY);
        // One category, one series per variant: each variant is one bar, named in the legend.
        List<String> category = List.of(label(metric));
        Map<String, Color> colours = new LinkedHashMap<>();
        for (VariantResult v : r.variants()) {
            Point p = point(stat(v, metric), scale);
            Color c = SvgLabels.palette(colours.size());
            chart.addSeries(v.name(), category, List.of(p.value()), List.of(p.error())).setFillColor(c);
            colours.put(v.name(), c);
        }
        return save(chart, dir, baseName, colours);
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
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title + ": " + label(metric) + " by " + xParam)
                .xAxisTitle(xParam).yAxisTitle(scale.axis(metric)).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        double minX = Double.MAX_VALUE, maxX = 0;
        for (List<double[]> pts : series.values()) for (double[] p : pts) { minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]); }
        chart.getStyler().setXAxisLogarithmic(minX > 0 && maxX / minX >= 100);
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
            Color c = SvgLabels.palette(colours.size());
            XYSeries xy = chart.addSeries(e.getKey(), xs, ys, es);
            xy.setLineColor(c);
            xy.setMarkerColor(c);
            colours.put(e.getKey(), c);
        }
        return save(chart, dir, baseName, colours);
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

    /** Wall time is shown in the unit that suits the largest mean; other metrics as they are. */
    private record Scale(double divisor, String unit) {
        String axis(String metric) { return WALL.equals(metric) ? "wall time (" + unit + ")" : metric; }
    }

    private static Scale scale(String metric, double max) {
        if (!WALL.equals(metric)) return new Scale(1, "");
        if (max >= 1e9) return new Scale(1e9, "s");
        if (max >= 1e6) return new Scale(1e6, "ms");
        if (max >= 1e3) return new Scale(1e3, "us");
        return new Scale(1, "ns");
    }

    private static Point point(Summary s, Scale scale) {
        return s == null ? new Point(0, 0) : point(s.mean(), s.ciHalfWidth(), scale);
    }

    private static Point point(double mean, double half, Scale scale) {
        return new Point(mean / scale.divisor(), Double.isNaN(half) ? 0 : half / scale.divisor());
    }

    private static ChartFiles save(Chart<?, ?> chart, Path dir, String baseName, Map<String, Color> series) throws IOException {
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
