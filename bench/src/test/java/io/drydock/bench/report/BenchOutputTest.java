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
        assertTrue(md.contains(r.table().lines().skip(2).findFirst().orElseThrow()), "the table is in the report");
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<img src=\"wall.svg\""));
        assertTrue(html.contains("<pre>bench 'dax vs read'"), "the table is in the HTML");
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
