package io.drydock.riscv;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static io.drydock.riscv.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Translated blocks (loops run often enough to be translated) against the interpreter's semantics. */
class TranslatorTest extends BareHartTest {
    static int bne(int rs1, int rs2, int off) {
        return ((off >> 12) & 1) << 31 | ((off >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | 1 << 12
                | ((off >> 1) & 0xf) << 8 | ((off >> 11) & 1) << 7 | 0x63;
    }

    static int jal(int rd, int off) {
        return ((off >> 20) & 1) << 31 | ((off >> 1) & 0x3ff) << 21 | ((off >> 11) & 1) << 20 | ((off >> 12) & 0xff) << 12
                | rd << 7 | 0x6f;
    }

    void load(int... words) {
        for (int k = 0; k < words.length; k++) bus.write(BASE + 4L * k, 4, words[k]);
        h.reset();
    }

    @TestFactory
    Stream<DynamicTest> edgeCasesInATranslatedLoop() {
        return HartTest.edgeCases().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            load(c.insn(), addi(4, 4, -1), bne(4, 0, -8));
            h.setX(1, c.a());
            h.setX(2, c.b());
            h.setX(4, 100);
            h.step(300);
            assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
            assertEquals(0, h.x(4));
            assertEquals(c.expect(), h.x(3));
            assertEquals(300, h.instructionsRetired());
        }));
    }

    @Test
    void trapInsideATranslatedBlockReportsItsPcAndRetiredCount() {
        // 0: addi x5,x5,1   4: ld x3,0(x1)   8: addi x1,x1,0x100   c: jal x0,0 → 0; the load leaves RAM on pass 129
        load(addi(5, 5, 1), ld(3, 1, 0), addi(1, 1, 0x100), jal(0, -12));
        bus.write(BASE + 0x400, 4, jal(0, 0)); // trap vector: spin
        bus.write(BASE + 0xff00, 8, 77);
        h.mtvec = BASE + 0x400;
        h.setX(1, BASE + 0x8000);
        h.step(128 * 4 + 1);
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
        assertEquals(128 * 4 + 1, h.instructionsRetired());
        h.step(1); // the load faults: not retired
        assertEquals(5, h.mcause);
        assertEquals(BASE + 4, h.mepc);
        assertEquals(BASE + 0x10000, h.mtval);
        assertEquals(129, h.x(5));
        assertEquals(77, h.x(3));
        assertEquals(128 * 4 + 1, h.instructionsRetired());
    }
}
