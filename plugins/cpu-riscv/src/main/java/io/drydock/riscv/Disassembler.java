package io.drydock.riscv;

import static io.drydock.riscv.Op.*;

/**
 * Text for RV64GC instructions with ABI register names, in the style of GNU objdump: compressed
 * instructions print as the base instruction they expand to (objdump does the same), and common aliases
 * (li, mv, ret, j, nop) are used. Works from {@link Decoder}'s output, so what it prints is what the hart
 * executes.
 */
public final class Disassembler {
    /** The ABI name of integer register {@code i} (0..31). */
    public static String xName(int i) { return X[i]; }

    /** The ABI name of FP register {@code i} (0..31). */
    public static String fName(int i) { return F[i]; }

    private Disassembler() {}

    static final String[] X = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
            "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6", "zero"};
    static final String[] F = {"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
            "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11",
            "ft8", "ft9", "ft10", "ft11"};
    private static final String[] RM = {"rne", "rtz", "rdn", "rup", "rmm", "rm5", "rm6", "dyn"};
    /** An fcvt's integer type (its rs2 field). */
    static final String[] IW = {"w", "wu", "l", "lu"};
    static final String[] AMO = new String[32];
    static {
        AMO[0] = "amoadd"; AMO[1] = "amoswap"; AMO[4] = "amoxor"; AMO[8] = "amoor"; AMO[12] = "amoand";
        AMO[16] = "amomin"; AMO[20] = "amomax"; AMO[24] = "amominu"; AMO[28] = "amomaxu";
    }

    /** The instruction whose low half-word is {@code lo} and (if 32-bit) high half-word {@code hi}, at {@code pc}. */
    public static String disassemble(long pc, int bits) {
        boolean c = Decoder.isCompressed(bits & 0xffff);
        long w = c ? Decoder.decode16(bits & 0xffff) : Decoder.decode32(bits);
        return text(pc, w, c ? bits & 0xffff : bits);
    }

    /** The text of decoded word w: rv64gc.insn's disassembly forms (the generated InsnText). */
    static String text(long pc, long w, int raw) {
        return InsnText.text(pc, w, raw);
    }

    static String hex(long v) { return "0x" + Long.toHexString(v); }

    /** An F/D instruction's rounding mode as objdump prints it: ", rtz" etc., nothing for DYN (the default). */
    static String rmText(int insn) {
        int f3 = (insn >> 12) & 7;
        return f3 == 7 ? "" : ", " + RM[f3];
    }
}
