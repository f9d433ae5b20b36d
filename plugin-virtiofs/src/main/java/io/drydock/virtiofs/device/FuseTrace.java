package io.drydock.virtiofs.device;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseObserver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A live FUSE trace that can be switched on and off: one line per request (opcode, unique, nodeid, sizes,
 * result, latency), kept in a bounded ring and optionally streamed to a listener (the shell's terminal).
 * Off, it costs one volatile read per request.
 */
public final class FuseTrace implements FuseObserver {
    /** Lines kept for {@link #lines()}. */
    public static final int CAPACITY = 10_000;

    private volatile boolean on;
    private volatile Consumer<String> listener;
    private final ArrayDeque<String> ring = new ArrayDeque<>();

    public void on() { on = true; }

    public void off() { on = false; }

    public boolean isOn() { return on; }

    /** Streams each new line to {@code l} as well (null: stop streaming). */
    public void follow(Consumer<String> l) { listener = l; }

    public List<String> lines() {
        synchronized (ring) { return new ArrayList<>(ring); }
    }

    public void clear() {
        synchronized (ring) { ring.clear(); }
    }

    @Override public void onRequest(FuseOpcode opcode, int rawOpcode, long unique, long nodeid, long inBytes,
                                    long outBytes, int error, long nanos) {
        if (!on) return;
        String line = String.format(Locale.ROOT, "%-14s unique=%-6d nodeid=%-6d in=%-7d out=%-7d %-14s %6.1fus",
                opcode == null ? "op" + rawOpcode : opcode.name(), unique, nodeid, inBytes, outBytes,
                error == 0 ? "ok" : "-" + Errno.describe(error), nanos / 1e3);
        synchronized (ring) {
            if (ring.size() == CAPACITY) ring.removeFirst();
            ring.addLast(line);
        }
        Consumer<String> l = listener;
        if (l != null) l.accept(line);
    }
}
