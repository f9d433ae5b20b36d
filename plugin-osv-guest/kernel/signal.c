// signal.c — POSIX signals within one process (man 7 signal): actions (rt_sigaction), per-thread
// masks (rt_sigprocmask), kill/tkill/tgkill to the process itself, delivery to a handler on the
// thread's stack (or its sigaltstack) with the Linux riscv64 frame (arch/riscv/include/uapi/asm/
// ucontext.h, sigcontext.h: siginfo 128 bytes, then ucontext with uc_mcontext at +176), and
// rt_sigreturn through a trampoline page the kernel maps at USER_STACK_TOP (riscv64 Linux uses its
// vDSO there; glibc passes no sa_restorer). Default actions: ignore SIGCHLD/SIGCONT/SIGURG/SIGWINCH,
// otherwise end the process with 128 + signal; a trap's signal (SIGSEGV...) prints a report first.
#include "syscall.h"

#define SIG_DFL 0
#define SIG_IGN 1
#define SA_SIGINFO 4
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SIGKILL 9
#define SIGSTOP 19
#define FRAME_SIZE 1088  // siginfo 128 + ucontext (176 + sigcontext 256 + 528)
#define UC 128
#define UC_STACK (UC + 16)
#define UC_SIGMASK (UC + 40)
#define UC_REGS (UC + 176)
#define UC_FP (UC_REGS + 256)

void fault_report(struct thread *t, int sig, u64 cause, u64 tval);
static u64 bit(int sig) { return 1ULL << (sig - 1); }
static bool ignored_by_default(int sig) { return sig == 17 || sig == 18 || sig == 23 || sig == 28; }


static u64 sigtramp(struct proc *p) {
  if (p->sigtramp) return p->sigtramp;
  u32 *page = page_alloc(1);
  if (!page) return 0;
  page[0] = 0x08b00893;  // li a7, 139 (rt_sigreturn)
  page[1] = 0x00000073;  // ecall
  if (vm_map(p, USER_STACK_TOP, (u64)page, VMA_R | VMA_X) < 0) {
    page_free(page, 1);
    return 0;
  }
  p->sigtramp = USER_STACK_TOP;
  return p->sigtramp;
}

long sys_rt_sigaction(int sig, u64 uact, u64 uold, u64 size) {
  struct proc *p = current;
  if (sig < 1 || sig > NSIG || size != 8) return -EINVAL;
  if (uold && copy_to_user(uold, &p->sigact[sig - 1], sizeof(struct sigaction_k))) return -EFAULT;
  if (uact) {
    if (sig == SIGKILL || sig == SIGSTOP) return -EINVAL;
    struct sigaction_k a;
    if (copy_from_user(&a, uact, sizeof(a))) return -EFAULT;
    a.mask &= ~(bit(SIGKILL) | bit(SIGSTOP));
    if (a.handler > SIG_IGN && !sigtramp(p)) return -ENOMEM;
    p->sigact[sig - 1] = a;
  }
  return 0;
}

long sys_rt_sigprocmask(int how, u64 uset, u64 uold, u64 size) {
  struct thread *t = curthread();
  if (size != 8) return -EINVAL;
  u64 old = t->sigmask, set;
  if (uset) {
    if (copy_from_user(&set, uset, 8)) return -EFAULT;
    if (how == 0) t->sigmask |= set;
    else if (how == 1) t->sigmask &= ~set;
    else if (how == 2) t->sigmask = set;
    else return -EINVAL;
    t->sigmask &= ~(bit(SIGKILL) | bit(SIGSTOP));
  }
  if (uold && copy_to_user(uold, &old, 8)) return -EFAULT;
  return 0;
}

long sys_rt_sigpending(u64 uset, u64 size) {
  if (size != 8) return -EINVAL;
  u64 s = curthread()->sigpending;
  return copy_to_user(uset, &s, 8) ? -EFAULT : 0;
}

// Mark sig pending on t and interrupt it if it sleeps (its call returns -EINTR).
static void post(struct thread *t, int sig, int code, u64 addr) {
  t->sigcode[sig - 1] = code;
  t->sigaddr[sig - 1] = addr;
  t->sigpending |= bit(sig);
  if (t->state == T_SLEEPING && !(t->sigmask & bit(sig))) thread_interrupt(t);
  else if (t->state == T_RUNNING && t != curthread() && t->hart >= 0) ipi_send(t->hart);
}

void signal_send(struct thread *t, int sig) { post(t, sig, 0, 0); }

// kill(pid, sig): only this process exists (pid, 0 or -1 name it).
long sys_kill(long pid, int sig) {
  struct proc *p = current;
  if (sig < 0 || sig > NSIG) return -EINVAL;
  if (pid != p->pid && pid != 0 && pid != -1) return -ESRCH;
  if (sig == 0) return 0;
  struct thread *t = curthread();
  if (t->sigmask & bit(sig))  // a thread that does not block it, else the caller
    for (int i = 0; i < MAX_THREADS; i++) {
      struct thread *o = sched_thread_at(i);
      if (o && o->proc == p && o->state != T_ZOMBIE && !(o->sigmask & bit(sig))) {
        t = o;
        break;
      }
    }
  post(t, sig, 0 /* SI_USER */, 0);
  return 0;
}

long sys_tgkill(long tgid, long tid, int sig) {
  struct proc *p = current;
  if (sig < 0 || sig > NSIG || tid <= 0) return -EINVAL;
  if (tgid != -1 && tgid != p->pid) return -ESRCH;
  for (int i = 0; i < MAX_THREADS; i++) {
    struct thread *o = sched_thread_at(i);
    if (o && o->proc == p && o->tid == tid && o->state != T_ZOMBIE) {
      if (sig) post(o, sig, -6 /* SI_TKILL */, 0);
      return 0;
    }
  }
  return -ESRCH;
}

long sys_sigaltstack(u64 uss, u64 uold) {
  struct thread *t = curthread();
  if (uold) {
    u64 o[3] = {t->altstack_sp, t->altstack_size ? 0 : 2 /* SS_DISABLE */, t->altstack_size};
    if (copy_to_user(uold, o, 24)) return -EFAULT;
  }
  if (uss) {
    u64 n[3];
    if (copy_from_user(n, uss, 24)) return -EFAULT;
    if ((u32)n[1] & 2) t->altstack_sp = t->altstack_size = 0;
    else if (n[2] < 2048) return -ENOMEM;  // MINSIGSTKSZ
    else t->altstack_sp = n[0], t->altstack_size = n[2];
  }
  return 0;
}

// A trap's signal: delivered to a handler when there is one and it is not blocked, else the default.
void signal_fault(struct thread *t, int sig, u64 cause, u64 tval) {
  struct sigaction_k *a = &t->proc->sigact[sig - 1];
  if (a->handler > SIG_IGN && !(t->sigmask & bit(sig))) {
    post(t, sig, 1 /* SEGV_MAPERR / ILL_ILLOPC / BUS_ADRALN */, tval);
    return;
  }
  fault_report(t, sig, cause, tval);
  proc_exit_group(128 + sig);
}

// Deliver the lowest unblocked pending signal; true when the thread's registers changed.
bool signal_deliver(struct thread *t) {
  u64 ready = t->sigpending & ~t->sigmask;
  if (!ready) return false;
  int sig = __builtin_ctzll(ready) + 1;
  t->sigpending &= ~bit(sig);
  struct proc *p = t->proc;
  struct sigaction_k *a = &p->sigact[sig - 1];
  if (a->handler == SIG_IGN || (a->handler == SIG_DFL && ignored_by_default(sig))) return true;
  if (a->handler == SIG_DFL) {
    kprintf("%s: killed by signal %d\n", p->exe, sig);
    proc_exit_group(128 + sig);
  }
  u64 sp = t->tf.x[REG_SP];
  bool on_alt = t->altstack_size && sp - t->altstack_sp < t->altstack_size;
  if ((a->flags & SA_ONSTACK) && t->altstack_size && !on_alt) sp = t->altstack_sp + t->altstack_size;
  sp = ALIGN_DOWN(sp - FRAME_SIZE, 16);
  u8 f[FRAME_SIZE];
  memset(f, 0, sizeof(f));
  i32 hdr[4] = {sig, 0, t->sigcode[sig - 1], 0};  // si_signo, si_errno, si_code
  memcpy(f, hdr, 16);
  if (sig == 11 || sig == 7 || sig == 4 || sig == 5) memcpy(f + 16, &t->sigaddr[sig - 1], 8);  // si_addr
  else {
    i32 pu[2] = {p->pid, 0};  // si_pid, si_uid
    memcpy(f + 16, pu, 8);
  }
  u64 st[3] = {t->altstack_sp, t->altstack_size ? (on_alt ? 1 : 0) : 2, t->altstack_size};
  memcpy(f + UC_STACK, st, 24);
  memcpy(f + UC_SIGMASK, &t->sigmask, 8);
  memcpy(f + UC_REGS, &t->tf.pc, 8);
  memcpy(f + UC_REGS + 8, &t->tf.x[1], 31 * 8);
  fp_save(t->fp);
  memcpy(f + UC_FP, t->fp, 32 * 8);
  u32 fcsr = (u32)t->fp[32];
  memcpy(f + UC_FP + 256, &fcsr, 4);
  if (copy_to_user(sp, f, sizeof(f))) {  // no room for the frame: as Linux, SIGSEGV's default
    kprintf("%s: cannot deliver signal %d (bad stack %lx)\n", p->exe, sig, (unsigned long)sp);
    proc_exit_group(128 + 11);
  }
  t->sigmask |= a->mask | ((a->flags & SA_NODEFER) ? 0 : bit(sig));
  t->tf.pc = a->handler;
  t->tf.x[REG_A0] = (u64)sig;
  t->tf.x[REG_A1] = sp;
  t->tf.x[REG_A2] = sp + UC;
  t->tf.x[REG_RA] = p->sigtramp;
  t->tf.x[REG_SP] = sp;
  if (a->flags & SA_RESETHAND) a->handler = SIG_DFL;
  return true;
}

long sys_rt_sigreturn(void) {
  struct thread *t = curthread();
  u64 sp = t->tf.x[REG_SP];
  u8 f[FRAME_SIZE];
  if (copy_from_user(f, sp, sizeof(f))) {
    proc_exit_group(128 + 11);
  }
  memcpy(&t->tf.pc, f + UC_REGS, 8);
  memcpy(&t->tf.x[1], f + UC_REGS + 8, 31 * 8);
  memcpy(&t->sigmask, f + UC_SIGMASK, 8);
  t->sigmask &= ~(bit(SIGKILL) | bit(SIGSTOP));
  memcpy(t->fp, f + UC_FP, 32 * 8);
  u32 fcsr;
  memcpy(&fcsr, f + UC_FP + 256, 4);
  t->fp[32] = fcsr;
  fp_restore(t->fp);
  return (long)t->tf.x[REG_A0];  // the caller stores this into a0: the interrupted a0 stays
}
