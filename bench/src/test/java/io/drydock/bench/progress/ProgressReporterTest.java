package io.drydock.bench.progress;

import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Status;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class ProgressReporterTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void plainLinesEveryTenPercentOnAStream() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressReporter reporter = ProgressReporter.forStream(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
        assertFalse(reporter.usesStatusLine());
        try (Progress p = reporter.start("copy", 100)) {
            for (int i = 0; i < 100; i++) {
                now.addAndGet(10_000_000); // 10 ms a step: 1 s in all, never 2 s between lines
                p.step();
            }
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("copy: started (100 steps)", lines.getFirst());
        assertEquals(12, lines.size(), String.join("\n", lines)); // start, 10..100 %, done
        assertEquals("copy: 10/100 10% 100/s eta 0:01", lines.get(1));
        assertTrue(lines.get(10).startsWith("copy: 100/100 100%"), lines.get(10));
        assertEquals("copy: done 100/100 in 1.0 s", lines.getLast());
    }

    @Test
    void plainLinesEveryTwoSecondsWhenProgressIsSlow() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressReporter reporter = ProgressReporter.forStream(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
        try (Progress p = reporter.start("boot", 1000)) {
            p.message("machine 1");
            for (int i = 0; i < 10; i++) {
                now.addAndGet(900_000_000); // 0.9 s a step, 1 % a step
                p.step();
            }
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        // 9 s: lines at 2.7 s, 5.4 s, 8.1 s (each the first step at least 2 s after the last line); eta = left / rate
        assertEquals(List.of("boot: started (1000 steps)", "boot: 3/1000 0% 1.1/s eta 14:57 machine 1",
                "boot: 6/1000 0% 1.1/s eta 14:55 machine 1", "boot: 9/1000 0% 1.1/s eta 14:52 machine 1",
                "boot: done 10/1000 in 9.0 s"), lines);
    }

    @Test
    void dumbTerminalFallsBackToPlainLines() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Terminal dumb = TerminalBuilder.builder().system(false).dumb(true).type(Terminal.TYPE_DUMB)
                .streams(new ByteArrayInputStream(new byte[0]), bytes).build()) {
            ProgressReporter reporter = ProgressReporter.forTerminal(dumb, now::get);
            assertFalse(reporter.usesStatusLine());
            String result = reporter.run("bench", 4, p -> {
                for (int i = 0; i < 4; i++) { now.addAndGet(1_000_000); p.step(); }
                return "ran";
            });
            assertEquals("ran", result);
            dumb.flush();
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("bench: started (4 steps)"), out);
        assertTrue(out.contains("bench: 4/4 100%"), out);
        assertTrue(out.contains("bench: done 4/4 in 0.0 s"), out);
        assertFalse(out.contains("\u001b["), "no escape sequences on a dumb terminal: " + out);
    }

    @Test
    void statusLineBarOnAnAnsiTerminalIsRemovedWhenDone() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Terminal xterm = TerminalBuilder.builder().system(false).type("xterm-256color").size(new Size(100, 30))
                .streams(new ByteArrayInputStream(new byte[0]), bytes).build()) {
            ProgressReporter reporter = ProgressReporter.forTerminal(xterm, now::get);
            assertTrue(reporter.usesStatusLine());
            Status status = Status.getStatus(xterm, false);
            try (Progress p = reporter.start("runs", 10)) {
                now.addAndGet(ProgressReporter.REDRAW_INTERVAL_NS);
                p.message("run 1 dax");
                for (int i = 0; i < 5; i++) p.step();
                now.addAndGet(ProgressReporter.REDRAW_INTERVAL_NS);
                p.step(0);
                assertEquals(1, status.size(), "one status line while running");
                try (Progress inner = reporter.start("copy", 0)) {
                    assertEquals(2, status.size(), "nested operations get a line each");
                }
                assertEquals(1, status.size());
            }
            assertEquals(0, status.size(), "the status line is gone when done");
            xterm.flush();
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("runs ["), out);
        assertTrue(out.contains("5/10 50%"), out);
        assertTrue(out.contains("run 1 dax"), out);
        assertFalse(out.contains("runs: started"), "no plain lines on a status-line terminal");
    }

    @Test
    void barsFitTheWidthAndShowProgress() {
        ProgressReporter silent = ProgressReporter.silent();
        ProgressState p = (ProgressState) silent.start("copy", 200);
        p.set(50);
        String bar = ProgressReporter.bar(p, 60);
        assertTrue(bar.length() <= 60, bar);
        assertTrue(bar.startsWith("copy [") && bar.contains("50/200 25%"), bar);
        int inside = bar.indexOf(']') - bar.indexOf('[') - 1;
        long filled = bar.chars().filter(c -> c == '=').count();
        assertEquals(inside / 4, filled, bar);
        ProgressState unknown = (ProgressState) silent.start("scan", 0);
        unknown.step(7);
        assertTrue(ProgressReporter.bar(unknown, 60).contains("<=>"));
        assertEquals("0:05", ProgressState.clockTime(5));
        assertEquals("1:01:01", ProgressState.clockTime(3661));
    }

    @Test
    void stepsAfterCloseAreIgnoredAndCloseIsIdempotent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressReporter reporter = ProgressReporter.forStream(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
        Progress p = reporter.start("x", 2);
        p.step(2);
        p.close();
        p.close();
        p.step();
        assertEquals(2, p.done());
        assertEquals(1, bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("x: done")).count());
    }
}
