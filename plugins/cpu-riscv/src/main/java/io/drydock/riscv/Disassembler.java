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

    /** An OP-FP / FMA instruction from its raw bits (the Fpu decodes these; rv64gc.insn has them as one op, FP). */
    static String fp(int i) {
        int opc = i & 0x7f, rd = (i >> 7) & 31, f3 = (i >> 12) & 7, rs1 = (i >> 15) & 31, rs2 = (i >> 20) & 31;
        String t = ((i >> 25) & 3) == 1 ? ".d" : ".s";
        String rm = f3 == 7 ? "" : ", " + RM[f3];
        if (opc != 0x53) {
            String m = switch (opc) { case 0x43 -> "fmadd"; case 0x47 -> "fmsub"; case 0x4b -> "fnmsub"; default -> "fnmadd"; };
            return m + t + " " + F[rd] + ", " + F[rs1] + ", " + F[rs2] + ", " + F[i >>> 27] + rm;
        }
        String[] iw = {"w", "wu", "l", "lu"};
        return switch (i >>> 27) {
            case 0x00 -> "fadd" + t + " " + F[rd] + ", " + F[rs1] + ", " + F[rs2] + rm;
            case 0x01 -> "fsub" + t + " " + F[rd] + ", " + F[rs1] + ", " + F[rs2] + rm;
            case 0x02 -> "fmul" + t + " " + F[rd] + ", " + F[rs1] + ", " + F[rs2] + rm;
            case 0x03 -> "fdiv" + t + " " + F[rd] + ", " + F[rs1] + ", " + F[rs2] + rm;
            case 0x0b -> "fsqrt" + t + " " + F[rd] + ", " + F[rs1] + rm;
            case 0x04 -> new String[]{"fsgnj", "fsgnjn", "fsgnjx", "?", "?", "?", "?", "?"}[f3] + t + " " + F[rd] + ", " + F[rs1] + ", " + F[rs2];
            case 0x05 -> (f3 == 0 ? "fmin" : "fmax") + t + " " + F[rd] + ", " + F[rs1] + ", " + F[rs2];
            case 0x08 -> "fcvt" + t + (t.equals(".d") ? ".s " : ".d ") + F[rd] + ", " + F[rs1] + rm;
            case 0x14 -> new String[]{"fle", "flt", "feq", "?", "?", "?", "?", "?"}[f3] + t + " " + X[rd] + ", " + F[rs1] + ", " + F[rs2];
            case 0x18 -> "fcvt." + iw[rs2 & 3] + t + " " + X[rd] + ", " + F[rs1] + rm;
            case 0x1a -> "fcvt" + t + "." + iw[rs2 & 3] + " " + F[rd] + ", " + X[rs1] + rm;
            case 0x1c -> (f3 == 0 ? "fmv.x" + (t.equals(".d") ? ".d " : ".w ") : "fclass" + t + " ") + X[rd] + ", " + F[rs1];
            case 0x1e -> "fmv" + (t.equals(".d") ? ".d" : ".w") + ".x " + F[rd] + ", " + X[rs1];
            default -> String.format(".insn 0x%08x  # illegal", i);
        };
    }
}
