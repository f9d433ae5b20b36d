// sys_thread.c — threads and time (man 2 clone, futex, nanosleep, sched_setaffinity): clone/clone3
// with the flags glibc's pthread_create uses, futex (WAIT, WAKE, the BITSET forms, REQUEUE,
// CMP_REQUEUE, WAKE_OP; PRIVATE and CLOCK_REALTIME flags; timeouts), set_tid_address,
// set_robust_list, exit vs exit_group, gettid, sched_yield, affinity, sleeps that park the thread,
// getrusage, and osv_run (500). A futex is keyed by the physical address of its word, so private
// and shared futexes behave alike.
#include <stdio.h>
#include "syscall.h"

#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_VFORK 0x4000
#define CLONE_THREAD 0x10000
#define CLONE_SYSVSEM 0x40000
#define CLONE_SETTLS 0x80000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_DETACHED 0x400000
#define CLONE_CHILD_SETTID 0x01000000
#define NS 1000000000ULL

static u64 ns_to_ticks(u64 ns) {  // rounded up: a deadline never fires early
  return (ns / NS) * timebase_hz + ((ns % NS) * timebase_hz + NS - 1) / NS;
}

static int read_timespec(u64 uts, u64 *ns) {
  i64 ts[2];
  if (copy_from_user(ts, uts, 16)) return -EFAULT;
  if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (i64)NS) return -EINVAL;
  *ns = (u64)ts[0] > 1000000000ULL * 100 ? ~0ULL / 2 : (u64)ts[0] * NS + (u64)ts[1];
  return 0;
}

// An absolute time on clock clk (0 REALTIME, 1 MONOTONIC, 7 BOOTTIME...) as an mtime deadline.
static u64 abs_deadline(int clk, u64 ns) {
  if (clk == 0 || clk == 5) ns = ns > rtc_boot_ns() ? ns - rtc_boot_ns() : 0;
  u64 d = ns_to_ticks(ns);
  return d ? d : 1;
}

static void report_once(int what, const char *msg) {
  static u32 said;
  if (said & (1u << what)) return;
  said |= 1u << what;
  kprintf("osv: %s (from %s)\n", msg, current->exe);
}

static long do_clone(u64 flags, u64 stack, u64 ptid, u64 tls, u64 ctid) {
  const u64 thread = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
  const u64 known = thread | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID |
                    CLONE_DETACHED | CLONE_CHILD_SETTID;
  if ((flags & thread) != thread || (flags & CLONE_VFORK)) {
    report_once(0, "fork/vfork (clone without CLONE_VM|CLONE_THREAD) is not supported: one process per app, "
                   "as in OSv; returning ENOSYS");
    return -ENOSYS;
  }
  if ((flags & ~known & ~0xffULL) || (flags & 0xff)) return -EINVAL;  // namespaces etc.; exit signal 0
  struct thread *me = curthread(), *t = thread_new(me->proc);
  if (!t) return -EAGAIN;
  u64 ksp = t->tf.ksp;
  t->tf = me->tf;
  t->tf.ksp = ksp;
  fp_save(me->fp);
  memcpy(t->fp, me->fp, sizeof(t->fp));
  t->tf.x[REG_A0] = 0;
  if (stack) t->tf.x[REG_SP] = stack;
  if (flags & CLONE_SETTLS) t->tf.x[REG_TP] = tls;
  t->sigmask = me->sigmask;
  t->affinity = me->affinity;
  u32 tid = (u32)t->tid;
  if (((flags & CLONE_PARENT_SETTID) && copy_to_user(ptid, &tid, 4)) ||
      ((flags & CLONE_CHILD_SETTID) && copy_to_user(ctid, &tid, 4))) {
    thread_discard(t);
    return -EFAULT;
  }
  if (flags & CLONE_CHILD_CLEARTID) t->clear_child_tid = ctid;
  thread_make_runnable(t);
  return t->tid;
}

static long sys_clone3(u64 uargs, u64 size) {
  u64 a[11] = {0};  // flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup
  if (size < 64 || size > 4096) return -EINVAL;
  if (copy_from_user(a, uargs, MIN(size, sizeof(a)))) return -EFAULT;
  if (a[4] || a[9]) return -EINVAL;  // exit_signal, set_tid: not for threads
  u64 sp = a[5] ? a[5] + a[6] : 0;
  return do_clone(a[0], sp, a[3], a[7], a[2]);
}

static u32 atomic_op(volatile u32 *w, int op, u32 arg) {
  switch (op) {
    case 0: return __atomic_exchange_n(w, arg, __ATOMIC_SEQ_CST);
    case 1: return __atomic_fetch_add(w, arg, __ATOMIC_SEQ_CST);
    case 2: return __atomic_fetch_or(w, arg, __ATOMIC_SEQ_CST);
    case 3: return __atomic_fetch_and(w, ~arg, __ATOMIC_SEQ_CST);
    default: return __atomic_fetch_xor(w, arg, __ATOMIC_SEQ_CST);
  }
}

static long sys_futex(u64 uaddr, int op, u32 val, u64 utime, u64 uaddr2, u32 val3) {
  int cmd = op & 127;  // FUTEX_PRIVATE_FLAG (128) changes nothing here; FUTEX_CLOCK_REALTIME is 256
  if (uaddr & 3) return -EINVAL;
  u64 pa = vm_user_pa(current, uaddr, cmd == 5);
  if (!pa) return -EFAULT;
  volatile u32 *word = (volatile u32 *)pa;
  switch (cmd) {
    case 0:    // FUTEX_WAIT: relative timeout on CLOCK_MONOTONIC
    case 9: {  // FUTEX_WAIT_BITSET: absolute timeout
      u32 bits = cmd == 9 ? val3 : ~0u;
      if (!bits) return -EINVAL;
      u64 deadline = 0, ns;
      if (utime) {
        int r = read_timespec(utime, &ns);
        if (r < 0) return r;
        deadline = cmd == 0 ? ns_to_ticks(timer_ns() + ns) : abs_deadline((op & 256) ? 0 : 1, ns);
      }
      if (__atomic_load_n(word, __ATOMIC_SEQ_CST) != val) return -EAGAIN;
      return thread_sleep_bits((const void *)pa, bits, deadline);
    }
    case 1:     // FUTEX_WAKE
    case 10: {  // FUTEX_WAKE_BITSET
      u32 bits = cmd == 10 ? val3 : ~0u;
      if (!bits) return -EINVAL;
      return wakeup_bits((const void *)pa, bits, (int)MIN(val, 0x7fffffffu));
    }
    case 3:    // FUTEX_REQUEUE: wake val, move up to val2 (the timeout argument) to uaddr2
    case 4: {  // FUTEX_CMP_REQUEUE
      if (uaddr2 & 3) return -EINVAL;
      u64 pa2 = vm_user_pa(current, uaddr2, false);
      if (!pa2) return -EFAULT;
      if (cmd == 4 && __atomic_load_n(word, __ATOMIC_SEQ_CST) != val3) return -EAGAIN;
      int woken = wakeup((const void *)pa, (int)MIN(val, 0x7fffffffu));
      int moved = requeue((const void *)pa, (const void *)pa2, (int)MIN(utime, 0x7fffffffu));
      return cmd == 4 ? woken + moved : woken;
    }
    case 5: {  // FUTEX_WAKE_OP: *uaddr2 op= oparg; wake val on uaddr; if (old cmp cmparg) wake val2 on uaddr2
      if (uaddr2 & 3) return -EINVAL;
      u64 pa2 = vm_user_pa(current, uaddr2, true);
      if (!pa2) return -EFAULT;
      int fop = (val3 >> 28) & 7, cmp = (val3 >> 24) & 15;
      i32 oparg = (i32)(val3 << 8) >> 20, cmparg = (i32)(val3 << 20) >> 20;
      if ((val3 >> 28) & 8) oparg = (i32)(1u << (oparg & 31));
      if (fop > 4 || cmp > 5) return -ENOSYS;
      i32 old = (i32)atomic_op((volatile u32 *)pa2, fop, (u32)oparg);
      int woken = wakeup((const void *)pa, (int)MIN(val, 0x7fffffffu));
      bool c = cmp == 0 ? old == cmparg : cmp == 1 ? old != cmparg : cmp == 2 ? old < cmparg
             : cmp == 3 ? old <= cmparg : cmp == 4 ? old > cmparg : old >= cmparg;
      if (c) woken += wakeup((const void *)pa2, (int)MIN(utime, 0x7fffffffu));
      return woken;
    }
    default:
      report_once(1, "futex operation not supported (PI futexes, WAIT_REQUEUE_PI, LOCK_PI...); returning ENOSYS");
      return -ENOSYS;
  }
}

// Park the calling thread until the deadline (mtime ticks); -EINTR when a signal or exit_group
// interrupts it, with the time left in rem (man 2 nanosleep).
static long sleep_until(u64 deadline, u64 urem) {
  struct thread *t = curthread();
  int r = thread_sleep(t, deadline);
  if (r == -ETIMEDOUT || r == 0) return 0;
  if (urem) {
    u64 now = timer_now(), left = deadline > now ? (deadline - now) * (NS / timebase_hz) : 0;
    i64 ts[2] = {(i64)(left / NS), (i64)(left % NS)};
    copy_to_user(urem, ts, 16);
  }
  return r;
}

static long sys_affinity(bool set, long tid, u64 len, u64 umask) {
  struct thread *t = NULL;
  if (tid == 0) t = curthread();
  for (int i = 0; !t && i < MAX_THREADS; i++) {
    struct thread *o = sched_thread_at(i);
    if (o && o->tid == tid && o->proc == current && o->state != T_ZOMBIE) t = o;
  }
  if (!t) return -ESRCH;
  if (!set) {
    if (len < 8 || (len & 7)) return -EINVAL;
    u64 m = t->affinity & sched_all_harts_mask();
    return copy_to_user(umask, &m, 8) ? -EFAULT : 8;
  }
  u64 m = 0;
  if (copy_from_user(&m, umask, MIN(len, 8))) return -EFAULT;
  m &= sched_all_harts_mask();
  if (!m) return -EINVAL;
  t->affinity = m;
  if (t == curthread() && !(m & (1ULL << cpu_this()->hartid))) sched_migrate();
  return 0;
}

static long sys_getrusage(int who, u64 uru) {
  u64 ns = 0, now = timer_ns();
  struct proc *p = current;
  if (who == 0) {  // RUSAGE_SELF: every thread, live and exited
    ns = p->utime_ns;
    for (int i = 0; i < MAX_THREADS; i++) {
      struct thread *o = sched_thread_at(i);
      if (o && o->proc == p && o->state != T_ZOMBIE) ns += o->run_ns + (o->state == T_RUNNING ? now - o->ran_since : 0);
    }
  } else if (who == 1) {  // RUSAGE_THREAD
    ns = curthread()->run_ns + (now - curthread()->ran_since);
  } else if (who != -1) {  // RUSAGE_CHILDREN: apps run with osv_run are not counted
    return -EINVAL;
  }
  u8 b[144] = {0};
  i64 tv[2] = {(i64)(ns / NS), (i64)(ns % NS / 1000)};  // kernel time on the thread's behalf counts as user time
  memcpy(b, tv, 16);
  i64 maxrss = (i64)(p->rss * PAGE_SIZE / 1024);
  memcpy(b + 32, &maxrss, 8);
  return copy_to_user(uru, b, sizeof(b)) ? -EFAULT : 0;
}

static long sys_osv_run(u64 upath, u64 uargv, u64 uenvp) {
  char path[256], *argv[33], *envp[17];
  char strings[4096];
  size_t used = 0;
  int argc = 0, envc = 0;
  long n = strncpy_from_user(path, upath, sizeof(path));
  if (n < 0) return n;
  for (int pass = 0; pass < 2; pass++) {
    u64 vec = pass ? uenvp : uargv;
    char **out = pass ? envp : argv;
    int max = pass ? 16 : 32, *cnt = pass ? &envc : &argc;
    for (; vec; (*cnt)++) {
      u64 ptr;
      if (copy_from_user(&ptr, vec + 8 * (u64)*cnt, 8)) return -EFAULT;
      if (!ptr) break;
      if (*cnt == max) return -E2BIG;
      long l = strncpy_from_user(strings + used, ptr, sizeof(strings) - used);
      if (l < 0) return l == -ENAMETOOLONG ? -E2BIG : l;
      out[*cnt] = strings + used;
      used += (size_t)l + 1;
    }
  }
  if (argc == 0) argv[argc++] = path;
  struct thread *child;
  int r = proc_spawn(path, argc, argv, envc, envp, current, &child);
  if (r < 0) return r;
  struct waitinfo w = {false, 0};
  child->proc->waiter = &w;
  thread_make_runnable(child);
  while (!w.done) thread_wait(&w);  // the child's last thread wakes us (proc_teardown)
  return w.code;
}

long sys_thread(long nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, bool *handled) {
  struct thread *t = curthread();
  u64 ns;
  long r;
  *handled = true;
  switch (nr) {
    case 220: return do_clone(a0, a1, a2, a3, a4);  // riscv64: clone(flags, stack, ptid, tls, ctid)
    case 435: return sys_clone3(a0, a1);
    case 98: return sys_futex(a0, (int)a1, (u32)a2, a3, a4, (u32)a5);
    case 96: t->clear_child_tid = a0; return t->tid;  // set_tid_address
    case 99:                                           // set_robust_list(head, len)
      if (a1 != 24) return -EINVAL;
      t->robust_list = a0;  // kept; the list is not walked at exit (no robust mutexes)
      return 0;
    case 100: {  // get_robust_list(0, &head, &len)
      if (a0 && (long)a0 != t->tid) return -ESRCH;
      u64 len = 24;
      if (copy_to_user(a1, &t->robust_list, 8) || copy_to_user(a2, &len, 8)) return -EFAULT;
      return 0;
    }
    case 178: return t->tid;           // gettid
    case 172: return t->proc->pid;     // getpid
    case 124: sched_yield_now(); return 0;
    case 123: return sys_affinity(false, (long)a0, a1, a2);  // sched_getaffinity
    case 122: return sys_affinity(true, (long)a0, a1, a2);   // sched_setaffinity
    case 93:  // exit: this thread; the process ends with the last one
      t->proc->exit_code = (int)(a0 & 0xff);
      thread_exit();
    case 94: proc_exit_group((int)(a0 & 0xff));  // exit_group
    case 101:  // nanosleep(req, rem)
      if ((r = read_timespec(a0, &ns)) < 0) return r;
      return sleep_until(ns_to_ticks(timer_ns() + ns), a1);
    case 115:  // clock_nanosleep(clk, flags, req, rem)
      if (a0 > 11 || a0 == 2 || a0 == 3) return -EINVAL;  // CPU-time clocks cannot be slept on
      if ((r = read_timespec(a2, &ns)) < 0) return r;
      if (a1 & 1) return sleep_until(abs_deadline((int)a0, ns), 0);  // TIMER_ABSTIME: no rem
      return sleep_until(ns_to_ticks(timer_ns() + ns), a3);
    case 165: return sys_getrusage((int)a0, a1);
    case 500: return sys_osv_run(a0, a1, a2);
  }
  *handled = false;
  return -ENOSYS;
}
