package io.drydock.riscv;

import org.junit.jupiter.api.Test;

import static io.drydock.riscv.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSR rules that Linux depends on: the mip/sip read-modify-write, and the inspector's view with FS Off. */
class CsrTest extends BareHartTest {
    void load(int... words) {
        for (int k = 0; k < words.length; k++) bus.write(BASE + 4L * k, 4, words[k]);
        h.reset();
    }

    static int csrrc(int rd, int csr, int rs1) { return i(csr, rs1, 3, rd, 0x73); }

    @Test
    void csrrsOnMipDoesNotLatchThePlicsSeip() {
        // priv 1.12 §3.1.9: only the software-writable SEIP bit takes part in CSRRS/CSRRC
        load(csrrs(3, Csr.MIP, 1), csrrc(4, Csr.MIP, 2));
        h.setX(1, Csr.SSIP);
        h.setX(2, Csr.SSIP);
        h.setInterrupt(Csr.SEIP, true);             // the PLIC raises the S-mode external line
        h.step(1);
        assertEquals(Csr.SEIP, h.x(3) & Csr.SEIP, "the read value shows the PLIC's SEIP");
        assertEquals(Csr.SSIP, h.mipSoft, "CSRRS set SSIP and nothing else in the software bits");
        h.setInterrupt(Csr.SEIP, false);            // the PLIC drops it (claim)
        assertEquals(0, h.mip() & Csr.SEIP, "SEIP follows the PLIC once it drops");
        h.step(1);
        assertEquals(0, h.mipSoft);
        assertEquals(0, h.mip() & Csr.SEIP);
    }

    @Test
    void csrrcOnMipKeepsASoftwareSeipThatWasWritten() {
        load(csrrs(0, Csr.MIP, 1), csrrc(0, Csr.MIP, 2));
        h.setX(1, Csr.SEIP);
        h.setX(2, Csr.SSIP);
        h.step(1);
        h.setInterrupt(Csr.SEIP, true);
        h.step(1);
        h.setInterrupt(Csr.SEIP, false);
        assertEquals(Csr.SEIP, h.mip() & Csr.SEIP, "the software SEIP written by M-mode stays");
    }

    @Test
    void csrrsOnSipFromSupervisorDoesNotLatchSeip() {
        load(csrrs(3, Csr.SIP, 1));
        h.mideleg = Csr.S_INTERRUPTS;
        h.mstatus = (h.mstatus & ~Csr.MPP) | (1L << 11); // MPP = S
        h.mepc = BASE;
        h.mret();
        h.setX(1, Csr.SSIP);
        h.setInterrupt(Csr.SEIP, true);
        h.step(1);
        assertEquals(Csr.PRIV_S, h.privilege());
        assertEquals(Csr.SEIP, h.x(3) & Csr.SEIP, "sip shows the PLIC's SEIP");
        h.setInterrupt(Csr.SEIP, false);
        assertEquals(Csr.SSIP, h.mip() & (Csr.SEIP | Csr.SSIP));
    }

    @Test
    void inspectorListsCsrsWithFsOff() {
        h.reset();
        h.mstatus &= ~Csr.FS;
        h.fpu.frm = 2;
        h.fpu.fflags = 1;
        String listing = new Inspector(h).csrs();
        assertTrue(listing.contains("fcsr      0000000000000041  (mstatus.FS Off)"), listing);
        assertEquals(0x41, new Inspector(h).csr("fcsr").value());
        assertEquals(0, h.mstatus & Csr.FS, "reading does not turn FP on");
    }

    @Test
    void aQuietCsrWriteKeepsTheRunGoingAndStepStaysExact() {
        // mscratch is quiet (Csrs.quiet): the interpreter's run goes on after it, within the budget step(n) gives
        load(csrrw(0, Csr.MSCRATCH, 1), addi(2, 2, 1), csrrs(3, Csr.MSCRATCH, 0), addi(2, 2, 1), addi(2, 2, 1));
        h.setX(1, 0x1234);
        assertEquals(3, h.step(3));
        assertEquals(BASE + 12, h.pc());
        assertEquals(1, h.x(2));
        assertEquals(0x1234, h.x(3));
        assertEquals(3, h.instructionsRetired());
    }

    @Test
    void anMieWriteThatEnablesAPendingInterruptIsTakenBeforeTheNextInstruction() {
        // priv 1.12 §3.1.9: not quiet, so the run ends and the hart checks interrupts before the addi
        load(csrrs(0, Csr.MIE, 1), addi(2, 2, 1));
        bus.write(BASE + 0x100, 4, addi(0, 0, 0)); // the handler: a nop
        h.mtvec = BASE + 0x100;
        h.mstatus |= Csr.MIE_BIT;
        h.setX(1, Csr.MSIP);
        h.setInterrupt(Csr.MSIP, true);
        h.step(2);
        assertEquals(0, h.x(2), "the addi did not run");
        assertEquals(BASE + 4, h.mepc);
        assertEquals((1L << 63) | 3, h.mcause);
    }
}
