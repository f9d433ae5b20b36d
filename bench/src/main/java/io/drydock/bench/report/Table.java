package io.drydock.bench.report;

import io.drydock.bench.run.BenchResult;
import io.drydock.bench.run.RunCount;
import io.drydock.bench.run.VariantResult;
import io.drydock.bench.stats.LatencySummary;
import io.drydock.bench.stats.Ratio;
import io.drydock.bench.stats.Summary;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The terminal table of a {@link BenchResult}: wall time, ratios, metrics, latencies, warnings. */
public final class Table {
    private Table() {}

    public static String format(BenchResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(header(r)).append('\n');
        List<ReportTable> measured = tables(r);
        for (int i = 0; i < measured.size(); i++) sb.append(i == 0 ? "" : "\n").append(measured.get(i).columns());
        for (ReportTable t : r.tables()) sb.append('\n').append(t.text());
        for (String w : r.warnings()) sb.append("\nwarning: ").append(w);
        if (!r.warnings().isEmpty()) sb.append('\n');
        if (r.outputDir() != null) sb.append("\nfiles: ").append(r.outputDir()).append('\n');
        return sb.toString();
    }

    /** The measured tables: wall time with ratios; metrics (when any); latency percentiles (when recorded). */
    public static List<ReportTable> tables(BenchResult r) {
        List<ReportTable> out = new ArrayList<>();
        String base = r.baseline().name();
        List<List<Object>> rows = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            Summary w = v.wall();
            List<Object> row = new ArrayList<>(List.of(v.name(), String.valueOf(w.n()), Format.nanos(w.median()),
                    Format.nanos(w.mean()), Format.nanos(w.ciHalfWidth()), Format.nanos(w.min()), Format.nanos(w.max()),
                    Format.percent(w.cv())));
            row.addAll(ratioCells(v.wallRatio()));
            rows.add(row);
        }
        out.add(new ReportTable("wall time", List.of("variant", "runs", "median", "mean", "± 95% CI", "min", "max", "cv",
                "vs " + base, "95% CI"), rows, ""));
        Set<String> metrics = new LinkedHashSet<>();
        for (VariantResult v : r.variants()) metrics.addAll(v.metrics().keySet());
        if (!metrics.isEmpty()) out.add(r.variants().size() > 4 && r.variants().size() > metrics.size()
                ? metricsByVariant(r, metrics) : metricsByMetric(r, metrics));
        if (r.variants().stream().anyMatch(v -> v.latency() != null)) {
            List<List<Object>> l = new ArrayList<>();
            for (VariantResult v : r.variants()) {
                LatencySummary s = v.latency();
                if (s == null) continue;
                l.add(List.of(v.name(), Format.number(s.count()), Format.nanos(s.minNs()), Format.nanos(s.p50Ns()),
                        Format.nanos(s.p90Ns()), Format.nanos(s.p99Ns()), Format.nanos(s.p999Ns()), Format.nanos(s.maxNs())));
            }
            out.add(new ReportTable("latency", List.of("latency", "count", "min", "p50", "p90", "p99", "p99.9", "max"), l, ""));
        }
        return out;
    }

    /** A row per metric, a column per variant, then a ratio column per other variant (few variants). */
    private static ReportTable metricsByMetric(BenchResult r, Set<String> metrics) {
        String base = r.baseline().name();
        List<List<Object>> m = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("metric (median per run)"));
        for (VariantResult v : r.variants()) head.add(v.name());
        for (VariantResult v : r.variants().subList(1, r.variants().size())) head.add(v.name() + "/" + base);
        for (String metric : metrics) {
            List<Object> row = new ArrayList<>(List.of(metric));
            for (VariantResult v : r.variants()) {
                Summary s = v.metrics().get(metric);
                row.add(s == null ? "0" : Format.number(s.median()));
            }
            for (VariantResult v : r.variants().subList(1, r.variants().size())) {
                Ratio ratio = v.metricRatios().get(metric);
                row.add(ratio == null ? "-" : Format.ratio(ratio.geomean()));
            }
            m.add(row);
        }
        return new ReportTable("metrics", head, m, "");
    }

    /**
     * A row per variant, per metric its median and ratio to the baseline: with many variants a column per
     * variant would not fit a terminal or a page.
     */
    private static ReportTable metricsByVariant(BenchResult r, Set<String> metrics) {
        String base = r.baseline().name();
        List<String> head = new ArrayList<>(List.of("variant (median per run)"));
        for (String metric : metrics) {
            head.add(metric);
            head.add("vs " + base);
        }
        List<List<Object>> m = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            List<Object> row = new ArrayList<>(List.of(v.name()));
            for (String metric : metrics) {
                Summary s = v.metrics().get(metric);
                row.add(s == null ? "0" : Format.number(s.median()));
                Ratio ratio = v.metricRatios().get(metric);
                row.add(v.baseline() ? "baseline" : ratio == null ? "-" : Format.ratio(ratio.geomean()));
            }
            m.add(row);
        }
        return new ReportTable("metrics", head, m, "");
    }

    static String header(BenchResult r) {
        int runs = r.baseline().wall().n();
        String count = switch (r.settings().runs()) {
            case RunCount.Fixed f -> runs + " runs";
            case RunCount.Adaptive a -> String.format(Locale.ROOT, "%d runs (adaptive: %d..%d, target ±%.1f%%)",
                    runs, a.minRuns(), a.maxRuns(), a.targetCi() * 100);
        };
        String params = r.params().isEmpty() ? "" : " " + r.params();
        return String.format(Locale.ROOT, "bench '%s'%s: %s + %d warm-up, %d variants interleaved (%s)",
                r.name(), params, count, r.settings().warmup(), r.variants().size(),
                r.settings().order().name().toLowerCase(Locale.ROOT));
    }

    private static List<String> ratioCells(Ratio r) {
        if (r == null) return List.of("baseline", "");
        String ci = r.hasInterval() ? "[" + Format.ratio(r.ciLow()) + ", " + Format.ratio(r.ciHigh()) + "]" : "-";
        String verdict = !r.hasInterval() || r.straddlesOne() ? ""
                : r.geomean() < 1 ? String.format(Locale.ROOT, " (%.2fx faster)", 1 / r.geomean())
                : String.format(Locale.ROOT, " (%.2fx slower)", r.geomean());
        return List.of(Format.ratio(r.geomean()), ci + verdict);
    }
}
