package io.drydock.riscv;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.machine.ExecutionControl;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.memory.SharedMemoryFile;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static io.drydock.riscv.Asm.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Loads and stores that hit the fast TLB entries reach DRAM by raw host address (Interpreter.ldN/stN), with no
 * liveness check: what keeps an unmap from turning into a SIGSEGV that kills the JVM is the backing's
 * {@link io.drydock.kernel.memory.RamLease}, entered by every Interpreter.execute. Each test runs a hot loop
 * of loads and stores on DRAM (translated and compiled by then) on its own thread, and pulls the memory away
 * under it the ways a script or the host can: the guest must see access faults, never the JVM a crash.
 */
class DramLeaseTest {
    static final long BASE = 0x8000_0000L, HANDLER = 0x7000_0000L;
    SystemBus bus = new SystemBus(new MetricsRegistry());
    Hart h;
    volatile boolean stop;
    final AtomicReference<Throwable> crashed = new AtomicReference<>();
    Thread runner;

    @AfterEach
    void tearDown() throws InterruptedException {
        stop = true;
        if (runner != null) runner.join();
        bus.closeAll();
    }

    private static int jal0(int off) {
        return ((off >>> 20) & 1) << 31 | ((off >>> 1) & 0x3ff) << 21 | ((off >>> 11) & 1) << 20 | ((off >>> 12) & 0xff) << 12 | 0x6f;
    }

    /** {@link #startLoop(MemoryBacking, long)} until the loop's block is translated and compiled by C2. */
    private void startLoop(MemoryBacking dram) throws Exception { startLoop(dram, 100_000_000L); }

    /**
     * DRAM of {@code dram} at BASE running the loop, until {@code warm} instructions have retired; the trap
     * handler (j .) in a small region of its own.
     */
    private void startLoop(MemoryBacking dram, long warm) throws Exception {
        bus.addRam("dram", BASE, dram);
        bus.addRam("handler", HANDLER, MemoryBacking.anonymous(4096));
        bus.write(HANDLER, 4, jal0(0));
        int[] loop = {
                0x00008097,      // auipc x1, 8: x1 = BASE + 0x8000, a data page
                ld(3, 1, 0),     // BASE + 4
                addi(3, 3, 1),
                sd(3, 1, 0),     // BASE + 12
                ld(4, 1, 8),     // BASE + 16
                jal0(-16),       // back to BASE + 4
        };
        for (int k = 0; k < loop.length; k++) bus.write(BASE + 4L * k, 4, loop[k]);
        h = new Hart(0, bus, () -> 0);
        h.reset();
        h.mtvec = HANDLER;
        runner = Thread.ofPlatform().name("dram-lease-hart").start(() -> {
            try {
                h.run(new ExecutionControl() {
                    @Override public boolean stopRequested() { return stop; }
                    @Override public void fail(String reason, Throwable cause) { crashed.set(cause); }
                });
            } catch (Throwable t) {
                crashed.set(t);
            }
        });
        // 10^8: long enough for the loop to be translated (hot = 32 in the tests) and its block compiled by C2
        while (h.instructionsRetired() < warm && runner.isAlive()) Thread.sleep(1);
        assertNull(crashed.get());
    }

    /** Waits until the hart sits in the handler, stops it and returns its mcause. */
    private long trapped() throws InterruptedException {
        for (int i = 0; i < 20_000 && h.pc() != HANDLER && runner.isAlive(); i++) Thread.sleep(1);
        stop = true;
        runner.join();
        assertNull(crashed.get(), () -> "the hart failed: " + crashed.get());
        assertEquals(HANDLER, h.pc(), "the guest took a trap");
        return h.mcause;
    }

    @Test
    void dramClosedUnderARunningLoopIsAnAccessFault() throws Exception {
        MemoryBacking dram = MemoryBacking.anonymous(64 * 1024);
        startLoop(dram);
        dram.close(); // a script's doing: the region stays in the map, its memory goes
        // the faulting instruction's own bits are gone too: then it is an instruction access fault (Interpreter.faultingAccess)
        assertAccessFault(trapped());
        assertFalse(dram.segment().scope().isAlive(), "unmapped once the hart left it");
    }

    @Test
    void dramRemovedFromTheMapUnderARunningLoopIsAnAccessFault() throws Exception {
        MemoryBacking dram = MemoryBacking.anonymous(64 * 1024);
        startLoop(dram);
        bus.remove(bus.find(BASE)); // detached (the hart is told) and closed
        assertAccessFault(trapped());
        assertFalse(dram.segment().scope().isAlive());
    }

    @Test
    void aPageTheHostTakesAwayUnderARunningLoopIsAnAccessFault() throws Exception {
        // DRAM in a memfd (the primary segment: not a host file); its data page cut off by truncating the file,
        // as a vhost-user peer could: the next access raises SIGBUS, which RamAccess calls HOST_FAULT
        SharedMemoryFile dram = MemoryBacking.sharedFile("drydock-lease-test", 64 * 1024);
        startLoop(dram);
        try (FileChannel ch = FileChannel.open(Path.of("/proc/self/fd/" + dram.fd()), StandardOpenOption.WRITE)) {
            ch.truncate(0x8000);
        }
        assertDataAccessFault(trapped());
    }

    private void assertAccessFault(long cause) {
        assertTrue(cause == Trap.INSN_ACCESS || cause == Trap.LOAD_ACCESS || cause == Trap.STORE_ACCESS, "mcause " + cause);
        assertTrue(Set.of(BASE + 4, BASE + 8, BASE + 12, BASE + 16, BASE + 20).contains(h.mepc), () -> "mepc 0x" + Long.toHexString(h.mepc));
    }

    @Test
    void aPageTheHostTakesAwayBeforeTheLoopIsCompiledIsAnAccessFaultToo() throws Exception {
        // the same SIGBUS met by ldN in HotSpot's bytecode interpreter or C1 code (the run is still young)
        SharedMemoryFile dram = MemoryBacking.sharedFile("drydock-lease-test", 64 * 1024);
        startLoop(dram, 1);
        try (FileChannel ch = FileChannel.open(Path.of("/proc/self/fd/" + dram.fd()), StandardOpenOption.WRITE)) {
            ch.truncate(0x8000);
        }
        assertDataAccessFault(trapped());
    }

    /** A load or store access fault at one of the loop's loads or stores (priv 1.12 §3.1.15). */
    private void assertDataAccessFault(long cause) {
        assertTrue(cause == Trap.LOAD_ACCESS || cause == Trap.STORE_ACCESS, "mcause " + cause);
        assertTrue(Set.of(BASE + 4, BASE + 12, BASE + 16).contains(h.mepc), () -> "mepc 0x" + Long.toHexString(h.mepc));
        assertEquals(cause == Trap.STORE_ACCESS, h.mepc == BASE + 12, "the cause matches the instruction");
    }
}
