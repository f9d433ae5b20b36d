package io.drydock.riscv;

import org.junit.jupiter.api.Test;

import static io.drydock.riscv.Asm.addi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Only entries within one window of 2^{@link Interpreter#WINDOW} retired instructions count towards translation. */
class HeatWindowTest extends BareHartTest {
    static final int PASSES = Interpreter.HOT + 8;
    static final long WINDOW = 1L << Interpreter.WINDOW;

    /** 0: addi x4, x4, -1   4: bne x4, x0, 0 (a loop of one block, entered at 0 on every pass) */
    void loadLoop(int count) {
        bus.write(BASE, 4, addi(4, 4, -1));
        bus.write(BASE + 4, 4, TranslatorTest.bne(4, 0, -4));
        h.reset();
        h.setX(4, count);
    }

    @Test
    void aBlockEnteredOftenWithinOneWindowIsTranslated() {
        loadLoop(PASSES + 1);
        for (int k = 0; k < PASSES; k++) h.step(2);
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
        assertEquals(1, h.x(4));
        assertEquals(2L * PASSES, h.instructionsRetired());
    }

    @Test
    void aBlockEnteredAsOftenButOncePerWindowIsNot() {
        loadLoop(PASSES + 1);
        for (int k = 0; k < PASSES; k++) {
            h.step(2);
            // the state after the hart has retired a window's worth of other instructions elsewhere
            h.instret += WINDOW;
        }
        assertNull(h.mmu.codePage(BASE).blocks[0], "entries spread over windows were not counted together");
        assertEquals(1, h.x(4));
        assertEquals(2L * PASSES + PASSES * WINDOW, h.instructionsRetired());
        // the same block entered often again, now within one window, is translated and runs on exactly
        for (int k = 0; k < PASSES; k++) {
            h.setX(4, 2);
            h.pc = BASE;
            h.step(2);
        }
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
    }
}
