package io.drydock.riscv;

/**
 * The control-flow signal for a synchronous exception raised deep inside an instruction (a page fault in a
 * load, an illegal CSR access). One preallocated, stackless instance per hart: the cause and tval are in
 * the hart's fields; the interpreter catches it, leaves the faulting instruction unretired and takes the
 * trap. Never escapes the hart.
 */
final class Trap extends RuntimeException {
    Trap() { super("trap", null, false, false); }

    // mcause exception codes (priv 1.12 §3.1.15, table 3.6)
    static final int INSN_MISALIGNED = 0, INSN_ACCESS = 1, ILLEGAL = 2, BREAKPOINT = 3;
    static final int LOAD_MISALIGNED = 4, LOAD_ACCESS = 5, STORE_MISALIGNED = 6, STORE_ACCESS = 7;
    static final int ECALL_U = 8, ECALL_S = 9, ECALL_M = 11;
    static final int INSN_PAGE = 12, LOAD_PAGE = 13, STORE_PAGE = 15;
}
