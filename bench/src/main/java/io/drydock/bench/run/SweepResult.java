package io.drydock.bench.run;

import io.drydock.bench.report.Format;
import io.drydock.bench.report.ReportTable;
import io.drydock.bench.stats.Ratio;
import io.drydock.bench.stats.Summary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep: one bench per point of the parameters' cartesian product, each with its point in
 * {@link BenchResult#params()}. Prints as one row per point and variant.
 *
 * @param parameters the swept parameter names in declaration order (the first is the line chart's x axis)
 * @param outputDir  where its files went, or null
 */
public record SweepResult(String name, List<String> parameters, List<BenchResult> points, Path outputDir) {
    public SweepResult {
        parameters = List.copyOf(parameters);
        points = List.copyOf(points);
    }

    public String table() {
        StringBuilder sb = new StringBuilder("sweep '").append(name).append("': ").append(points.size()).append(" points\n");
        sb.append(summary(parameters, points).columns());
        for (BenchResult p : points) for (String w : p.warnings()) sb.append("warning ").append(p.params()).append(": ").append(w).append('\n');
        if (outputDir != null) sb.append("files: ").append(outputDir).append('\n');
        return sb.toString();
    }

    /** One row per point and variant: the parameters, wall-time statistics and the ratio to the point's baseline. */
    public static ReportTable summary(List<String> parameters, List<BenchResult> points) {
        List<List<Object>> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(parameters);
        head.addAll(List.of("variant", "median", "mean", "± 95% CI", "cv", "ratio", "95% CI"));
        for (BenchResult p : points) {
            for (VariantResult v : p.variants()) {
                List<Object> row = new ArrayList<>();
                for (String param : parameters) row.add(String.valueOf(p.params().get(param)));
                Summary w = v.wall();
                Ratio r = v.wallRatio();
                row.addAll(List.of(v.name(), Format.nanos(w.median()), Format.nanos(w.mean()), Format.nanos(w.ciHalfWidth()),
                        Format.percent(w.cv()), r == null ? "baseline" : Format.ratio(r.geomean()),
                        r == null || !r.hasInterval() ? "" : "[" + Format.ratio(r.ciLow()) + ", " + Format.ratio(r.ciHigh()) + "]"));
                rows.add(row);
            }
        }
        return new ReportTable("wall time per point", head, rows, "");
    }

    @Override public String toString() { return table(); }
}
