// trap.c — M-mode trap handling (privileged spec §3.1.15 mcause, §3.3 traps). Traps from the
// app (U-mode): ecalls become Linux system calls, page faults fill demand-zero pages, external
// and timer interrupts are dispatched; any other trap ends the app. Traps in the kernel are fatal:
// a panic with cause, pc, tval and all registers, then the test finisher exits non-zero.
#include "proc.h"

static const char *cause_name(u64 c) {
  static const char *exc[] = {"instruction address misaligned", "instruction access fault", "illegal instruction",
                              "breakpoint", "load address misaligned", "load access fault",
                              "store/AMO address misaligned", "store/AMO access fault", "ecall from U-mode",
                              "ecall from S-mode", "reserved", "ecall from M-mode", "instruction page fault",
                              "load page fault", "reserved", "store/AMO page fault"};
  if (c >> 63) {
    switch (c & 0xff) {
      case 3: return "machine software interrupt";
      case 7: return "machine timer interrupt";
      case 11: return "machine external interrupt";
      default: return "interrupt";
    }
  }
  return c < ARRAY_SIZE(exc) ? exc[c] : "unknown";
}

static const char *regname[32] = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
                                   "a1",   "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
                                   "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

void dump_regs(const struct trapframe *tf) {
  for (int i = 1; i < 32; i++) kprintf("  %-4s %016lx%s", regname[i], (unsigned long)tf->x[i], i % 4 == 3 ? "\n" : "");
  kprintf("\n");
}

void trap_kernel(struct trapframe *tf) {
  u64 cause = csr_read(mcause), tval = csr_read(mtval);
  kprintf("\nPANIC: kernel trap: mcause=%lx (%s) mepc=%lx mtval=%lx mstatus=%lx\n", (unsigned long)cause,
          cause_name(cause), (unsigned long)tf->pc, (unsigned long)tval, (unsigned long)csr_read(mstatus));
  dump_regs(tf);
  machine_exit(EXIT_PANIC);
}

struct trapframe *trap_user(struct trapframe *tf) {
  u64 cause = csr_read(mcause);
  if (cause >> 63) {
    u64 code = cause & 0xff;
    if (code == 11)
      plic_dispatch();
    else if (code == 7)
      timer_irq();
    return &current->tf;
  }
  switch (cause) {
    case 8:  // ecall from U-mode
      tf->pc += 4;
      syscall_dispatch(tf);
      return &current->tf;
    case 12:
    case 13:
    case 15: {
      u64 va = csr_read(mtval);
      if (vm_handle_fault(current, va, cause == 15, cause == 12)) return &current->tf;
      break;
    }
    default:
      break;
  }
  u64 tval = csr_read(mtval);
  kprintf("\n%s: fatal trap: mcause=%lx (%s) pc=%lx tval=%lx\n", current->exe, (unsigned long)cause,
          cause_name(cause), (unsigned long)tf->pc, (unsigned long)tval);
  dump_regs(tf);
  // like a Linux shell reports a signal death: 128 + SIGSEGV / SIGILL / SIGBUS / SIGTRAP
  int sig = (cause == 2) ? 4 : (cause == 3) ? 5 : (cause == 4 || cause == 6) ? 7 : 11;
  return proc_exit(128 + sig);
}
