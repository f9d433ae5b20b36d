package io.drydock.bench.report;

import io.drydock.bench.run.BenchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class BenchOutputTest {
    @TempDir Path root;

    @Test
    void writesJsonChartsAndReportsTogether() throws Exception {
        BenchResult r = Fixtures.threeVariants("dax vs read", Map.of(), 1000);
        Path dir = BenchOutput.newDirectory(root, r.name());
        assertTrue(dir.getFileName().toString().matches("dax-vs-read-\\d{8}-\\d{6}"), dir.toString());
        BenchResult written = BenchOutput.write(r, dir, List.of(Charts.WALL, "mmio.exits"));
        assertEquals(dir, written.outputDir());
        assertEquals(written, BenchJson.read(Files.readString(dir.resolve("result.json"))));
        for (String f : List.of("wall.png", "wall.svg", "mmio-exits.png", "mmio-exits.svg")) {
            assertTrue(Files.size(dir.resolve(f)) > 1000, f);
        }
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.startsWith("# dax vs read\n"));
        assertTrue(md.contains("![wall time](wall.svg)"));
        assertTrue(md.contains("![mmio.exits](mmio-exits.svg)"));
        assertTrue(md.contains("| variant | runs | median |"), "the wall-time table is a Markdown table:\n" + md);
        assertTrue(md.contains("| mmio.exits | 40 | 10 | 1 |"), "the metrics table is in the Markdown report:\n" + md);
        assertTrue(md.contains("| host |"), "the environment is in the Markdown report");
        String html = Files.readString(dir.resolve("report.html"));
        assertFalse(html.contains("<pre>"), "tables are tables, not preformatted text");
        assertTrue(html.contains("<caption>wall time</caption>") && html.contains("<caption>metrics</caption>")
                && html.contains("<caption>latency</caption>"), "every table the terminal shows is a <table>");
        assertTrue(html.contains("<th scope=\"row\">dax</th>"));
        assertTrue(html.contains("<img src=\"data:image/svg+xml;base64,"), "the charts are inline");
        assertTrue(html.contains("<caption>environment</caption>"));
    }

    @Test
    void aTableTheScriptAddsGoesIntoTheJsonAndBothReports() throws Exception {
        BenchResult r = Fixtures.threeVariants("per mib", Map.of(), 1000);
        Path dir = BenchOutput.newDirectory(root, r.name());
        BenchResult written = BenchOutput.write(r, dir, List.of(Charts.WALL));
        BenchResult with = written.withTable(ReportTable.of("per MiB", null,
                List.of(row("dax", 812.25), row("fuse", 95)), "means over 6 runs"));
        BenchOutput.writeReport(with, BenchOutput.chartsIn(dir, List.of(Charts.WALL)));
        BenchResult read = BenchJson.read(Files.readString(dir.resolve("result.json")));
        assertEquals(1, read.tables().size());
        assertEquals("per MiB", read.tables().getFirst().title());
        assertEquals(812.25, ((Number) read.tables().getFirst().rows().getFirst().get(1)).doubleValue());
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<caption>per MiB</caption>"), html);
        assertTrue(html.contains("<td class=\"num\">812</td>"), "numbers formatted as the report formats them");
        assertTrue(html.contains("means over 6 runs"));
        assertTrue(Files.readString(dir.resolve("report.md")).contains("**per MiB**"));
        assertTrue(with.table().contains("per MiB:\nmode"), "the terminal table lists it too:\n" + with.table());
    }

    private static Map<String, Object> row(String mode, Number mbps) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();  // column order = key order, as a Groovy map literal
        m.put("mode", mode);
        m.put("MBps", mbps);
        return m;
    }

    @Test
    void secondDirectoryInTheSameSecondGetsASuffix() {
        Path a = BenchOutput.newDirectory(root, "same");
        Path b = BenchOutput.newDirectory(root, "same");
        assertNotEquals(a, b);
        assertTrue(Files.isDirectory(a) && Files.isDirectory(b));
    }

    @Test
    void tableShowsRatiosMetricsLatenciesAndVerdicts() {
        String t = Fixtures.threeVariants("table", Map.of(), 1000).table();
        assertTrue(t.startsWith("bench 'table': 6 runs + 1 warm-up, 3 variants interleaved (alternate)"), t);
        assertTrue(t.contains("vs read"), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("read ") && l.contains("baseline")), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("dax ") && l.contains("x faster")), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("mmio.exits") && l.contains("40") && l.contains("0.025")), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("latency")), t);
    }

    @Test
    void formats() {
        assertEquals("812 ns", Format.nanos(812));
        assertEquals("12.3 us", Format.nanos(12_345));
        assertEquals("4.57 ms", Format.nanos(4_567_000));
        assertEquals("1.235 s", Format.nanos(1_234_567_000));
        assertEquals("1,234,567", Format.number(1_234_567));
        assertEquals("dax-vs-read", Format.slug("DAX vs. read!"));
    }
}
