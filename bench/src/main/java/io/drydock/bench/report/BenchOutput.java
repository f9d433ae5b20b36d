package io.drydock.bench.report;

import io.drydock.bench.run.BenchResult;
import io.drydock.bench.run.Environment;
import io.drydock.bench.run.SweepResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a bench's or a sweep's files into one directory: the JSON result, the charts (PNG and SVG) and a
 * report in Markdown and HTML that puts the table and the charts together.
 *
 * <pre>
 * &lt;dir&gt;/result.json        (a sweep: sweep.json)
 * &lt;dir&gt;/wall.png, wall.svg  one chart per chosen metric (a sweep: line charts sweep-&lt;metric&gt;.*)
 * &lt;dir&gt;/report.md, report.html
 * </pre>
 */
public final class BenchOutput {
    private BenchOutput() {}

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** A new directory {@code <root>/<slug>-<timestamp>} (with -2, -3 ... if taken); created. */
    public static Path newDirectory(Path root, String name) {
        String base = Format.slug(name) + "-" + LocalDateTime.now().format(STAMP);
        try {
            Files.createDirectories(root);
            for (int k = 1; ; k++) {
                Path dir = root.resolve(k == 1 ? base : base + "-" + k);
                try {
                    return Files.createDirectory(dir);
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    // try the next suffix
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create bench output directory under " + root, e);
        }
    }

    /**
     * Writes {@code r} into {@code dir} with a bar chart per metric in {@code chartMetrics}
     * ({@link Charts#WALL} for wall time). Returns the result with its output directory set.
     */
    public static BenchResult write(BenchResult r, Path dir, List<String> chartMetrics) throws IOException {
        return write(r, dir, chartMetrics, null);
    }

    /** As {@link #write(BenchResult, Path, List)}, colouring bars by {@code groupOf(variant name)} (null: by variant). */
    public static BenchResult write(BenchResult r, Path dir, List<String> chartMetrics,
                                    java.util.function.Function<String, String> groupOf) throws IOException {
        Files.createDirectories(dir);
        BenchResult withDir = r.withOutputDir(dir);
        Map<String, Charts.ChartFiles> charts = new LinkedHashMap<>();
        for (String metric : chartMetrics) {
            charts.put(metric, Charts.bar(withDir, metric, dir, Format.slug(metric), groupOf));
        }
        writeReport(withDir, charts);
        return withDir;
    }

    /**
     * (Re)writes the JSON and the Markdown/HTML report of a result already in its output directory, with the
     * charts already drawn there: after the script added a table ({@link BenchResult#withTable}).
     */
    public static void writeReport(BenchResult r, Map<String, Charts.ChartFiles> charts) throws IOException {
        Path dir = r.outputDir();
        Files.writeString(dir.resolve("result.json"), BenchJson.write(r));
        List<ReportTable> tables = new ArrayList<>(Table.tables(r));
        tables.addAll(r.tables());
        Report.write(dir, r.name(), List.of(new Report.Section("", Table.header(r), tables, r.warnings())), charts,
                r.environment(), "result.json");
    }

    /** The charts a result directory holds for {@code metrics}, as {@link #write} named them. */
    public static Map<String, Charts.ChartFiles> chartsIn(Path dir, List<String> metrics) {
        Map<String, Charts.ChartFiles> charts = new LinkedHashMap<>();
        for (String metric : metrics) {
            Charts.ChartFiles f = new Charts.ChartFiles(dir.resolve(Format.slug(metric) + ".png"), dir.resolve(Format.slug(metric) + ".svg"));
            if (Files.isRegularFile(f.svg())) charts.put(metric, f);
        }
        return charts;
    }

    /**
     * Writes a sweep: its JSON, per metric a bar chart grouped by point and (for a numeric first parameter)
     * a line chart against it, and the report: the sweep's summary table, then each point's tables.
     */
    public static void writeSweep(String name, List<String> parameters, List<BenchResult> points, Path dir,
                                  List<String> chartMetrics) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("sweep.json"), BenchJson.writeSweep(name, parameters, points));
        Map<String, Charts.ChartFiles> charts = new LinkedHashMap<>();
        boolean numeric = !points.isEmpty() && points.stream().allMatch(p -> p.params().get(parameters.getFirst()) instanceof Number);
        for (String metric : chartMetrics) {
            charts.put(metric, Charts.sweepBars(name, points, metric, dir, "sweep-" + Format.slug(metric)));
            if (numeric) {
                charts.put(metric + " by " + parameters.getFirst(), Charts.sweepLine(name, points, parameters.getFirst(), metric, dir,
                        "sweep-" + Format.slug(metric) + "-line"));
            }
        }
        List<Report.Section> sections = new ArrayList<>();
        sections.add(new Report.Section("", points.size() + " points", List.of(SweepResult.summary(parameters, points)), List.of()));
        for (BenchResult p : points) {
            List<ReportTable> tables = new ArrayList<>(Table.tables(p));
            tables.addAll(p.tables());
            sections.add(new Report.Section(p.params().toString(), Table.header(p), tables, p.warnings()));
        }
        Environment env = points.isEmpty() ? Environment.current() : points.getFirst().environment();
        Report.write(dir, name, sections, charts, env, "sweep.json");
    }
}
