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

// Signal numbers for a fatal trap, as Linux reports them: SIGILL, SIGTRAP, SIGBUS, SIGSEGV.
static int trap_signal(u64 cause) { return cause == 2 ? 4 : cause == 3 ? 5 : (cause == 4 || cause == 6) ? 7 : 11; }

// Every trap from U-mode: take the big kernel lock, handle the trap, then leave through the checks
// every return to user mode makes (process exiting, pending signals, preemption).
struct trapframe *trap_user(struct trapframe *tf) {
  u64 cause = csr_read(mcause), tval = csr_read(mtval);
  struct cpu *c = cpu_this();
  ipi_service(c);
  klock();
  struct thread *t = c->cur;
  if (cause >> 63) {
    u64 code = cause & 0xff;
    if (code == 11 && c->hartid == 0) plic_dispatch();
    else if (code == 7) sched_timer_tick();
  } else if (cause == 8) {  // ecall from U-mode
    tf->pc += 4;
    syscall_dispatch(tf);
  } else if ((cause == 12 || cause == 13 || cause == 15) &&
             vm_handle_fault(t->proc, tval, cause == 15, cause == 12)) {
    // demand page filled (or a stale TLB entry refreshed)
  } else {
    signal_fault(t, trap_signal(cause), cause, tval);
  }
  return trap_return(t);
}

// The way back to user mode for a thread in the kernel.
struct trapframe *trap_return(struct thread *t) {
  struct cpu *c = cpu_this();
  for (;;) {
    if (t->proc->exiting) thread_exit();
    if (signal_deliver(t)) continue;
    if (c->resched) {
      c->resched = false;
      sched_yield_now();
      c = cpu_this();
      continue;
    }
    break;
  }
  return return_to_user(t);
}

// The default action of a fatal signal caused by a trap: a report, then the process ends with
// 128 + signal (as a shell shows a signal death).
void fault_report(struct thread *t, int sig, u64 cause, u64 tval) {
  kprintf("\n%s: fatal trap: mcause=%lx (%s) pc=%lx tval=%lx (signal %d, thread %d)\n", t->proc->exe,
          (unsigned long)cause, cause_name(cause), (unsigned long)t->tf.pc, (unsigned long)tval, sig, t->tid);
  dump_regs(&t->tf);
}
