package io.drydock.bench.progress;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The one implementation of {@link Progress}: counts, and tells its {@link ProgressReporter} when to draw.
 * How it is drawn (status line, plain lines, nothing) is the reporter's business.
 */
public final class ProgressState implements Progress {
    private final ProgressReporter reporter;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long startNs;
    private long done;
    private String message;
    private boolean closed;

    ProgressState(ProgressReporter reporter, String label, long total, LongSupplier clock) {
        this.reporter = reporter;
        this.label = label;
        this.total = total;
        this.clock = clock;
        this.startNs = clock.getAsLong();
    }

    @Override public void step(long n) {
        synchronized (this) {
            if (closed) return;
            done += n;
        }
        reporter.changed(this);
    }

    @Override public void set(long value) {
        synchronized (this) {
            if (closed) return;
            done = value;
        }
        reporter.changed(this);
    }

    @Override public void message(String message) {
        synchronized (this) {
            if (closed) return;
            this.message = message;
        }
        reporter.changed(this);
    }

    @Override public synchronized long done() { return done; }

    @Override public long total() { return total; }

    @Override public String label() { return label; }

    synchronized String note() { return message; }

    long elapsedNs() { return clock.getAsLong() - startNs; }

    synchronized boolean closed() { return closed; }

    @Override public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        reporter.finished(this);
    }

    /** "42/100 42% 3.1/s eta 0:18" (or "42 3.1/s" without a total). */
    String counts() {
        long d = done();
        double seconds = elapsedNs() / 1e9;
        double rate = seconds > 0 ? d / seconds : 0;
        StringBuilder sb = new StringBuilder();
        if (total > 0) {
            sb.append(d).append('/').append(total).append(' ').append(percent()).append('%');
        } else {
            sb.append(d);
        }
        if (rate > 0) sb.append(String.format(Locale.ROOT, " %s/s", rate >= 100 ? String.valueOf(Math.round(rate)) : String.format(Locale.ROOT, "%.1f", rate)));
        if (total > 0 && rate > 0 && d < total) sb.append(" eta ").append(clockTime((total - d) / rate));
        return sb.toString();
    }

    int percent() { return total > 0 ? (int) Math.min(100, done() * 100 / total) : 0; }

    static String clockTime(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
