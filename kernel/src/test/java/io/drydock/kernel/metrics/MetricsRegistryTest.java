package io.drydock.kernel.metrics;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class MetricsRegistryTest {
    @Test
    void countersGaugesAndHistograms() {
        MetricsRegistry r = new MetricsRegistry();
        Counter c = r.counter("virtq.fs.1.notifications", "guest kicks");
        assertSame(c, r.counter("virtq.fs.1.notifications", "again"));
        c.increment();
        c.add(4);
        AtomicLong instret = new AtomicLong(100);
        r.cumulativeGauge("cpu0.instructions", "retired", instret::get);
        AtomicLong depth = new AtomicLong(3);
        r.gauge("virtq.fs.1.inflight", "in flight", depth::get);
        LatencyHistogram h = r.histogram("fuse.read.latency", "READ latency");
        for (int i = 1; i <= 100; i++) h.recordNanos(i * 1000L);

        Map<String, Long> n = r.numbers();
        assertEquals(5L, n.get("virtq.fs.1.notifications"));
        assertEquals(100L, n.get("cpu0.instructions"));
        assertEquals(100L, n.get("fuse.read.latency.count"));
        @SuppressWarnings("unchecked") Map<String, Object> summary = (Map<String, Object>) r.snapshot().get("fuse.read.latency");
        long p50 = (Long) summary.get("p50Ns");
        assertTrue(p50 >= 49_000 && p50 <= 51_000, "p50 " + p50);
        assertEquals(100_000L, (Long) summary.get("maxNs"), 100);

        r.reset();
        instret.set(250);
        assertEquals(0L, r.numbers().get("virtq.fs.1.notifications"));
        assertEquals(150L, r.numbers().get("cpu0.instructions"), "cumulative gauges read as deltas since reset");
        assertEquals(3L, r.numbers().get("virtq.fs.1.inflight"), "level gauges are not rebased");
        assertEquals(0L, r.numbers().get("fuse.read.latency.count"));
    }

    @Test
    void aNameHasOneKind() {
        MetricsRegistry r = new MetricsRegistry();
        r.counter("x", "");
        var e = assertThrows(IllegalArgumentException.class, () -> r.histogram("x", ""));
        assertTrue(e.getMessage().contains("already a Counter"));
        assertThrows(IllegalArgumentException.class, () -> r.counter(" ", ""));
    }

    @Test
    void tableListsNonZeroMetricsUnderAPrefix() {
        MetricsRegistry r = new MetricsRegistry();
        r.counter("mmio.uart0.reads", "").add(1234);
        r.counter("mmio.uart0.writes", "");
        r.counter("irq.plic.10", "").increment();
        String t = r.table("mmio.", false);
        assertTrue(t.contains("mmio.uart0.reads") && t.contains("1,234"), t);
        assertFalse(t.contains("writes"), t);
        assertFalse(t.contains("irq"), t);
        assertTrue(r.table("mmio.", true).contains("mmio.uart0.writes"));
    }

    @Test
    void jsonExportIsWellFormed() {
        MetricsRegistry r = new MetricsRegistry();
        r.counter("a\"b", "").increment();
        r.histogram("lat", "").recordNanos(5);
        String json = r.toJson();
        assertEquals("{\"a\\\"b\":1,\"lat\":{\"count\":1,\"minNs\":5,\"meanNs\":5,\"p50Ns\":5,\"p90Ns\":5,\"p99Ns\":5,\"p999Ns\":5,\"maxNs\":5}}", json);
    }
}
