package io.drydock.bench.report;

import io.drydock.bench.run.BenchResult;
import io.drydock.bench.run.Environment;

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
        Files.createDirectories(dir);
        BenchResult withDir = r.withOutputDir(dir);
        Files.writeString(dir.resolve("result.json"), BenchJson.write(withDir));
        Map<String, Charts.ChartFiles> charts = new LinkedHashMap<>();
        for (String metric : chartMetrics) {
            charts.put(metric, Charts.bar(withDir, metric, dir, Format.slug(metric)));
        }
        Report.write(dir, r.name(), List.of(Table.format(r)), charts, r.environment());
        return withDir;
    }

    /** Writes a sweep: its JSON, a line chart per metric against {@code xParam}, and the report. */
    public static void writeSweep(String name, List<String> parameters, List<BenchResult> points, Path dir,
                                  List<String> chartMetrics) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("sweep.json"), BenchJson.writeSweep(name, parameters, points));
        Map<String, Charts.ChartFiles> charts = new LinkedHashMap<>();
        boolean numeric = !points.isEmpty() && points.stream().allMatch(p -> p.params().get(parameters.getFirst()) instanceof Number);
        if (numeric) {
            for (String metric : chartMetrics) {
                charts.put(metric, Charts.sweepLine(name, points, parameters.getFirst(), metric, dir, "sweep-" + Format.slug(metric)));
            }
        }
        List<String> tables = new ArrayList<>();
        for (BenchResult p : points) tables.add(Table.format(p));
        Environment env = points.isEmpty() ? Environment.current() : points.getFirst().environment();
        Report.write(dir, name, tables, charts, env);
    }
}
