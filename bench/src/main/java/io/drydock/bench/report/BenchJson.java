package io.drydock.bench.report;

import groovy.json.JsonOutput;
import groovy.json.JsonSlurper;
import io.drydock.bench.run.BenchResult;
import io.drydock.bench.run.BenchSettings;
import io.drydock.bench.run.Environment;
import io.drydock.bench.run.RunCount;
import io.drydock.bench.run.RunOrder;
import io.drydock.bench.run.RunRecord;
import io.drydock.bench.run.VariantResult;
import io.drydock.bench.stats.LatencySummary;
import io.drydock.bench.stats.Ratio;
import io.drydock.bench.stats.Stats;
import io.drydock.bench.stats.Summary;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of bench and sweep results, schema version {@value #SCHEMA_VERSION}, documented in
 * bench/README.md. Numbers that are not finite (an interval of one run) are written as null and read back
 * as NaN. Sweep parameter values read back as Long (integers), Double (decimals) or String.
 */
public final class BenchJson {
    private BenchJson() {}

    public static final int SCHEMA_VERSION = 1;

    public static String write(BenchResult r) { return JsonOutput.prettyPrint(JsonOutput.toJson(toMap(r, true))); }

    /** A sweep: its name, parameter names and one bench object (as {@link #write}) per point. */
    public static String writeSweep(String name, List<String> parameters, List<BenchResult> points) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("kind", "drydock-sweep");
        m.put("name", name);
        m.put("parameters", parameters);
        m.put("confidence", Stats.CONFIDENCE);
        m.put("points", points.stream().map(p -> toMap(p, false)).toList());
        return JsonOutput.prettyPrint(JsonOutput.toJson(m));
    }

    static Map<String, Object> toMap(BenchResult r, boolean top) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (top) {
            m.put("schemaVersion", SCHEMA_VERSION);
            m.put("kind", "drydock-bench");
        }
        m.put("name", r.name());
        Map<String, Object> params = new LinkedHashMap<>();
        r.params().forEach((k, v) -> params.put(k, v instanceof Number || v instanceof Boolean || v == null ? v : String.valueOf(v)));
        m.put("params", params);
        BenchSettings s = r.settings();
        Map<String, Object> runs = new LinkedHashMap<>();
        switch (s.runs()) {
            case RunCount.Fixed f -> { runs.put("kind", "fixed"); runs.put("runs", f.runs()); }
            case RunCount.Adaptive a -> {
                runs.put("kind", "adaptive");
                runs.put("minRuns", a.minRuns());
                runs.put("maxRuns", a.maxRuns());
                runs.put("targetCi", a.targetCi());
            }
        }
        m.put("settings", map("warmup", s.warmup(), "runs", runs, "order", s.order().name().toLowerCase(Locale.ROOT), "seed", s.seed()));
        Environment e = r.environment();
        m.put("environment", map("date", e.date().toString(), "host", e.host(), "cores", e.cores(),
                "maxHeapBytes", e.maxHeapBytes(), "javaVersion", e.javaVersion(), "javaVm", e.javaVm(), "os", e.os(),
                "gitCommit", e.gitCommit()));
        m.put("started", r.started().toString());
        m.put("elapsedNs", r.elapsedNs());
        if (top) m.put("confidence", Stats.CONFIDENCE);
        List<Object> variants = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("name", v.name());
            vm.put("baseline", v.baseline());
            vm.put("wallNs", summary(v.wall()));
            vm.put("wallRatio", ratio(v.wallRatio()));
            Map<String, Object> metrics = new LinkedHashMap<>();
            v.metrics().forEach((k, x) -> metrics.put(k, summary(x)));
            vm.put("metrics", metrics);
            Map<String, Object> ratios = new LinkedHashMap<>();
            v.metricRatios().forEach((k, x) -> ratios.put(k, ratio(x)));
            vm.put("metricRatios", ratios);
            LatencySummary l = v.latency();
            vm.put("latency", l == null ? null : map("count", l.count(), "minNs", l.minNs(), "meanNs", num(l.meanNs()),
                    "p50Ns", l.p50Ns(), "p90Ns", l.p90Ns(), "p99Ns", l.p99Ns(), "p999Ns", l.p999Ns(), "maxNs", l.maxNs()));
            vm.put("runs", v.runs().stream().map(run -> map("round", run.round(), "position", run.position(),
                    "wallNs", run.wallNs(), "metrics", new java.util.TreeMap<>(run.metrics()))).toList());
            variants.add(vm);
        }
        m.put("variants", variants);
        m.put("warnings", r.warnings());
        m.put("tables", r.tables().stream().map(t -> map("title", t.title(), "columns", t.header(), "rows", t.rows(),
                "note", t.note())).toList());
        if (top) m.put("outputDir", r.outputDir() == null ? null : r.outputDir().toString());
        return m;
    }

    /** Parses a bench result written by {@link #write}. Throws {@link IllegalArgumentException} for other JSON. */
    public static BenchResult read(String json) {
        Map<?, ?> m = (Map<?, ?>) new JsonSlurper().parseText(json);
        Object version = m.get("schemaVersion");
        if (!(version instanceof Number n) || n.intValue() != SCHEMA_VERSION || !"drydock-bench".equals(m.get("kind"))) {
            throw new IllegalArgumentException("not a drydock-bench result of schema version " + SCHEMA_VERSION
                    + " (kind " + m.get("kind") + ", schemaVersion " + version + ")");
        }
        return fromMap(m);
    }

    /** Parses the points of a sweep written by {@link #writeSweep}. */
    public static List<BenchResult> readSweep(String json) {
        Map<?, ?> m = (Map<?, ?>) new JsonSlurper().parseText(json);
        if (!"drydock-sweep".equals(m.get("kind"))) throw new IllegalArgumentException("not a drydock-sweep (kind " + m.get("kind") + ")");
        return ((List<?>) m.get("points")).stream().map(p -> fromMap((Map<?, ?>) p)).toList();
    }

    static BenchResult fromMap(Map<?, ?> m) {
        Map<?, ?> s = (Map<?, ?>) m.get("settings");
        Map<?, ?> runs = (Map<?, ?>) s.get("runs");
        RunCount count = "fixed".equals(runs.get("kind")) ? new RunCount.Fixed(i(runs.get("runs")))
                : new RunCount.Adaptive(i(runs.get("minRuns")), i(runs.get("maxRuns")), d(runs.get("targetCi")));
        BenchSettings settings = new BenchSettings(i(s.get("warmup")), count,
                RunOrder.valueOf(((String) s.get("order")).toUpperCase(Locale.ROOT)), l(s.get("seed")));
        Map<?, ?> e = (Map<?, ?>) m.get("environment");
        Environment env = new Environment(Instant.parse((String) e.get("date")), (String) e.get("host"), i(e.get("cores")),
                l(e.get("maxHeapBytes")), (String) e.get("javaVersion"), (String) e.get("javaVm"), (String) e.get("os"),
                (String) e.get("gitCommit"));
        Map<String, Object> params = new LinkedHashMap<>();
        ((Map<?, ?>) m.get("params")).forEach((k, v) -> params.put((String) k, scalar(v)));
        List<VariantResult> variants = new ArrayList<>();
        for (Object o : (List<?>) m.get("variants")) {
            Map<?, ?> vm = (Map<?, ?>) o;
            String name = (String) vm.get("name");
            List<RunRecord> records = new ArrayList<>();
            for (Object ro : (List<?>) vm.get("runs")) {
                Map<?, ?> rm = (Map<?, ?>) ro;
                Map<String, Long> metrics = new LinkedHashMap<>();
                ((Map<?, ?>) rm.get("metrics")).forEach((k, v) -> metrics.put((String) k, l(v)));
                records.add(new RunRecord(name, i(rm.get("round")), i(rm.get("position")), l(rm.get("wallNs")), metrics));
            }
            Map<String, Summary> metrics = new LinkedHashMap<>();
            ((Map<?, ?>) vm.get("metrics")).forEach((k, v) -> metrics.put((String) k, summary((Map<?, ?>) v)));
            Map<String, Ratio> ratios = new LinkedHashMap<>();
            ((Map<?, ?>) vm.get("metricRatios")).forEach((k, v) -> ratios.put((String) k, ratio((Map<?, ?>) v)));
            Map<?, ?> lm = (Map<?, ?>) vm.get("latency");
            LatencySummary latency = lm == null ? null : new LatencySummary(l(lm.get("count")), l(lm.get("minNs")),
                    d(lm.get("meanNs")), l(lm.get("p50Ns")), l(lm.get("p90Ns")), l(lm.get("p99Ns")), l(lm.get("p999Ns")),
                    l(lm.get("maxNs")));
            variants.add(new VariantResult(name, records, summary((Map<?, ?>) vm.get("wallNs")), metrics,
                    ratio((Map<?, ?>) vm.get("wallRatio")), ratios, latency));
        }
        List<String> warnings = ((List<?>) m.get("warnings")).stream().map(String.class::cast).toList();
        Object dir = m.get("outputDir");
        List<ReportTable> tables = new ArrayList<>();
        if (m.get("tables") instanceof List<?> ts) {  // absent in results written before the tables were added
            for (Object o : ts) {
                Map<?, ?> t = (Map<?, ?>) o;
                List<String> columns = ((List<?>) t.get("columns")).stream().map(String::valueOf).toList();
                List<List<Object>> rows = ((List<?>) t.get("rows")).stream()
                        .map(row -> ((List<?>) row).stream().map(v -> v instanceof Number ? scalar(v) : v).toList()).toList();
                tables.add(new ReportTable((String) t.get("title"), columns, rows, (String) t.get("note")));
            }
        }
        return new BenchResult((String) m.get("name"), params, settings, env, Instant.parse((String) m.get("started")),
                l(m.get("elapsedNs")), variants, warnings, dir == null ? null : Path.of((String) dir), tables);
    }

    private static Map<String, Object> summary(Summary s) {
        return map("n", s.n(), "mean", num(s.mean()), "ciLow", num(s.ciLow()), "ciHigh", num(s.ciHigh()),
                "stdev", num(s.stdev()), "cv", num(s.cv()), "median", num(s.median()), "min", num(s.min()), "max", num(s.max()));
    }

    private static Summary summary(Map<?, ?> m) {
        return new Summary(i(m.get("n")), d(m.get("mean")), d(m.get("ciLow")), d(m.get("ciHigh")), d(m.get("stdev")),
                d(m.get("cv")), d(m.get("median")), d(m.get("min")), d(m.get("max")));
    }

    private static Map<String, Object> ratio(Ratio r) {
        return r == null ? null : map("n", r.n(), "geomean", num(r.geomean()), "ciLow", num(r.ciLow()), "ciHigh", num(r.ciHigh()));
    }

    private static Ratio ratio(Map<?, ?> m) {
        return m == null ? null : new Ratio(i(m.get("n")), d(m.get("geomean")), d(m.get("ciLow")), d(m.get("ciHigh")));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) m.put((String) kv[k], kv[k + 1]);
        return m;
    }

    private static Double num(double v) { return Double.isFinite(v) ? v : null; }

    private static double d(Object o) { return o == null ? Double.NaN : ((Number) o).doubleValue(); }

    private static long l(Object o) { return ((Number) o).longValue(); }

    private static int i(Object o) { return ((Number) o).intValue(); }

    private static Object scalar(Object v) {
        return switch (v) {
            case BigDecimal b -> b.doubleValue();
            case Number n -> n.longValue();
            default -> v;
        };
    }
}
