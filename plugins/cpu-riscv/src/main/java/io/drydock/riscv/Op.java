package io.drydock.riscv;

/**
 * Decoded operation numbers and the packed form of a decoded instruction (one {@code long} per half-word
 * slot of a code page, see {@link Decoder}).
 *
 * <pre>
 *  bits  0..6   op (this class)  bit 7: compressed (see C)  bit 9: 1 = compressed (2 bytes), 0 = 4 bytes
 *  bits 10..15  rd (integer rd 0 is stored as 32, a write-only sink, so x0 stays 0 without a check)
 *  bits 16..20  rs1                        bits 21..25  rs2
 *  bits 32..63  imm (sign-extended immediate; the CSR number; the raw instruction for FP/AMO/ILLEGAL)
 * </pre>
 * A slot holding 0 has not been decoded yet.
 */
final class Op {
    private Op() {}

    static final int UNDECODED = 0, CROSS = 1, ILLEGAL = 2;
    static final int LUI = 3, AUIPC = 4, JAL = 5, JALR = 6;
    static final int BEQ = 7, BNE = 8, BLT = 9, BGE = 10, BLTU = 11, BGEU = 12;
    static final int LB = 13, LH = 14, LW = 15, LD = 16, LBU = 17, LHU = 18, LWU = 19;
    static final int SB = 20, SH = 21, SW = 22, SD = 23;
    static final int ADDI = 24, SLTI = 25, SLTIU = 26, XORI = 27, ORI = 28, ANDI = 29, SLLI = 30, SRLI = 31, SRAI = 32;
    static final int ADD = 33, SUB = 34, SLL = 35, SLT = 36, SLTU = 37, XOR = 38, SRL = 39, SRA = 40, OR = 41, AND = 42;
    static final int ADDIW = 43, SLLIW = 44, SRLIW = 45, SRAIW = 46;
    static final int ADDW = 47, SUBW = 48, SLLW = 49, SRLW = 50, SRAW = 51;
    static final int MUL = 52, MULH = 53, MULHSU = 54, MULHU = 55, DIV = 56, DIVU = 57, REM = 58, REMU = 59;
    static final int MULW = 60, DIVW = 61, DIVUW = 62, REMW = 63, REMUW = 64;
    static final int FENCE = 65, FENCE_I = 66, ECALL = 67, EBREAK = 68, MRET = 69, SRET = 70, WFI = 71, SFENCE_VMA = 72;
    static final int CSRRW = 73, CSRRS = 74, CSRRC = 75, CSRRWI = 76, CSRRSI = 77, CSRRCI = 78;
    static final int LR_W = 79, SC_W = 80, AMO_W = 81, LR_D = 82, SC_D = 83, AMO_D = 84;
    static final int FLW = 85, FLD = 86, FSW = 87, FSD = 88;
    /** Any other F/D instruction; imm holds the raw instruction and {@link Fpu} decodes it. */
    static final int FP = 89;
    /** addi rd, x0, imm (li) and add rd, x0, rs2 (mv): common enough to deserve their own cases. */
    static final int LI = 90, MV = 91;
    /** The two sentinel slots after a code page's 2048 half-word slots: pc left the page sequentially. */
    static final int PAGE_END = 92;
    static final int COUNT = 93;

    static final int C_BIT = 1 << 9;
    /**
     * Added to the op of a compressed instruction in the dispatch number ({@link #dispatch}): the interpreter
     * has separate cases for 2-byte forms, so the next pc is pc + constant in each case instead of depending
     * on the loaded instruction word (a serial load → length → pc → load chain that halves throughput).
     */
    static final int C = 0x80;

    /** The operation, whatever the length. */
    static int op(long w) { return (int) w & 0x7f; }

    /** The interpreter's switch value: op, plus {@link #C} for compressed encodings. */
    static int dispatch(long w) { return (int) w & 0xff; }
    static int rd(long w) { return (int) (w >>> 10) & 63; }
    static int rs1(long w) { return (int) (w >>> 16) & 31; }
    static int rs2(long w) { return (int) (w >>> 21) & 31; }
    static int imm(long w) { return (int) (w >> 32); }
    /** Instruction length in bytes: 2 or 4. */
    static int len(long w) { return 4 - (((int) w >>> 8) & 2); }

    static long pack(int op, int rd, int rs1, int rs2, int imm, boolean compressed) {
        return (op & 0x7fL) | (compressed ? C_BIT | C : 0) | ((long) (rd & 63) << 10) | ((long) (rs1 & 31) << 16)
                | ((long) (rs2 & 31) << 21) | ((long) imm << 32);
    }
}
