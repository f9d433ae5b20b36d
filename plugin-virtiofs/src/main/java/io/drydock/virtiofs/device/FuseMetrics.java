package io.drydock.virtiofs.device;

import io.drydock.kernel.metrics.Counter;
import io.drydock.kernel.metrics.LatencyHistogram;
import io.drydock.kernel.metrics.MetricsRegistry;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseObserver;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.Locale;

/**
 * Per-opcode FUSE counters and latency histograms in the machine's metrics registry
 * ("fuse.TAG.read.requests", ".errors", ".latency"), plus totals ("fuse.TAG.requests", ".bytesIn", ".bytesOut").
 * Registered lazily on an opcode's first request so tables stay short.
 */
final class FuseMetrics implements FuseObserver {
    private record PerOpcode(Counter requests, Counter errors, LatencyHistogram latency) {}

    private final MetricsRegistry metrics;
    private final String prefix;
    /** By opcode ordinal; filled on first use without a lock on the request path (the registry dedupes names). */
    private final AtomicReferenceArray<PerOpcode> perOpcode = new AtomicReferenceArray<>(FuseOpcode.values().length);
    private final Counter requests, unknown, bytesIn, bytesOut;

    FuseMetrics(MetricsRegistry metrics, String tag) {
        this.metrics = metrics;
        this.prefix = "fuse." + tag + ".";
        this.requests = metrics.counter(prefix + "requests", "FUSE requests served for " + tag);
        this.unknown = metrics.counter(prefix + "unknown", "FUSE requests with an unknown opcode");
        this.bytesIn = metrics.counter(prefix + "bytesIn", "bytes of FUSE requests");
        this.bytesOut = metrics.counter(prefix + "bytesOut", "bytes of FUSE replies");
    }

    @Override public void onRequest(FuseOpcode opcode, int rawOpcode, long unique, long nodeid, long inBytes,
                                    long outBytes, int error, long nanos) {
        requests.increment();
        bytesIn.add(inBytes);
        bytesOut.add(outBytes);
        if (opcode == null) {
            unknown.increment();
            return;
        }
        PerOpcode p = forOpcode(opcode);
        p.requests().increment();
        if (error != 0) p.errors().increment();
        p.latency().recordNanos(nanos);
    }

    private PerOpcode forOpcode(FuseOpcode op) {
        PerOpcode p = perOpcode.get(op.ordinal());
        if (p != null) return p;
        String prefixOp = prefix + op.name().toLowerCase(Locale.ROOT) + ".";
        p = new PerOpcode(metrics.counter(prefixOp + "requests", "FUSE_" + op + " requests"),
                metrics.counter(prefixOp + "errors", "FUSE_" + op + " requests answered with an errno"),
                metrics.histogram(prefixOp + "latency", "FUSE_" + op + " service time"));
        // A racing thread registers the same names and gets the same metrics back: either value is right.
        perOpcode.compareAndSet(op.ordinal(), null, p);
        return perOpcode.get(op.ordinal());
    }

}
