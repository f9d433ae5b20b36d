package io.drydock.bench;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import io.drydock.bench.progress.ProgressReporter;
import io.drydock.bench.report.BenchJson;
import io.drydock.bench.run.BenchException;
import io.drydock.bench.run.BenchResult;
import io.drydock.bench.run.SweepResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The DSL end to end: Groovy scripts through a GroovyShell with the session's bindings. */
class BenchDslTest {
    @TempDir Path root;
    private final StringWriter out = new StringWriter();
    private GroovyShell shell;

    @BeforeEach
    void shell() {
        BenchSession session = new BenchSession(ProgressReporter.forWriter(new PrintWriter(out, true)),
                new PrintWriter(out, true), root);
        Binding binding = new Binding();
        session.bindings().forEach(binding::setVariable);
        shell = new GroovyShell(binding);
    }

    /** The script a user would write, under 20 lines, against a fake machine that counts instructions and requests. */
    private static final String TWO_MACHINES = """
            import io.drydock.kernel.machine.MachineSpec
            import io.drydock.bench.FakeBoard
            def boot = { long work, long requests -> new MachineSpec().memory(16.MiB).add(new FakeBoard(work, requests)).build() }
            bench('dax vs read') {
                warmup 1
                runs 4
                charts 'wall', 'fake.requests'
                variant('read') {
                    boot(200_000, 400).withCloseable { m -> metricsFrom m; measure { assert m.run(10.s).exitCode == 0 } }
                }
                variant('dax') {
                    boot(100_000, 4).withCloseable { m -> metricsFrom m; measure { assert m.run(10.s).exitCode == 0 }; latency 1500 }
                }
            }
            """;

    @Test
    void twoMachineVariantsGiveTableJsonAndCharts() throws Exception {
        assertTrue(TWO_MACHINES.lines().count() < 20);
        BenchResult r = (BenchResult) shell.evaluate(TWO_MACHINES);
        String printed = out.toString();
        assertTrue(printed.contains("bench 'dax vs read': 4 runs + 1 warm-up, 2 variants interleaved"), printed);
        assertTrue(printed.contains("dax vs read: started (10 steps)"), "progress lines: " + printed);
        // Metrics come from the machine each run booted and handed over with metricsFrom.
        assertEquals(200_000, r.variant("read").metrics().get("machine.instructions").median());
        assertEquals(100_000, r.variant("dax").metrics().get("machine.instructions").median());
        assertEquals(0.5, r.variant("dax").metricRatios().get("machine.instructions").geomean(), 1e-12);
        assertEquals(400, r.variant("read").metrics().get("fake.requests").median());
        assertEquals(0.01, r.variant("dax").metricRatios().get("fake.requests").geomean(), 1e-12);
        assertEquals(4, r.variant("dax").latency().count());
        assertNotNull(r.variant("dax").wallRatio());

        Path dir = r.outputDir();
        assertEquals(root, dir.getParent());
        assertEquals(r, BenchJson.read(Files.readString(dir.resolve("result.json"))));
        for (String f : List.of("wall.png", "wall.svg", "fake-requests.png", "fake-requests.svg", "report.md", "report.html")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertTrue(printed.contains("files: " + dir), printed);
    }

    @Test
    void machineFromSetupIsTheMetricSourceAndIsClosedAfterTheBench() {
        Object closed = shell.evaluate("""
                import io.drydock.kernel.machine.MachineSpec
                def m = new MachineSpec().memory(16.MiB).add(new io.drydock.bench.FakeBoard(1000, 1)).build()
                def r = bench('closing', outputDir: false, runs: 2, warmup: 0) {
                    variant('only', setup: { m }) { machine -> measure { machine.metrics().counter('fake.requests', '').add(3) } }
                }
                assert r['only'].metrics['fake.requests'].median() == 3
                try { m.start(); false } catch (io.drydock.kernel.machine.MachineException e) { e.message.contains('closed') }
                """);
        assertEquals(true, closed);
    }

    @Test
    void registryCountersBumpedByTheBodyAndMetricsFrom() {
        BenchResult r = (BenchResult) shell.evaluate("""
                def registry = new io.drydock.kernel.metrics.MetricsRegistry()
                def notify = registry.counter('virtq.notifications', 'n')
                bench('counters') {
                    outputDir false
                    runs 3; warmup 0; order 'random'; seed 3
                    variant('batched') { metricsFrom registry; notify.add(5); measure { notify.add(10) } }
                    variant('eager') { metricsFrom registry; measure { notify.add(40) } }
                    variant('by round') { metricsFrom registry; measure { notify.add(param('none', round())) } }
                }
                """.replace("param('none', round())", "round() + 1"));
        assertEquals(10, r.variant("batched").metrics().get("virtq.notifications").median());
        assertEquals(4.0, r.variant("eager").metricRatios().get("virtq.notifications").geomean(), 1e-12);
        assertEquals(2, r.variant("by round").metrics().get("virtq.notifications").median());
        assertNull(r.outputDir());
    }

    @Test
    void adaptiveAndBadOptions() {
        BenchResult r = (BenchResult) shell.evaluate("""
                bench('adaptive') { outputDir false; adaptive maxRuns: 4, minRuns: 3, targetCi: 0.5; variant('a') { } }
                """);
        assertTrue(r.baseline().wall().n() >= 3 && r.baseline().wall().n() <= 4);
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> shell.evaluate("bench('bad') { variant('a', setpu: {}) { } }"));
        assertTrue(e.getMessage().contains("unknown options [setpu]"), e.getMessage());
        BenchException failed = assertThrows(BenchException.class,
                () -> shell.evaluate("bench('fails') { outputDir false; variant('a') { throw new IOException('no disk') } }"));
        assertTrue(failed.getMessage().contains("variant 'a', warm-up 1"), failed.getMessage());
    }

    @Test
    void sweepOverSizesGivesAPointPerValueAndALineChart() throws Exception {
        SweepResult s = (SweepResult) shell.evaluate("""
                sweep(blockSize: [4.KiB, 64.KiB, 1.MiB]) { blockSize ->
                    bench('copy') {
                        runs 2; warmup 0
                        variant('small buffer') { byte[] b = new byte[4096]; for (long n = 0; n < blockSize; n += b.length) b[0]++ }
                        variant('one buffer') { assert param('blockSize') == blockSize; new byte[(int) blockSize][0] }
                    }
                }
                """);
        assertEquals(List.of("blockSize"), s.parameters());
        assertEquals(List.of(4096L, 65536L, 1048576L), s.points().stream().map(p -> p.params().get("blockSize")).toList());
        Path dir = s.outputDir();
        assertEquals(s.points(), BenchJson.readSweep(Files.readString(dir.resolve("sweep.json"))));
        assertTrue(Files.size(dir.resolve("sweep-wall.svg")) > 1000);
        assertTrue(Files.size(dir.resolve("sweep-wall.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("report.md")).contains("![wall time](sweep-wall.svg)"));
        assertTrue(out.toString().contains("sweep 'copy sweep': 3 points"), out.toString());
        try (Stream<Path> files = Files.list(root)) {
            assertEquals(1, files.count(), "the benches of a sweep write no directories of their own");
        }
    }

    @Test
    void sweepProductOfTwoParameters() {
        Object points = shell.evaluate("""
                def seen = []
                def s = sweep(size: [1, 2], mode: ['a', 'b', 'c']) { size, mode ->
                    seen << "$size$mode".toString()
                    bench('p') { runs 2; warmup 0; variant('x') { assert params() == [size: size, mode: mode] } }
                }
                assert s.points().size() == 6
                seen
                """);
        assertEquals(List.of("1a", "1b", "1c", "2a", "2b", "2c"), points);
    }

    @Test
    void theExampleCompiles() throws Exception {
        // It needs a CPU board to run; until one exists, check that it is valid Groovy and short.
        Path example = Path.of("../examples/bench-two-variants.groovy");
        assertTrue(Files.readAllLines(example).size() < 20);
        assertNotNull(shell.parse(example.toFile()));
    }

    @Test
    void progressWord() {
        Object r = shell.evaluate("progress('booting', 3) { p -> 3.times { p.step() }; 'booted' }");
        assertEquals("booted", r);
        assertTrue(out.toString().contains("booting: done 3/3"), out.toString());
    }
}
