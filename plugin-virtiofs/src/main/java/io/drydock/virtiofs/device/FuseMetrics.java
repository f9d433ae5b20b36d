package io.drydock.virtiofs.device;

import io.drydock.kernel.metrics.Counter;
import io.drydock.kernel.metrics.LatencyHistogram;
import io.drydock.kernel.metrics.MetricsRegistry;
import io.drydock.virtiofs.fuse.FuseObserver;
import io.drydock.virtiofs.fuse.FuseOpcode;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Per-opcode FUSE counters and latency histograms in the machine's metrics registry
 * ("fuse.TAG.read.requests", ".errors", ".latency"), plus totals ("fuse.TAG.requests", ".bytesIn", ".bytesOut").
 * Registered lazily on an opcode's first request so tables stay short.
 */
final class FuseMetrics implements FuseObserver {
    private record PerOpcode(Counter requests, Counter errors, LatencyHistogram latency) {}

    private final MetricsRegistry metrics;
    private final String prefix;
    private final Map<FuseOpcode, PerOpcode> perOpcode = new EnumMap<>(FuseOpcode.class);
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
        synchronized (perOpcode) {
            return perOpcode.computeIfAbsent(op, o -> {
                String p = prefix + o.name().toLowerCase(Locale.ROOT) + ".";
                return new PerOpcode(metrics.counter(p + "requests", "FUSE_" + o + " requests"),
                        metrics.counter(p + "errors", "FUSE_" + o + " requests answered with an errno"),
                        metrics.histogram(p + "latency", "FUSE_" + o + " service time"));
            });
        }
    }
}
