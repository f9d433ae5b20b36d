package io.drydock.riscv;

import static io.drydock.riscv.Csr.*;
import static io.drydock.riscv.Op.*;

/**
 * Instructions that end an interpreter block: Zicsr, ECALL/EBREAK, xRET, WFI, FENCE.I, SFENCE.VMA. Run
 * with the hart's pc and counters in its fields; they set pc and retire themselves, take their trap (ECALL,
 * EBREAK), or throw a {@link Trap}, leaving pc at the instruction.
 */
final class SystemOps {
    private SystemOps() {}

    /**
     * Executes the system instruction {@code w} at {@code h.pc}. True when the interpreter's run may go on after it:
     * a CSR access that changes nothing an interrupt, the translation context or a code page depends on
     * ({@link Csrs#execute}); every other one ends the run, so the hart checks interrupts next.
     */
    static boolean execute(Hart h, long w) {
        long next = h.pc + len(w);
        switch (op(w)) {
            case CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI -> {
                boolean quiet = Csrs.execute(h, w);
                h.pc = next;
                h.instret++;
                return quiet;
            }
            // ECALL and EBREAK trap by design: taken here (xepc = this pc, nothing retired), not thrown — a Trap thrown
            // through HotSpot's compiled frames costs its exception unwinding on every system call
            case ECALL -> {
                h.enterTrap(h.priv == PRIV_M ? Trap.ECALL_M : h.priv == PRIV_S ? Trap.ECALL_S : Trap.ECALL_U, false, 0);
                return false;
            }
            // EBREAK: mtval = 0, as QEMU 7.2 does (priv 1.12 §3.1.16 allows the pc or 0)
            case EBREAK -> {
                h.enterTrap(Trap.BREAKPOINT, false, 0);
                return false;
            }
            case MRET -> {
                if (h.priv != PRIV_M) throw h.illegal(0x30200073);
                h.mret();
                h.instret++;
                return false;
            }
            case SRET -> {
                // §3.1.6.5: TSR makes sret in S-mode illegal
                if (h.priv == PRIV_U || (h.priv == PRIV_S && (h.mstatus & TSR) != 0)) throw h.illegal(0x10200073);
                h.sret();
                h.instret++;
                return false;
            }
            case WFI -> {
                // §3.1.6.5: TW makes WFI illegal below M; U-mode WFI is illegal when S exists
                if (h.priv == PRIV_U || (h.priv == PRIV_S && (h.mstatus & TW) != 0)) throw h.illegal(0x10500073);
                h.waitingForInterrupt = true;
            }
            case FENCE_I -> h.mmu.flushCode();
            case SFENCE_VMA -> {
                if (h.priv == PRIV_U || (h.priv == PRIV_S && (h.mstatus & TVM) != 0)) throw h.illegal(h.mmu.fetchRaw(h.pc));
                // §4.2.1: rs1 = x0 every address, else that address; rs2 = x0 every ASID, else the ASID in rs2
                h.mmu.fence(rs1(w) == 0, h.x[rs1(w)], rs2(w) == 0, h.x[rs2(w)]);
            }
            default -> throw new IllegalStateException("not a system op: " + op(w));
        }
        h.pc = next;
        h.instret++;
        return false;
    }
}
