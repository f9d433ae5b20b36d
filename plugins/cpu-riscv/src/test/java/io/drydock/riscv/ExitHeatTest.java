package io.drydock.riscv;

import org.junit.jupiter.api.Test;

import static io.drydock.riscv.Asm.addi;
import static io.drydock.riscv.Asm.i;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An entry straight from a translated block on a page that has had blocks for {@link Interpreter#EXIT_AGE} heat windows
 * counts {@link Interpreter#EXIT_HEAT} towards {@link Interpreter#HOT}; from a younger page's block, or from
 * interpreted code, 1.
 */
class ExitHeatTest extends BareHartTest {
    static final long WINDOW = 1L << Interpreter.WINDOW;
    static final long C = BASE + 0x100;
    /** Entries from an old block that reach HOT from 0. */
    static final int OLD_ENTRIES = (Interpreter.HOT + Interpreter.EXIT_HEAT - 1) / Interpreter.EXIT_HEAT;

    /**
     * A: 0: addi x4,x4,-1  4: bne x4,x0,0  8: jalr x0,0(x6) (to C)
     * C: 0x100: addi x5,x5,1  0x104: jalr x0,0(x7) (to A).
     * A is translated by its own loop; C is entered only by A's jalr.
     */
    void load() {
        assumeTrue(Interpreter.ENTRIES, "heat by entries (the default; not the pom's heat-by-instructions run)");
        bus.write(BASE, 4, addi(4, 4, -1));
        bus.write(BASE + 4, 4, TranslatorTest.bne(4, 0, -4));
        bus.write(BASE + 8, 4, i(0, 6, 0, 0, 0x67));
        bus.write(C, 4, addi(5, 5, 1));
        bus.write(C + 4, 4, i(0, 7, 0, 0, 0x67));
        h.reset();
        h.setX(6, C);
        h.setX(7, BASE);
        // A's loop, entered at 0 on every pass until it is translated, then run inside the block; its jalr goes to C
        int passes = Interpreter.HOT + 8;
        h.setX(4, passes);
        h.step(2 * passes + 1 + 2);
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "A was translated");
        assertEquals(BASE, h.pc);
    }

    /** One pass A → C → A: 3 + 2 instructions, A as a block, C interpreted while it has none. */
    void pass() {
        h.setX(4, 1);
        h.step(5);
        assertEquals(BASE, h.pc);
    }

    Block c() { return h.mmu.codePage(C).blocks[(int) (C & 0xfff) >>> 1]; }

    @Test
    void entriesFromAnOldBlockCountExitHeat() {
        load();
        // the page gets old: the hart has retired EXIT_AGE windows of instructions elsewhere (C's count resets too)
        h.instret += Interpreter.EXIT_AGE * WINDOW;
        long x5 = h.x(5);
        for (int k = 0; k < OLD_ENTRIES - 1; k++) pass();
        assertNull(c(), (OLD_ENTRIES - 1) + " entries from an old block are not hot yet");
        pass();
        assertNotNull(c(), OLD_ENTRIES + " entries from an old block are hot");
        pass(); // C runs as a block
        assertEquals(x5 + OLD_ENTRIES + 1, h.x(5));
    }

    @Test
    void entriesFromAYoungBlockCountOne() {
        load();
        for (int k = 0; k < OLD_ENTRIES; k++) pass();
        if (Interpreter.EXIT_HEAT > 1) assertNull(c(), OLD_ENTRIES + " entries from a young page's block are not hot");
        for (int k = 0; k < Interpreter.HOT; k++) pass();
        assertNotNull(c(), "HOT entries are");
    }
}
