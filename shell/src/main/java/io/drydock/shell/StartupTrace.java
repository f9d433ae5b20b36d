package io.drydock.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Marks along a {@code scripts/run} start, for {@code scripts/startup-profile}: with the environment variable
 * {@code DRYDOCK_STARTUP_TRACE=FILE}, each {@link #mark} records its name, {@code System.nanoTime()} (the
 * clock of {@code -Xlog}'s {@code timenanos} decoration, so class loading can be counted per phase) and the
 * wall clock, and {@link #write} appends them to FILE. Without it a mark is one test of a constant.
 */
public final class StartupTrace {
    private StartupTrace() {}

    private static final String FILE = System.getenv("DRYDOCK_STARTUP_TRACE");
    private static final StringBuilder MARKS = FILE == null ? null : new StringBuilder();

    public static boolean on() { return FILE != null; }

    public static void mark(String name) {
        if (FILE == null) return;
        Instant now = Instant.now();
        long nanos = System.nanoTime();
        synchronized (MARKS) {
            MARKS.append(name).append(' ').append(nanos).append(' ')
                    .append(now.getEpochSecond() * 1_000_000_000L + now.getNano()).append('\n');
        }
    }

    /** Appends the marks so far to the trace file. */
    public static void write() {
        if (FILE == null) return;
        try {
            synchronized (MARKS) {
                Files.writeString(Path.of(FILE), MARKS, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                MARKS.setLength(0);
            }
        } catch (IOException e) {
            System.err.println("startup trace: " + e.getMessage());
        }
    }
}
