package io.drydock.riscv;

import static io.drydock.riscv.Op.*;

/**
 * Decodes one RV64GC instruction into the packed form of {@link Op}. Pure and stateless: whether an
 * instruction is legal in the current privilege or FP state is checked at execution, not here.
 * Compressed instructions expand to their base equivalents (RVC chapter "Compressed Instruction Formats").
 */
final class Decoder {
    private Decoder() {}

    /** True when the low half-word starts a 16-bit instruction (bits 1:0 ≠ 11). */
    static boolean isCompressed(int lowHalf) { return (lowHalf & 3) != 3; }

    private static long ill(int raw, boolean c) { return pack(ILLEGAL, 0, 0, 0, raw, c); }

    /** Integer destinations: x0 becomes the sink register 32. */
    private static int xd(int rd) { return rd == 0 ? 32 : rd; }

    private static long r(int op, int i) {
        return pack(op, xd((i >> 7) & 31), (i >> 15) & 31, (i >> 20) & 31, 0, false);
    }

    private static long iType(int op, int i, int imm) {
        return pack(op, xd((i >> 7) & 31), (i >> 15) & 31, 0, imm, false);
    }

    static long decode32(int i) {
        int rd = (i >> 7) & 31, f3 = (i >> 12) & 7, rs1 = (i >> 15) & 31, rs2 = (i >> 20) & 31, f7 = i >>> 25;
        int immI = i >> 20;
        int immS = ((i >> 25) << 5) | ((i >> 7) & 31);
        int immB = ((i >> 31) << 12) | (((i >> 7) & 1) << 11) | (((i >> 25) & 0x3f) << 5) | (((i >> 8) & 0xf) << 1);
        int immJ = ((i >> 31) << 20) | (((i >> 12) & 0xff) << 12) | (((i >> 20) & 1) << 11) | (((i >> 21) & 0x3ff) << 1);
        switch (i & 0x7f) {
            case 0x37: return pack(LUI, xd(rd), 0, 0, i & 0xfffff000, false);
            case 0x17: return pack(AUIPC, xd(rd), 0, 0, i & 0xfffff000, false);
            case 0x6f: return pack(JAL, xd(rd), 0, 0, immJ, false);
            case 0x67: return f3 == 0 ? iType(JALR, i, immI) : ill(i, false);
            case 0x63: {
                int op = switch (f3) { case 0 -> BEQ; case 1 -> BNE; case 4 -> BLT; case 5 -> BGE; case 6 -> BLTU; case 7 -> BGEU; default -> -1; };
                return op < 0 ? ill(i, false) : pack(op, 0, rs1, rs2, immB, false);
            }
            case 0x03: {
                int op = switch (f3) { case 0 -> LB; case 1 -> LH; case 2 -> LW; case 3 -> LD; case 4 -> LBU; case 5 -> LHU; case 6 -> LWU; default -> -1; };
                return op < 0 ? ill(i, false) : iType(op, i, immI);
            }
            case 0x23: {
                int op = switch (f3) { case 0 -> SB; case 1 -> SH; case 2 -> SW; case 3 -> SD; default -> -1; };
                return op < 0 ? ill(i, false) : pack(op, 0, rs1, rs2, immS, false);
            }
            case 0x13: {
                int sh = (i >> 20) & 63, f6 = i >>> 26;
                return switch (f3) {
                    case 0 -> rs1 == 0 ? iType(LI, i, immI) : iType(ADDI, i, immI);
                    case 1 -> f6 == 0 ? iType(SLLI, i, sh) : ill(i, false);
                    case 2 -> iType(SLTI, i, immI);
                    case 3 -> iType(SLTIU, i, immI);
                    case 4 -> iType(XORI, i, immI);
                    case 5 -> f6 == 0 ? iType(SRLI, i, sh) : f6 == 0x10 ? iType(SRAI, i, sh) : ill(i, false);
                    case 6 -> iType(ORI, i, immI);
                    default -> iType(ANDI, i, immI);
                };
            }
            case 0x1b: {
                int sh = (i >> 20) & 31;
                return switch (f3) {
                    case 0 -> iType(ADDIW, i, immI);
                    case 1 -> f7 == 0 ? iType(SLLIW, i, sh) : ill(i, false);
                    case 5 -> f7 == 0 ? iType(SRLIW, i, sh) : f7 == 0x20 ? iType(SRAIW, i, sh) : ill(i, false);
                    default -> ill(i, false);
                };
            }
            case 0x33: {
                int op = switch (f7) {
                    case 0 -> switch (f3) { case 0 -> rs1 == 0 ? MV : ADD; case 1 -> SLL; case 2 -> SLT; case 3 -> SLTU; case 4 -> XOR; case 5 -> SRL; case 6 -> OR; default -> AND; };
                    case 0x20 -> f3 == 0 ? SUB : f3 == 5 ? SRA : -1;
                    case 1 -> MUL + f3;
                    default -> -1;
                };
                return op < 0 ? ill(i, false) : r(op, i);
            }
            case 0x3b: {
                int op = switch (f7) {
                    case 0 -> f3 == 0 ? ADDW : f3 == 1 ? SLLW : f3 == 5 ? SRLW : -1;
                    case 0x20 -> f3 == 0 ? SUBW : f3 == 5 ? SRAW : -1;
                    case 1 -> switch (f3) { case 0 -> MULW; case 4 -> DIVW; case 5 -> DIVUW; case 6 -> REMW; case 7 -> REMUW; default -> -1; };
                    default -> -1;
                };
                return op < 0 ? ill(i, false) : r(op, i);
            }
            case 0x0f: return f3 == 0 ? pack(FENCE, 32, 0, 0, 0, false) : f3 == 1 ? pack(FENCE_I, 32, 0, 0, 0, false) : ill(i, false);
            case 0x73: {
                if (f3 == 0) {
                    if (i == 0x00000073) return pack(ECALL, 32, 0, 0, 0, false);
                    if (i == 0x00100073) return pack(EBREAK, 32, 0, 0, 0, false);
                    if (i == 0x30200073) return pack(MRET, 32, 0, 0, 0, false);
                    if (i == 0x10200073) return pack(SRET, 32, 0, 0, 0, false);
                    if (i == 0x10500073) return pack(WFI, 32, 0, 0, 0, false);
                    if (f7 == 0x09 && rd == 0) return pack(SFENCE_VMA, 32, rs1, rs2, 0, false);
                    return ill(i, false);
                }
                if (f3 == 4) return ill(i, false);
                int csr = (i >>> 20) & 0xfff;
                return pack(CSRRW + (f3 & 3) - 1 + (f3 >= 4 ? 3 : 0), xd(rd), rs1, 0, csr, false);
            }
            case 0x2f: {
                if (f3 != 2 && f3 != 3) return ill(i, false);
                boolean d = f3 == 3;
                int f5 = i >>> 27;
                if (f5 == 2) return rs2 == 0 ? pack(d ? LR_D : LR_W, xd(rd), rs1, 0, 0, false) : ill(i, false);
                if (f5 == 3) return pack(d ? SC_D : SC_W, xd(rd), rs1, rs2, 0, false);
                return switch (f5) {
                    case 0, 1, 4, 8, 12, 16, 20, 24, 28 -> pack(d ? AMO_D : AMO_W, xd(rd), rs1, rs2, f5, false);
                    default -> ill(i, false);
                };
            }
            case 0x07: return f3 == 2 ? pack(FLW, rd, rs1, 0, immI, false) : f3 == 3 ? pack(FLD, rd, rs1, 0, immI, false) : ill(i, false);
            case 0x27: return f3 == 2 ? pack(FSW, 0, rs1, rs2, immS, false) : f3 == 3 ? pack(FSD, 0, rs1, rs2, immS, false) : ill(i, false);
            case 0x43, 0x47, 0x4b, 0x4f, 0x53: return pack(FP, 0, 0, 0, i, false);
            default: return ill(i, false);
        }
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
