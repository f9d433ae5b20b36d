package io.drydock.riscv;

import static io.drydock.riscv.Op.*;

/**
 * Decodes one RV64GC instruction into the packed form of {@link Op}. Pure and stateless: whether an
 * instruction is legal in the current privilege or FP state is checked at execution, not here.
 * Compressed instructions expand to their base equivalents (RVC chapter "Compressed Instruction Formats").
 * Both lengths are decoded from the encodings of src/main/insn/rv64gc.insn (the generated InsnDecoder).
 */
final class Decoder {
    private Decoder() {}

    /** True when the low half-word starts a 16-bit instruction (bits 1:0 ≠ 11). */
    static boolean isCompressed(int lowHalf) { return (lowHalf & 3) != 3; }

    static long ill(int raw, boolean c) { return pack(ILLEGAL, 0, 0, 0, raw, c); }

    /** Integer destinations: x0 becomes the sink register 32. */
    static int xd(int rd) { return rd == 0 ? 32 : rd; }

    /** A 32-bit instruction: from the encodings of src/main/insn/rv64gc.insn (the generated InsnDecoder). */
    static long decode32(int i) {
        return InsnDecoder.decode32(i);
    }

    /** A 16-bit instruction: its RVC expansion, from the compressed encodings of rv64gc.insn (InsnDecoder). */
    static long decode16(int i) {
        return InsnDecoder.decode16(i);
    }
}
