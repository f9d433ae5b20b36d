package io.drydock.bench.run;

import io.drydock.bench.report.ReportTable;
import io.drydock.bench.report.Table;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one bench: its variants' runs and statistics, the warnings, how and where it ran, and
 * the directory its files were written to (null until written). Prints as the comparison table.
 *
 * @param params    the sweep point (empty outside a sweep)
 * @param elapsedNs wall time of the whole bench, warm-up and hooks included
 * @param tables    tables the script added to the report after the runs ({@code report(r, 'per MiB', rows)})
 */
public record BenchResult(String name, Map<String, Object> params, BenchSettings settings, Environment environment,
                          Instant started, long elapsedNs, List<VariantResult> variants, List<String> warnings,
                          Path outputDir, List<ReportTable> tables) {
    public BenchResult {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        variants = List.copyOf(variants);
        warnings = List.copyOf(warnings);
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    public BenchResult(String name, Map<String, Object> params, BenchSettings settings, Environment environment,
                       Instant started, long elapsedNs, List<VariantResult> variants, List<String> warnings, Path outputDir) {
        this(name, params, settings, environment, started, elapsedNs, variants, warnings, outputDir, List.of());
    }

    public VariantResult baseline() { return variants.getFirst(); }

    /** The variant named {@code name}; throws {@link IllegalArgumentException} listing the names. */
    public VariantResult variant(String name) {
        for (VariantResult v : variants) if (v.name().equals(name)) return v;
        throw new IllegalArgumentException("no variant '" + name + "' (have "
                + variants.stream().map(VariantResult::name).toList() + ")");
    }

    /** Groovy: {@code result['dax']}. */
    public VariantResult getAt(String name) { return variant(name); }

    public BenchResult withOutputDir(Path dir) {
        return new BenchResult(name, params, settings, environment, started, elapsedNs, variants, warnings, dir, tables);
    }

    /** This result with {@code t} added to its report tables. */
    public BenchResult withTable(ReportTable t) {
        List<ReportTable> all = new java.util.ArrayList<>(tables);
        all.add(t);
        return new BenchResult(name, params, settings, environment, started, elapsedNs, variants, warnings, outputDir, all);
    }

    /** The comparison table, as the terminal shows it. */
    public String table() { return Table.format(this); }

    @Override public String toString() { return table(); }
}
