package io.drydock.riscv;

import org.junit.jupiter.api.Test;

import static io.drydock.riscv.Asm.addi;
import static io.drydock.riscv.Asm.csrrw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A slot's heat is the instructions interpreted from entries at it ({@link Interpreter#HOT}: 32 in the module's
 * tests), so a long run is translated after a few entries and a short one only after many; a quiet CSR access
 * does not cut the run it is in into pieces of their own. Runs in the pom's execution {@code heat-by-instructions}
 * ({@code -Ddrydock.jit.heat=instructions}); skipped under the default policy (entries).
 */
class HeatByInstructionsTest extends BareHartTest {
    static final int BODY = 20;

    /**
     * 0: {@code first}   4…: BODY × addi x5, x5, 1   then: addi x4, x4, -1; bne x4, x0, 0 — one run of BODY + 3
     * instructions per pass, entered at 0 each time.
     */
    int loadLoop(int first, int count) {
        long a = BASE;
        bus.write(a, 4, first);
        for (int i = 0; i < BODY; i++) bus.write(a += 4, 4, addi(5, 5, 1));
        bus.write(a += 4, 4, addi(4, 4, -1));
        bus.write(a += 4, 4, TranslatorTest.bne(4, 0, (int) (BASE - a)));
        h.reset();
        h.setX(4, count);
        return BODY + 3;
    }

    @Test
    void aLongRunIsTranslatedAfterFewEntries() {
        assumeFalse(Interpreter.ENTRIES, "needs -Ddrydock.jit.heat=instructions (the pom's heat-by-instructions run)");
        int pass = loadLoop(addi(6, 6, 1), 100);
        int entries = (Interpreter.HOT + pass - 1) / pass; // entries whose runs reach the threshold
        for (int k = 0; k < entries; k++) h.step(pass);
        assertNull(h.mmu.codePage(BASE).blocks[0], "heat " + entries * pass + " is checked at the next entry");
        h.step(pass);
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "translated at entry " + (entries + 1) + ", not after " + Interpreter.HOT);
        assertEquals(entries + 1, h.x(6));
        assertEquals((long) (entries + 1) * BODY, h.x(5));
        assertEquals((long) (entries + 1) * pass, h.instructionsRetired());
    }

    @Test
    void aShortRunEnteredAsOftenIsNot() {
        assumeFalse(Interpreter.ENTRIES, "needs -Ddrydock.jit.heat=instructions (the pom's heat-by-instructions run)");
        // 0: addi x4, x4, -1   4: bne x4, x0, 0 — two instructions per entry
        bus.write(BASE, 4, addi(4, 4, -1));
        bus.write(BASE + 4, 4, TranslatorTest.bne(4, 0, -4));
        h.reset();
        h.setX(4, 1000);
        int entries = (Interpreter.HOT + BODY + 2) / (BODY + 3) + 1; // what translated the long run above
        for (int k = 0; k < entries; k++) h.step(2);
        assertNull(h.mmu.codePage(BASE).blocks[0], entries + " entries of 2 instructions are not hot");
        for (int k = 0; k < Interpreter.HOT / 2; k++) h.step(2);
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "HOT instructions from the entry are");
        assertEquals(1000 - entries - Interpreter.HOT / 2, h.x(4));
    }

    @Test
    void aQuietCsrAccessDoesNotStartARunOfItsOwn() {
        assumeFalse(Interpreter.ENTRIES, "needs -Ddrydock.jit.heat=instructions (the pom's heat-by-instructions run)");
        // csrrw x6, mscratch, x6 (a quiet write: the run goes on after it) at the entry
        int pass = loadLoop(csrrw(6, Csr.MSCRATCH, 6), 100);
        h.setX(6, 7);
        int entries = (Interpreter.HOT + pass - 1) / pass + 1;
        for (int k = 0; k < entries; k++) h.step(pass);
        CodePage page = h.mmu.codePage(BASE);
        assertNotNull(page.blocks[0], "the run's heat went to its entry, the CSR access");
        assertNull(page.blocks[2], "the instruction after the access was not an entry");
        assertEquals(0, page.heat[2]);
        assertEquals((long) entries * BODY, h.x(5));
        assertEquals(entries % 2 == 0 ? 7 : 0, h.x(6), "x6 and mscratch swapped once per pass");
        assertEquals(entries % 2 == 0 ? 0 : 7, h.csr(Csr.MSCRATCH));
    }
}
