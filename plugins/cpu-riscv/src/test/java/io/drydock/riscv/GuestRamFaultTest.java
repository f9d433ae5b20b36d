package io.drydock.riscv;

import io.drydock.kernel.machine.ExecutionControl;
import io.drydock.kernel.memory.MemoryBacking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.drydock.riscv.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the interpreter catches: a failed access to guest RAM (RamAccess's rule: a region unmapped meanwhile,
 * a read-only mapping, a truncated DAX page) becomes the guest's access fault or a retry after a memory-map
 * change; anything else is a bug that stops the hart with the reason, never a silent retry.
 */
class GuestRamFaultTest extends BareHartTest {
    static final long EXTRA = 0x7000_0000L;

    private void load(int... words) {
        for (int k = 0; k < words.length; k++) bus.write(BASE + 4L * k, 4, words[k]);
        bus.write(BASE + 0x1000, 4, 0x6f); // the trap handler: j . (so mcause stays the first trap's)
        h.reset();
        h.mtvec = BASE + 0x1000;
    }

    @Test
    void aBugInsideAnInstructionStopsTheHartInsteadOfRetrying() {
        AtomicInteger reads = new AtomicInteger();
        IllegalStateException bug = new IllegalStateException("clock bug");
        Hart hart = new Hart(1, bus, () -> { reads.incrementAndGet(); throw bug; });
        bus.write(BASE, 4, csrrs(3, Csr.TIME, 0)); // csrr x3, time
        // step: the exception surfaces, with pc at the instruction and nothing retired
        assertSame(bug, assertThrows(IllegalStateException.class, () -> hart.step(10)));
        assertEquals(1, reads.get(), "not retried");
        assertEquals(BASE, hart.pc());
        assertEquals(0, hart.instructionsRetired());
        // run: the hart's loop ends with the exception (the machine reports it as a crashed core)
        var run = CompletableFuture.runAsync(() -> hart.run(new ExecutionControl() {
            @Override public boolean stopRequested() { return false; }
            @Override public void fail(String reason, Throwable cause) {}
        }));
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> run.get(20, TimeUnit.SECONDS));
        assertSame(bug, e.getCause());
    }

    @Test
    void aStoreToReadOnlyRamIsAStoreAccessFault(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rom");
        Files.write(file, new byte[4096]);
        bus.addRam("rom", EXTRA, MemoryBacking.mappedFile(file, 0, 4096, true));
        // lui x1, 0x70000; sd x2, 8(x1)
        load(0x700000b7, sd(2, 1, 8));
        h.setX(2, 42);
        h.step(2);
        assertEquals(Trap.STORE_ACCESS, h.mcause);
        assertEquals(BASE + 4, h.mepc);
        assertEquals(0, bus.read(EXTRA + 8, 8));
    }

    @Test
    void aRegionReleasedWhileStillMappedIsAnAccessFaultNotALoop() throws Exception {
        var region = bus.addRam("extra", EXTRA, MemoryBacking.anonymous(4096));
        // lui x1, 0x70000; ld x3, 0(x1); ld x3, 0(x1)
        load(0x700000b7, ld(3, 1, 0), ld(3, 1, 0));
        h.step(2); // the load TLB now holds the page
        region.backing().close();
        h.step(1);
        assertEquals(Trap.LOAD_ACCESS, h.mcause);
        assertEquals(BASE + 8, h.mepc);
    }

    @Test
    void aRegionUnmappedUnderACachedTranslationIsRetriedAgainstTheNewMap() throws Exception {
        var region = bus.addRam("extra", EXTRA, MemoryBacking.anonymous(4096));
        load(0x700000b7, ld(3, 1, 0), ld(3, 1, 0));
        h.step(2);
        bus.remove(bus.find(EXTRA)); // detached (the hart is told) and released
        h.step(1);
        assertEquals(Trap.LOAD_ACCESS, h.mcause, "retried: nothing is mapped there now");
        assertEquals(BASE + 8, h.mepc);
    }

    @Test
    void devicesAndTheBusSeeTheSameFailureRule() throws Exception {
        var region = bus.addRam("extra", EXTRA, MemoryBacking.anonymous(4096));
        region.backing().close();
        assertThrows(io.drydock.kernel.bus.BusFault.class, () -> bus.read(EXTRA, 8));
        assertThrows(io.drydock.kernel.memory.GuestMemoryException.class, () -> bus.memory().read64(EXTRA));
    }
}
