package io.drydock.riscv;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Encodings (checked against GNU objdump 2.40) and their text. */
class DisassemblerTest {
    record Case(int bits, String text) {}

    @TestFactory
    Stream<DynamicTest> knownEncodings() {
        return Stream.of(
                new Case(0x00000297, "auipc t0, 0x0"),
                new Case(0xf1402573, "csrrs a0, mhartid, zero"),
                new Case(0x0202b583, "ld a1, 32(t0)"),
                new Case(0x00028067, "jalr zero, 0(t0)"),
                new Case(0x00008067, "ret"),
                new Case(0x1141, "addi sp, sp, -16"),          // c.addi16sp... objdump: addi sp,sp,-16
                new Case(0xe406, "sd ra, 8(sp)"),              // c.sdsp
                new Case(0x4685, "li a3, 1"),                  // c.li
                new Case(0x8ba1, "andi a5, a5, 8"),            // c.andi
                new Case(0x00d5302f, "amoadd.d zero, a3, (a0)"),
                new Case(0x1005b7af, "lr.d a5, (a1)"),
                new Case(0x18d5b7af, "sc.d a5, a3, (a1)"),
                new Case(0x02b50533, "mul a0, a0, a1"),
                new Case(0x02c5f553, "fadd.d fa0, fa1, fa2"),
                new Case(0x7ac5f543, "fmadd.d fa0, fa1, fa2, fa5"),
                new Case(0xc2059553, "fcvt.w.d a0, fa1, rtz"),
                new Case(0x10500073, "wfi"),
                new Case(0x30200073, "mret"),
                new Case(0x0000, ".insn 0x0  # illegal")
        ).map(c -> DynamicTest.dynamicTest(String.format("%08x", c.bits()),
                () -> assertEquals(c.text(), Disassembler.disassemble(0x80000000L, c.bits()))));
    }
}
