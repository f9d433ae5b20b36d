package io.drydock.riscv;

/** Encoders for the few instruction formats the unit tests assemble by hand (unpriv 20191213 §2.2–2.3). */
final class Asm {
    private Asm() {}

    static int r(int f7, int rs2, int rs1, int f3, int rd, int opc) { return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc; }
    static int i(int imm, int rs1, int f3, int rd, int opc) { return (imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc; }
    static int s(int imm, int rs2, int rs1, int f3, int opc) { return ((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | opc; }

    static int addi(int rd, int rs1, int imm) { return i(imm & 0xfff, rs1, 0, rd, 0x13); }
    static int op(int f7, int f3, int rd, int rs1, int rs2) { return r(f7, rs2, rs1, f3, rd, 0x33); }
    static int op32(int f7, int f3, int rd, int rs1, int rs2) { return r(f7, rs2, rs1, f3, rd, 0x3b); }
    static int ld(int rd, int rs1, int imm) { return i(imm & 0xfff, rs1, 3, rd, 0x03); }
    static int sd(int rs2, int rs1, int imm) { return s(imm, rs2, rs1, 3, 0x23); }
    static int amo(int f5, boolean d, int rd, int rs1, int rs2) { return r(f5 << 2, rs2, rs1, d ? 3 : 2, rd, 0x2f); }
    static int csrrw(int rd, int csr, int rs1) { return i(csr, rs1, 1, rd, 0x73); }
    static int csrrs(int rd, int csr, int rs1) { return i(csr, rs1, 2, rd, 0x73); }
    static final int ECALL = 0x73, MRET = 0x30200073, WFI = 0x10500073;
}
