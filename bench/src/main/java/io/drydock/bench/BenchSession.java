package io.drydock.bench;

import groovy.lang.Closure;
import io.drydock.bench.progress.Progress;
import io.drydock.bench.progress.ProgressReporter;
import io.drydock.bench.report.BenchOutput;
import io.drydock.bench.report.Charts;
import io.drydock.bench.report.ReportTable;
import io.drydock.bench.run.BenchException;
import io.drydock.bench.run.BenchResult;
import io.drydock.bench.run.BenchRunner;
import io.drydock.bench.run.SweepResult;
import org.codehaus.groovy.runtime.MethodClosure;
import org.jline.terminal.Terminal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The bench words of one Groovy session — {@code bench}, {@code sweep}, {@code progress} — with the
 * session's output, progress reporter and output root. {@link #bindings()} gives them as callables for a
 * Groovy {@code Binding}. Used on the session's evaluation thread.
 *
 * <pre>{@code
 * def r = bench('two') { runs 5; variant('a') { ... }; variant('b') { ... } }   // prints the table, writes files
 * sweep(blockSize: [4.KiB, 64.KiB]) { blockSize -> bench("read") { variant('x') { ... } } }
 * progress('booting', 8) { p -> 8.times { boot(); p.step() } }
 * }</pre>
 */
public final class BenchSession {
    /** Default root of bench output directories, relative to the working directory (system property drydock.bench.dir). */
    public static final String DEFAULT_ROOT = "build/bench";

    private final ProgressReporter progress;
    private final PrintWriter out;
    private Path outputRoot;
    private boolean printTables = true;
    private SweepPoint currentPoint;
    /** The chart metrics of each bench this session wrote, by output directory: {@link #report} keeps them. */
    private final Map<Path, List<String>> chartsOf = new LinkedHashMap<>();

    /** The point a sweep is running: its parameters and the benches run inside it. */
    private record SweepPoint(Map<String, Object> params, List<BenchResult> results) {}

    public BenchSession(ProgressReporter progress, PrintWriter out, Path outputRoot) {
        this.progress = Objects.requireNonNull(progress, "progress");
        this.out = Objects.requireNonNull(out, "out");
        this.outputRoot = Objects.requireNonNull(outputRoot, "outputRoot");
    }

    /** Bars in the terminal's status line (plain lines on a dumb terminal); tables on its writer. */
    public static BenchSession forTerminal(Terminal terminal) {
        return new BenchSession(ProgressReporter.forTerminal(terminal), terminal.writer(), defaultRoot());
    }

    /** Plain progress lines and tables on {@code out} (scripts, pipes, tests). */
    public static BenchSession forStream(PrintStream out) {
        return new BenchSession(ProgressReporter.forStream(out), new PrintWriter(out, true), defaultRoot());
    }

    static Path defaultRoot() { return Path.of(System.getProperty("drydock.bench.dir", DEFAULT_ROOT)); }

    public Path outputRoot() { return outputRoot; }

    public void outputRoot(Path root) { this.outputRoot = Objects.requireNonNull(root); }

    /** Whether {@code bench} and {@code sweep} print their table when done (default true; a REPL that prints values may turn it off). */
    public void printTables(boolean on) { this.printTables = on; }

    public ProgressReporter progressReporter() { return progress; }

    /** {@code bench}, {@code sweep} and {@code progress} as callables, for a Groovy Binding. */
    public Map<String, Object> bindings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bench", new MethodClosure(this, "bench"));
        m.put("sweep", new MethodClosure(this, "sweep"));
        m.put("progress", new MethodClosure(this, "progress"));
        m.put("report", new MethodClosure(this, "report"));
        return m;
    }

    /** Help lines for the bindings. */
    public static Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bench", "bench('name') { warmup 2; runs 10; variant('a') { measure { ... } }; variant('b') { ... } } — interleaved runs, table, JSON, charts");
        m.put("sweep", "sweep(blockSize: [4.KiB, 1.MiB]) { blockSize -> bench(...) { ... } } — a bench per point, line chart");
        m.put("progress", "progress('label', total) { p -> ... p.step() ... } — a progress bar for long work");
        m.put("report", "r = report(r, 'per MiB', rows, note: '...') — adds a table (rows: maps, or lists with columns: [...]) to r's report and JSON");
        return m;
    }

    // ---- bench ----

    public BenchResult bench(String name, Closure<?> body) { return bench(Map.of(), name, body); }

    /** Named options are the builder's words: {@code bench('x', runs: 5, warmup: 0) { ... }}. */
    public BenchResult bench(Map<String, Object> options, String name, Closure<?> body) {
        BenchBuilder b = new BenchBuilder(name, currentPoint == null ? Map.of() : currentPoint.params());
        options.forEach((k, v) -> org.codehaus.groovy.runtime.InvokerHelper.invokeMethod(b, k, v));
        Closures.configure(body, b);
        BenchResult r = new BenchRunner(progress).run(b.spec());
        if (currentPoint != null) {
            currentPoint.results().add(r);
            return r;
        }
        if (b.write()) {
            Path dir = b.outputDir() != null ? b.outputDir() : BenchOutput.newDirectory(outputRoot, name);
            try {
                r = BenchOutput.write(r, dir, b.chartMetrics(), b.groupOf());
                chartsOf.put(r.outputDir(), b.chartMetrics());
            } catch (IOException e) {
                throw new UncheckedIOException("bench '" + name + "': cannot write its files to " + dir, e);
            }
        }
        if (printTables) {
            out.print(r.table());
            out.flush();
        }
        return r;
    }

    // ---- sweep ----

    public SweepResult sweep(Map<String, Object> parameters, Closure<?> body) { return sweep(parameters, null, body); }

    /**
     * Runs {@code body} once per point of the cartesian product of {@code parameters} (first parameter
     * outermost). The body gets the point's values as arguments (one per parameter, in order) or, when it
     * takes one argument and there are several parameters, as a map; they are also properties inside it.
     * Every bench run inside is recorded with the point; the sweep writes one JSON, a line chart per chart
     * metric (x = first parameter) and a report.
     */
    public SweepResult sweep(Map<String, Object> parameters, String name, Closure<?> body) {
        if (currentPoint != null) throw new IllegalStateException("sweeps do not nest: put all parameters in one sweep(...)");
        if (parameters.isEmpty()) throw new IllegalArgumentException("sweep: give at least one parameter, e.g. sweep(blockSize: [4.KiB, 64.KiB])");
        List<String> names = new ArrayList<>(parameters.keySet());
        List<Map<String, Object>> points = Sweeps.product(parameters);
        List<BenchResult> results = new ArrayList<>();
        String sweepName = name;
        try (Progress p = progress.start("sweep " + (name == null ? names : name), points.size())) {
            for (Map<String, Object> point : points) {
                p.message(point.toString());
                currentPoint = new SweepPoint(point, new ArrayList<>());
                try {
                    Closure<?> c = (Closure<?>) body.clone();
                    c.setResolveStrategy(Closure.OWNER_FIRST);
                    c.setDelegate(point);
                    int arity = c.getMaximumNumberOfParameters();
                    if (arity >= names.size() && names.size() > 1) c.call(point.values().toArray());
                    else if (arity == 1 && names.size() > 1) c.call(point);
                    else if (arity == 1) c.call(point.values().iterator().next());
                    else c.call();
                } finally {
                    results.addAll(currentPoint.results());
                    currentPoint = null;
                }
                p.step();
            }
        }
        if (results.isEmpty()) throw new BenchException("sweep " + names + ": its body ran no bench");
        if (sweepName == null) sweepName = results.getFirst().name() + " sweep";
        Path dir = BenchOutput.newDirectory(outputRoot, sweepName);
        try {
            BenchOutput.writeSweep(sweepName, names, results, dir, List.of(Charts.WALL));
        } catch (IOException e) {
            throw new UncheckedIOException("sweep '" + sweepName + "': cannot write its files to " + dir, e);
        }
        SweepResult s = new SweepResult(sweepName, names, results, dir);
        if (printTables) {
            out.print(s.table());
            out.flush();
        }
        return s;
    }

    // ---- report ----

    public BenchResult report(BenchResult r, String title, List<?> rows) { return report(Map.of(), r, title, rows); }

    /**
     * Adds a table the script computed from {@code r} (a per-MiB table, a derived ratio) to its report: it is
     * printed like the bench's own tables and, when {@code r} was written, goes into its result.json,
     * report.md and report.html. Options: {@code note} (a line under the table), {@code columns} (names,
     * when rows are lists). Returns the result with the table.
     */
    public BenchResult report(Map<String, Object> options, BenchResult r, String title, List<?> rows) {
        Set<String> unknown = new java.util.LinkedHashSet<>(options.keySet());
        unknown.removeAll(Set.of("note", "columns"));
        if (!unknown.isEmpty()) throw new IllegalArgumentException("report: unknown options " + unknown + " (note, columns)");
        Object columns = options.get("columns");
        ReportTable t = ReportTable.of(title, columns == null ? null : values(columns),
                rows, options.get("note") == null ? "" : String.valueOf(options.get("note")));
        BenchResult with = r.withTable(t);
        if (r.outputDir() != null) {
            try {
                BenchOutput.writeReport(with, BenchOutput.chartsIn(r.outputDir(), chartsOf.getOrDefault(r.outputDir(), List.of(Charts.WALL))));
            } catch (IOException e) {
                throw new UncheckedIOException("report: cannot write to " + r.outputDir(), e);
            }
        }
        if (printTables) {
            out.print("\n" + t.text());
            if (r.outputDir() != null) out.println("(added to " + r.outputDir().resolve("report.html") + " and result.json)");
            out.flush();
        }
        return with;
    }

    // ---- progress ----

    public Object progress(String label, long total, Closure<?> body) throws Exception {
        return progress.run(label, total, p -> body.call(p));
    }

    /** A progress of unknown total: shows steps and rate. */
    public Object progress(String label, Closure<?> body) throws Exception { return progress(label, 0, body); }

    /** Values of a sweep parameter: a collection, or one value. */
    static List<Object> values(Object v) {
        return v instanceof Collection<?> c ? new ArrayList<>(c) : List.of(v);
    }
}
