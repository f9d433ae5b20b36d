package io.drydock.riscv;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.Test;

import static io.drydock.riscv.Asm.addi;
import static io.drydock.riscv.TranslatorTest.bne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link TranslationCache}: the same guest code translated again — in another machine, or on another page —
 * gets the class already made, with links of its own; other code, another offset in the page or other
 * translation switches get another class.
 */
class TranslationCacheTest extends BareHartTest {
    /** x5 += 3, x4 -= 1 while x4 != 0: a loop translated after HOT (32 in the tests) passes. */
    static final int[] LOOP = {addi(5, 5, 3), addi(4, 4, -1), bne(4, 0, -8), bne(0, 0, 0)};

    static void load(SystemBus bus, long at, int... words) {
        for (int k = 0; k < words.length; k++) bus.write(at + 4L * k, 4, words[k]);
    }

    /** Runs LOOP at {@code at} on hart {@code h} 500 times round; returns the block translated there. */
    static Block runLoop(Hart h, SystemBus bus, long at) {
        load(bus, at, LOOP);
        h.reset();
        h.pc = at;
        h.setX(4, 500);
        h.setX(5, 0);
        h.step(1500);
        assertEquals(0, h.x(4));
        assertEquals(1500, h.x(5));
        Block b = h.mmu.codePage(at).blocks[(int) (at & 0xfff) >>> 1];
        assertNotNull(b, "the loop was translated");
        return b;
    }

    @Test
    void anotherMachineRunningTheSameCodeGetsTheSameClassWithLinksOfItsOwn() throws Exception {
        Block first = runLoop(h, bus, BASE);
        SystemBus bus2 = new SystemBus(new MetricsRegistry());
        try {
            bus2.addRam("dram", BASE, MemoryBacking.anonymous(64 * 1024));
            Hart h2 = new Hart(0, bus2, () -> 0);
            long reused = TranslationCache.reused.get();
            Block second = runLoop(h2, bus2, BASE);
            assertSame(first.getClass(), second.getClass());
            assertNotSame(first, second);
            assertNotSame(first.next, second.next);
            assertNotSame(first.page, second.page);
            assertEquals(reused + 1, TranslationCache.reused.get());
        } finally {
            bus2.closeAll();
        }
    }

    @Test
    void theSameCodeOnAnotherPageAtTheSameOffsetSharesItsClassAtAnotherOffsetNot() {
        Block first = runLoop(h, bus, BASE + 0x2000);
        assertSame(first.getClass(), runLoop(h, bus, BASE + 0x3000).getClass());
        // at another offset an exit may leave the page where it did not: other code
        assertNotSame(first.getClass(), runLoop(h, bus, BASE + 0x4100).getClass());
    }

    @Test
    void otherTranslationSwitchesMakeAnotherClass() {
        Block first = runLoop(h, bus, BASE + 0x5000);
        int chain = Block.chain;
        Block.chain = 0;
        try {
            assertNotSame(first.getClass(), runLoop(h, bus, BASE + 0x6000).getClass());
        } finally {
            Block.chain = chain;
        }
    }

    @Test
    void withoutSharingEveryTranslationMakesItsOwnClass() {
        int capacity = TranslationCache.capacity;
        TranslationCache.capacity = 0;
        try {
            assertNotSame(runLoop(h, bus, BASE + 0x7000).getClass(), runLoop(h, bus, BASE + 0x8000).getClass());
        } finally {
            TranslationCache.capacity = capacity;
        }
    }
}
