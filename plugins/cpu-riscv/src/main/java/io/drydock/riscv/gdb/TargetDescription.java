package io.drydock.riscv.gdb;

import io.drydock.riscv.Disassembler;
import io.drydock.riscv.Hart;

/**
 * The target description gdb reads with {@code qXfer:features:read:target.xml} (gdb manual, "Target
 * Descriptions" and "RISC-V Features"): the features org.gnu.gdb.riscv.cpu (x0–x31 by ABI name, pc),
 * .fpu (f0–f31, fflags, frm, fcsr), .csr and .virtual (priv), with the remote register numbers this stub
 * answers {@code p}/{@code P} for — gdb's own RISC-V numbering: x0–x31 = 0–31, pc = 32, f0–f31 = 33–64,
 * CSR n = 65 + n, priv = 65 + 4096.
 */
final class TargetDescription {
    private TargetDescription() {}

    static final int PC = 32, FIRST_FP = 33, FIRST_CSR = 65, PRIV = FIRST_CSR + 4096;
    static final int FFLAGS = 1, FRM = 2, FCSR = 3;

    static final String XML = build();

    private static String build() {
        StringBuilder sb = new StringBuilder("""
                <?xml version="1.0"?>
                <!DOCTYPE target SYSTEM "gdb-target.dtd">
                <target version="1.0">
                <architecture>riscv:rv64</architecture>
                <feature name="org.gnu.gdb.riscv.cpu">
                """);
        for (int i = 0; i < 32; i++) {
            String type = i == 1 ? "code_ptr" : i == 2 || i == 3 || i == 4 || i == 8 ? "data_ptr" : "int";
            reg(sb, i == 8 ? "fp" : Disassembler.xName(i), 64, type, i); // s0 as gdb's own 64bit-cpu.xml names it
        }
        reg(sb, "pc", 64, "code_ptr", PC);
        sb.append("""
                </feature>
                <feature name="org.gnu.gdb.riscv.fpu">
                <union id="riscv_double"><field name="float" type="ieee_single"/><field name="double" type="ieee_double"/></union>
                """);
        for (int i = 0; i < 32; i++) reg(sb, Disassembler.fName(i), 64, "riscv_double", FIRST_FP + i);
        reg(sb, "fflags", 32, "int", FIRST_CSR + FFLAGS);
        reg(sb, "frm", 32, "int", FIRST_CSR + FRM);
        reg(sb, "fcsr", 32, "int", FIRST_CSR + FCSR);
        sb.append("</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n");
        for (int c : Hart.debugCsrs()) reg(sb, Hart.csrName(c), 64, "int", FIRST_CSR + c);
        sb.append("</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n");
        reg(sb, "priv", 64, "int", PRIV);
        sb.append("</feature>\n</target>\n");
        return sb.toString();
    }

    private static void reg(StringBuilder sb, String name, int bits, String type, int regnum) {
        sb.append("<reg name=\"").append(name).append("\" bitsize=\"").append(bits).append("\" type=\"").append(type)
                .append("\" regnum=\"").append(regnum).append("\"/>\n");
    }

    /** Bytes of register {@code regnum} in packets (gdb sends and expects target byte order: little-endian). */
    static int size(int regnum) {
        return regnum == FIRST_CSR + FFLAGS || regnum == FIRST_CSR + FRM || regnum == FIRST_CSR + FCSR ? 4 : 8;
    }
}
