package io.drydock.riscv;

import static io.drydock.riscv.Op.*;

/**
 * Decodes one RV64GC instruction into the packed form of {@link Op}. Pure and stateless: whether an
 * instruction is legal in the current privilege or FP state is checked at execution, not here.
 * Compressed instructions expand to their base equivalents (RVC chapter "Compressed Instruction Formats"),
 * written here by hand; 32-bit instructions are decoded from the encodings of src/main/insn/rv64gc.insn.
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

    static long decode16(int i) {
        i &= 0xffff;
        int q = i & 3, f3 = i >>> 13;
        int rdp = 8 + ((i >> 2) & 7), rs1p = 8 + ((i >> 7) & 7);
        int rd = (i >> 7) & 31, rs2 = (i >> 2) & 31;
        int imm6 = (((i >> 12) & 1) != 0 ? -32 : 0) | ((i >> 2) & 31); // imm[5] = bit 12, imm[4:0] = bits 6:2
        if (i == 0) return ill(i, true); // the all-zero half-word is defined illegal (RVC §"Illegal instruction")
        switch (q) {
            case 0: switch (f3) {
                case 0: {
                    int nz = (((i >> 7) & 0xf) << 6) | (((i >> 11) & 3) << 4) | (((i >> 5) & 1) << 3) | (((i >> 6) & 1) << 2);
                    return nz == 0 ? ill(i, true) : pack(ADDI, rdp, 2, 0, nz, true);
                }
                case 1: return pack(FLD, rdp, rs1p, 0, ldOff(i), true);
                case 2: return pack(LW, rdp, rs1p, 0, lwOff(i), true);
                case 3: return pack(LD, rdp, rs1p, 0, ldOff(i), true);
                case 5: return pack(FSD, 0, rs1p, rdp, ldOff(i), true);
                case 6: return pack(SW, 0, rs1p, rdp, lwOff(i), true);
                case 7: return pack(SD, 0, rs1p, rdp, ldOff(i), true);
                default: return ill(i, true);
            }
            case 1: switch (f3) {
                case 0: return pack(ADDI, xd(rd), rd, 0, imm6, true); // c.nop / c.addi (hints keep x0 unchanged)
                case 1: return rd == 0 ? ill(i, true) : pack(ADDIW, rd, rd, 0, imm6, true);
                case 2: return pack(LI, xd(rd), 0, 0, imm6, true);
                case 3: {
                    if (rd == 2) {
                        int nz = (((i >> 12) & 1) != 0 ? -512 : 0) | (((i >> 3) & 3) << 7) | (((i >> 5) & 1) << 6)
                                | (((i >> 2) & 1) << 5) | (((i >> 6) & 1) << 4);
                        return nz == 0 ? ill(i, true) : pack(ADDI, 2, 2, 0, nz, true);
                    }
                    return imm6 == 0 ? ill(i, true) : pack(LUI, xd(rd), 0, 0, imm6 << 12, true);
                }
                case 4: {
                    int f2 = (i >> 10) & 3;
                    int sh = (((i >> 12) & 1) << 5) | ((i >> 2) & 31);
                    switch (f2) {
                        case 0: return pack(SRLI, rs1p, rs1p, 0, sh, true);
                        case 1: return pack(SRAI, rs1p, rs1p, 0, sh, true);
                        case 2: return pack(ANDI, rs1p, rs1p, 0, imm6, true);
                        default: {
                            int f = (i >> 5) & 3;
                            if (((i >> 12) & 1) == 0) {
                                int op = switch (f) { case 0 -> SUB; case 1 -> XOR; case 2 -> OR; default -> AND; };
                                return pack(op, rs1p, rs1p, rdp, 0, true);
                            }
                            return f == 0 ? pack(SUBW, rs1p, rs1p, rdp, 0, true) : f == 1 ? pack(ADDW, rs1p, rs1p, rdp, 0, true) : ill(i, true);
                        }
                    }
                }
                case 5: {
                    int off = (((i >> 12) & 1) != 0 ? -2048 : 0) | (((i >> 8) & 1) << 10) | (((i >> 9) & 3) << 8)
                            | (((i >> 6) & 1) << 7) | (((i >> 7) & 1) << 6) | (((i >> 2) & 1) << 5)
                            | (((i >> 11) & 1) << 4) | (((i >> 3) & 7) << 1);
                    return pack(JAL, 32, 0, 0, off, true);
                }
                default: {
                    int off = (((i >> 12) & 1) != 0 ? -256 : 0) | (((i >> 5) & 3) << 6) | (((i >> 2) & 1) << 5)
                            | (((i >> 10) & 3) << 3) | (((i >> 3) & 3) << 1);
                    return pack(f3 == 6 ? BEQ : BNE, 0, rs1p, 0, off, true);
                }
            }
            default: switch (f3) {
                case 0: return pack(SLLI, xd(rd), rd, 0, (((i >> 12) & 1) << 5) | rs2, true);
                case 1: return pack(FLD, rd, 2, 0, ldspOff(i), true);
                case 2: return rd == 0 ? ill(i, true)
                        : pack(LW, rd, 2, 0, (((i >> 12) & 1) << 5) | (((i >> 4) & 7) << 2) | (((i >> 2) & 3) << 6), true);
                case 3: return rd == 0 ? ill(i, true) : pack(LD, rd, 2, 0, ldspOff(i), true);
                case 4: {
                    boolean b12 = ((i >> 12) & 1) != 0;
                    if (!b12) {
                        if (rs2 == 0) return rd == 0 ? ill(i, true) : pack(JALR, 32, rd, 0, 0, true);
                        return pack(MV, xd(rd), 0, rs2, 0, true);
                    }
                    if (rs2 == 0) return rd == 0 ? pack(EBREAK, 32, 0, 0, 0, true) : pack(JALR, 1, rd, 0, 0, true);
                    return pack(ADD, xd(rd), rd, rs2, 0, true);
                }
                case 5: return pack(FSD, 0, 2, rs2, sdspOff(i), true);
                case 6: return pack(SW, 0, 2, rs2, (((i >> 9) & 0xf) << 2) | (((i >> 7) & 3) << 6), true);
                default: return pack(SD, 0, 2, rs2, sdspOff(i), true);
            }
        }
    }

    private static int lwOff(int i) { return (((i >> 10) & 7) << 3) | (((i >> 6) & 1) << 2) | (((i >> 5) & 1) << 6); }
    private static int ldOff(int i) { return (((i >> 10) & 7) << 3) | (((i >> 5) & 3) << 6); }
    private static int ldspOff(int i) { return (((i >> 12) & 1) << 5) | (((i >> 5) & 3) << 3) | (((i >> 2) & 7) << 6); }
    private static int sdspOff(int i) { return (((i >> 10) & 7) << 3) | (((i >> 7) & 7) << 6); }
}
