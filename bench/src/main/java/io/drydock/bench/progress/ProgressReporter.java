package io.drydock.bench.progress;

import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Shows the progress of long operations (bench runs, copies, booting many machines).
 *
 * <ul>
 *   <li>{@link #forTerminal}: a bar per running operation in JLine's status line at the bottom of an
 *       interactive terminal, taken away when the operation ends; a terminal without a status line
 *       (a dumb terminal) gets plain lines instead.</li>
 *   <li>{@link #forStream}/{@link #forWriter}: plain lines when output is not a terminal: a start line,
 *       one each time another 10 % is done or 2 s have passed since the last line, and a final line.</li>
 *   <li>{@link #silent()}: nothing.</li>
 * </ul>
 *
 * <pre>{@code
 * try (Progress p = reporter.start("copy", bytes)) { ... p.step(n) ... }
 * reporter.run("booting", 8, p -> { for (...) { boot(); p.step(); } return null; });
 * }</pre>
 * Thread-safe; operations may nest (a sweep around benches) and then show one bar each.
 */
public final class ProgressReporter {
    /** Plain lines: at least this long between two lines about the same operation, unless 10 % passed. */
    public static final long LINE_INTERVAL_NS = 2_000_000_000L;
    /** Status line: redraw at most this often, so a fast loop does not spend its time drawing. */
    static final long REDRAW_INTERVAL_NS = 100_000_000L;

    private sealed interface Sink permits StatusSink, LineSink, NoSink {}
    private record StatusSink(Terminal terminal, Status status) implements Sink {}
    private record LineSink(PrintWriter out) implements Sink {}
    private record NoSink() implements Sink {}

    /** The body of {@link #run}: does the work, stepping {@code progress}. */
    @FunctionalInterface
    public interface Work<T> { T run(Progress progress) throws Exception; }

    private final Sink sink;
    private final LongSupplier clock;
    private final List<ProgressState> active = new ArrayList<>();
    private final Map<ProgressState, long[]> lastDrawn = new HashMap<>(); // {time ns, percent}
    private long lastRedraw = Long.MIN_VALUE;

    private ProgressReporter(Sink sink, LongSupplier clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** A status-line bar when {@code terminal} supports one, else plain lines on its writer. */
    public static ProgressReporter forTerminal(Terminal terminal) { return forTerminal(terminal, System::nanoTime); }

    public static ProgressReporter forTerminal(Terminal terminal, LongSupplier clock) {
        boolean dumb = terminal.getType() == null || terminal.getType().startsWith(Terminal.TYPE_DUMB);
        Status status = dumb ? null : Status.getStatus(terminal);
        if (status == null) return new ProgressReporter(new LineSink(terminal.writer()), clock);
        return new ProgressReporter(new StatusSink(terminal, status), clock);
    }

    public static ProgressReporter forStream(PrintStream out) { return forStream(out, System::nanoTime); }

    public static ProgressReporter forStream(PrintStream out, LongSupplier clock) {
        return forWriter(new PrintWriter(out, true), clock);
    }

    public static ProgressReporter forWriter(PrintWriter out) { return forWriter(out, System::nanoTime); }

    public static ProgressReporter forWriter(PrintWriter out, LongSupplier clock) {
        return new ProgressReporter(new LineSink(out), clock);
    }

    public static ProgressReporter silent() { return new ProgressReporter(new NoSink(), System::nanoTime); }

    /** True when bars go to a terminal's status line. */
    public boolean usesStatusLine() { return sink instanceof StatusSink; }

    /** Starts an operation of {@code total} steps (≤ 0: unknown). Close the result when done. */
    public Progress start(String label, long total) {
        ProgressState p = new ProgressState(this, label, total, clock);
        synchronized (this) {
            active.add(p);
            switch (sink) {
                case LineSink(PrintWriter out) -> {
                    out.println(label + ": started" + (total > 0 ? " (" + total + " steps)" : ""));
                    out.flush();
                    lastDrawn.put(p, new long[]{clock.getAsLong(), 0});
                }
                case StatusSink s -> redraw(s, true);
                case NoSink n -> { }
            }
        }
        return p;
    }

    /** Runs {@code work} with a progress of {@code total} steps, closing it afterwards; returns its result. */
    public <T> T run(String label, long total, Work<T> work) throws Exception {
        try (Progress p = start(label, total)) {
            return work.run(p);
        }
    }

    synchronized void changed(ProgressState p) {
        switch (sink) {
            case LineSink(PrintWriter out) -> {
                long[] last = lastDrawn.get(p);
                if (last == null) return;
                long now = clock.getAsLong();
                int percent = p.percent();
                boolean tenMore = p.total() > 0 && percent / 10 > last[1] / 10;
                if (tenMore || now - last[0] >= LINE_INTERVAL_NS) {
                    out.println(line(p));
                    out.flush();
                    last[0] = now;
                    last[1] = percent;
                }
            }
            case StatusSink s -> redraw(s, false);
            case NoSink n -> { }
        }
    }

    synchronized void finished(ProgressState p) {
        active.remove(p);
        switch (sink) {
            case LineSink(PrintWriter out) -> {
                lastDrawn.remove(p);
                out.println(String.format(Locale.ROOT, "%s: done %s in %.1f s", p.label(),
                        p.total() > 0 ? p.done() + "/" + p.total() : String.valueOf(p.done()), p.elapsedNs() / 1e9));
                out.flush();
            }
            case StatusSink s -> redraw(s, true);
            case NoSink n -> { }
        }
    }

    private void redraw(StatusSink s, boolean force) {
        long now = clock.getAsLong();
        if (!force && now - lastRedraw < REDRAW_INTERVAL_NS) return;
        lastRedraw = now;
        int width = s.terminal().getWidth() > 0 ? s.terminal().getWidth() : 80;
        List<AttributedString> lines = new ArrayList<>();
        for (ProgressState p : active) lines.add(new AttributedString(bar(p, width - 1)));
        s.status().update(lines);
        s.terminal().flush();
    }

    /** A plain progress line: "label: 42/100 42% 3.1/s eta 0:18 run 3 dax". */
    static String line(ProgressState p) {
        String note = p.note();
        return p.label() + ": " + p.counts() + (note == null ? "" : " " + note);
    }

    /** A status-line bar fitting {@code width} columns: "label [=====>     ] 42/100 42% ... note". */
    static String bar(ProgressState p, int width) {
        String counts = p.counts();
        String note = p.note() == null ? "" : " " + p.note();
        int barWidth = Math.max(10, Math.min(40, width - p.label().length() - counts.length() - 5));
        StringBuilder sb = new StringBuilder(p.label()).append(" [");
        if (p.total() > 0) {
            int filled = (int) (barWidth * Math.min(1.0, (double) p.done() / p.total()));
            sb.append("=".repeat(filled));
            if (filled < barWidth) sb.append('>').append(" ".repeat(barWidth - filled - 1));
        } else {
            int pos = (int) (p.done() % (barWidth - 2));
            sb.append(" ".repeat(pos)).append("<=>").append(" ".repeat(Math.max(0, barWidth - pos - 3)));
        }
        sb.append("] ").append(counts).append(note);
        return sb.length() > width ? sb.substring(0, Math.max(0, width)) : sb.toString();
    }
}
