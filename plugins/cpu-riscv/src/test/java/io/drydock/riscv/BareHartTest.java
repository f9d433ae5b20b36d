package io.drydock.riscv;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The fixture of per-instruction tests: one bare hart over 64 KiB of RAM at 0x80000000, nothing else on the bus. */
abstract class BareHartTest {
    static final long BASE = 0x8000_0000L;
    SystemBus bus;
    Hart h;

    @BeforeEach
    void setUp() throws Exception {
        bus = new SystemBus(new MetricsRegistry());
        bus.addRam("dram", BASE, MemoryBacking.anonymous(64 * 1024));
        h = new Hart(0, bus, () -> 0);
    }

    @AfterEach
    void tearDown() { bus.closeAll(); }
}
