package io.drydock.riscv;

/**
 * Decoded operation numbers and the packed form of a decoded instruction (one {@code long} per half-word
 * slot of a code page, see {@link Decoder}).
 *
 * <pre>
 *  bits  0..6   op (this class)  bit 7: compressed (see C)  bit 9: 1 = compressed (2 bytes), 0 = 4 bytes
 *  bits 10..15  rd (integer rd 0 is stored as 32, a write-only sink, so x0 stays 0 without a check)
 *  bits 16..20  rs1                        bits 21..25  rs2
 *  bits 32..63  imm (sign-extended immediate; the CSR number; funct5 of an AMO; the raw instruction of an F/D operation or ILLEGAL)
 * </pre>
 * A slot holding 0 has not been decoded yet ({@code UNDECODED}); {@code CROSS} marks a 4-byte instruction
 * that crosses into the next page, {@code ILLEGAL} one that does not decode, {@code PAGE_END} the two sentinel
 * slots after a page's 2048 half-word slots (pc left the page sequentially).
 */
final class Op extends OpNumbers {
    private Op() {}

    // The op numbers (LUI, ADD, ..., COUNT) are generated from src/main/insn/rv64gc.insn into OpNumbers, in
    // the table's order; Op.* names them through inheritance.

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
