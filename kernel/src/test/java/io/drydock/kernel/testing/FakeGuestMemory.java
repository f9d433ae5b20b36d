package io.drydock.kernel.testing;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.metrics.MetricsRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Guest RAM for tests: a {@link SystemBus} with one anonymous RAM region (default 0x80000000, 16 MiB, as on
 * the virt board), its {@link GuestMemory}, and the metrics registry the bus counts into. Close it to unmap.
 */
public final class FakeGuestMemory implements AutoCloseable {
    public static final long DRAM_BASE = 0x8000_0000L;

    private final MetricsRegistry metrics = new MetricsRegistry();
    private final SystemBus bus = new SystemBus(metrics);

    public FakeGuestMemory() { this(DRAM_BASE, 16L << 20); }

    public FakeGuestMemory(long base, long size) { this(base, size, false); }

    /** @param shared RAM on a memfd, as a vhost-user frontend shares it with a backend process */
    public FakeGuestMemory(long base, long size, boolean shared) {
        try {
            bus.addRam("dram", base, shared ? MemoryBacking.sharedFile("test-dram", size) : MemoryBacking.anonymous(size));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GuestMemory memory() { return bus.memory(); }

    public SystemBus bus() { return bus; }

    public MetricsRegistry metrics() { return metrics; }

    @Override public void close() { bus.closeAll(); }
}
