package io.drydock.kernel.bus;

import io.drydock.kernel.metrics.Counter;
import io.drydock.kernel.metrics.MetricsRegistry;

/** Per-device MMIO access counters ("mmio.NAME.reads", "mmio.NAME.writes", "mmio.NAME.faults"). */
public record MmioCounters(Counter reads, Counter writes, Counter faults) {
    public static MmioCounters register(MetricsRegistry metrics, String device) {
        String p = "mmio." + device + ".";
        return new MmioCounters(
                metrics.counter(p + "reads", "guest MMIO reads of " + device),
                metrics.counter(p + "writes", "guest MMIO writes to " + device),
                metrics.counter(p + "faults", "MMIO accesses to " + device + " that faulted"));
    }
}
