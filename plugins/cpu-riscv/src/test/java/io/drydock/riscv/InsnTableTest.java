package io.drydock.riscv;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.drydock.riscv.Op.*;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated decoder against the rest of what src/main/insn/rv64gc.insn gives (README, "One source of
 * instruction semantics"): every op the Decoder produces has a disassembly, and every compressed op it produces has its own interpreter case or is one the interpreter's
 * default case runs (system, ILLEGAL).
 */
class InsnTableTest {
    private static boolean system(int op) { return op >= FENCE_I && op <= CSRRCI; }

    @Test
    void everyCompressedEncodingHasAnInterpreterCase() {
        for (int i = 0; i < 0x10000; i++) {
            if (!Decoder.isCompressed(i)) continue;
            int op = op(Decoder.decode16(i)), half = i;
            if (op == ILLEGAL || system(op)) continue;
            assertTrue(Insns.compressedCase(op), () -> String.format("c.%04x decodes to %s, which has no C + case", half, NAMES[op]));
        }
    }

    @Test
    void everyDecodedOpHasADisassembly() {
        Random r = new Random(16);
        for (int k = 0; k < 200_000; k++) {
            int bits = r.nextInt() | 3;
            long w = Decoder.decode32(bits);
            if (op(w) == ILLEGAL) continue;
            String text = Disassembler.text(0x8000_0000L, w, bits);
            assertFalse(text.startsWith(".insn"), () -> String.format("%08x decodes to %s but prints as %s", bits, NAMES[op(w)], text));
        }
        for (int i = 0; i < 0x10000; i++) {
            if (!Decoder.isCompressed(i) || op(Decoder.decode16(i)) == ILLEGAL) continue;
            long w = Decoder.decode16(i);
            String text = Disassembler.text(0x8000_0000L, w, i);
            int half = i;
            assertFalse(text.startsWith(".insn"), () -> String.format("c.%04x decodes to %s but prints as %s", half, NAMES[op(w)], text));
        }
    }
}
