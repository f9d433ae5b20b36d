// syscall.c — the Linux riscv64 system call entry: a7 = number, a0..a5 = arguments, result in
// a0 (negative errno on failure). Process, time, identity and signal calls live here; file and
// memory calls in sys_fs.c and sys_mem.c. Calls that are not implemented return -ENOSYS and are
// reported once on the console. Number 500 (osv_run) runs another app and returns its status;
// 501 (osv_fuse_requests) returns the FUSE request counter.
#include <stdio.h>
#include <stdlib.h>
#include "syscall.h"

extern const char osv_version[];
static u64 reported[8];  // one bit per syscall number < 512
u64 syscall_count;

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
  struct proc *child;
  int r = proc_spawn(path, argc, argv, envc, envp, current, &child);
  if (r < 0) return r;
  proc_switch_to_child(child);
  return 0;
}

static long sys_clock_gettime(u64 clk, u64 uts) {
  u64 ns = timer_ns();
  if (clk == 0 || clk == 5) ns += rtc_boot_ns();  // CLOCK_REALTIME(_COARSE)
  else if (clk > 11) return -EINVAL;
  i64 ts[2] = {(i64)(ns / 1000000000ULL), (i64)(ns % 1000000000ULL)};
  return copy_to_user(uts, ts, 16) ? -EFAULT : 0;
}

static long do_sleep_ns(u64 deadline_ns) {
  u64 now = timer_ns();
  if (deadline_ns > now)
    timer_sleep_until(timer_now() + (deadline_ns - now) / (1000000000ULL / timebase_hz));
  return 0;
}

static long sys_nanosleep(u64 ureq) {
  i64 ts[2];
  if (copy_from_user(ts, ureq, 16)) return -EFAULT;
  if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000) return -EINVAL;
  return do_sleep_ns(timer_ns() + (u64)ts[0] * 1000000000ULL + (u64)ts[1]);
}

static long sys_uname(u64 ubuf) {
  char u[6][65];
  memset(u, 0, sizeof(u));
  strcpy(u[0], "Linux");  // apps probe the kernel name; the ABI is Linux's
  strcpy(u[1], "osv");
  strcpy(u[2], "6.1.0-osv");
  strcpy(u[3], "#1 drydock-osv 0.1");
  strcpy(u[4], "riscv64");
  strcpy(u[5], "(none)");
  return copy_to_user(ubuf, u, sizeof(u)) ? -EFAULT : 0;
}

static long sys_prlimit(u64 res, u64 unew, u64 uold) {
  if (uold) {
    u64 lim[2] = {~0ULL, ~0ULL};
    if (res == 3) lim[0] = lim[1] = USER_STACK_SIZE;  // RLIMIT_STACK
    if (res == 7) lim[0] = lim[1] = NFD;              // RLIMIT_NOFILE
    if (copy_to_user(uold, lim, 16)) return -EFAULT;
  }
  return 0;  // new limits accepted, not enforced
}

static long sys_getrandom(u64 ubuf, u64 len) {
  if (len > 65536) len = 65536;
  for (u64 i = 0; i < len; i += 8) {
    u64 r = krandom();
    if (copy_to_user(ubuf + i, &r, MIN(8, len - i))) return -EFAULT;
  }
  return (long)len;
}

static long sys_sysinfo(u64 ubuf) {
  u8 b[112] = {0};
  u64 up = timer_now() / timebase_hz, total = mm_total_pages() * PAGE_SIZE, fr = mm_free_pages() * PAGE_SIZE;
  u16 procs = 1;
  u32 unit = 1;
  memcpy(b, &up, 8);
  memcpy(b + 32, &total, 8);
  memcpy(b + 40, &fr, 8);
  memcpy(b + 80, &procs, 2);
  memcpy(b + 104, &unit, 4);
  return copy_to_user(ubuf, b, sizeof(b)) ? -EFAULT : 0;
}

static const char *sys_name(long nr) {
  switch (nr) {
    case 98: return "futex";
    case 99: return "set_robust_list";
    case 258: return "riscv_hwprobe";
    case 293: return "rseq";
    case 220: return "clone";
    case 221: return "execve";
    case 260: return "wait4";
    case 59: return "pipe2";
    default: return "";
  }
}

void syscall_dispatch(struct trapframe *tf) {
  long nr = (long)tf->x[REG_A7];
  u64 a0 = tf->x[REG_A0], a1 = tf->x[REG_A1], a2 = tf->x[REG_A2], a3 = tf->x[REG_A3], a4 = tf->x[REG_A4],
      a5 = tf->x[REG_A5];
  long r = -ENOSYS;
  bool handled = false;
  syscall_count++;
  r = sys_fs(nr, a0, a1, a2, a3, a4, a5, &handled);
  if (!handled) r = sys_mem(nr, a0, a1, a2, a3, a4, a5, &handled);
  if (!handled) {
    handled = true;
    switch (nr) {
      case 93:   // exit
      case 94:   // exit_group
        proc_exit((int)a0);
        return;  // current now names the parent, whose a0 proc_exit set
      case 129:  // kill(pid, sig)
      case 131:  // tgkill(tgid, tid, sig)
      case 130: {  // tkill(tid, sig)
        u64 sig = nr == 131 ? a2 : a1;
        if (sig == 0) { r = 0; break; }
        kprintf("%s: killed by signal %lu\n", current->exe, (unsigned long)sig);
        proc_exit(128 + (int)sig);
        return;
      }
      case 500: {  // osv_run(path, argv, envp): on success the child now runs; the
                   // parent's a0 receives the child's exit status when it exits
        long x = sys_osv_run(a0, a1, a2);
        if (x < 0) tf->x[REG_A0] = (u64)x;
        return;
      }
      case 501: {
        char b[64];
        virtiofs_stats(b, sizeof(b));  // "tag X\nrequests N\n"
        char *q = strstr(b, "requests ");
        r = q ? (long)strtoul(q + 9, NULL, 10) : 0;
        break;
      }
      case 113: r = sys_clock_gettime(a0, a1); break;
      case 114: {  // clock_getres
        i64 ts[2] = {0, (i64)(1000000000ULL / timebase_hz)};
        r = a1 && copy_to_user(a1, ts, 16) ? -EFAULT : 0;
        break;
      }
      case 101: r = sys_nanosleep(a0); break;
      case 115: {  // clock_nanosleep(clk, flags, req, rem)
        i64 ts[2];
        if (copy_from_user(ts, a2, 16)) { r = -EFAULT; break; }
        u64 t = (u64)ts[0] * 1000000000ULL + (u64)ts[1];
        if (a1 & 1) r = do_sleep_ns(a0 == 0 ? t - rtc_boot_ns() : t);  // TIMER_ABSTIME
        else r = do_sleep_ns(timer_ns() + t);
        break;
      }
      case 169: {  // gettimeofday
        u64 ns = timer_ns() + rtc_boot_ns();
        i64 tv[2] = {(i64)(ns / 1000000000ULL), (i64)(ns % 1000000000ULL / 1000)};
        r = a0 && copy_to_user(a0, tv, 16) ? -EFAULT : 0;
        break;
      }
      case 160: r = sys_uname(a0); break;
      case 172: r = current->pid; break;  // getpid
      case 178: r = current->pid; break;  // gettid
      case 173: r = current->parent ? current->parent->pid : 0; break;
      case 174: case 175: case 176: case 177: r = 0; break;  // get[e]uid, get[e]gid: root
      case 96: current->tid_address = a0; r = current->pid; break;  // set_tid_address
      case 99: r = 0; break;    // set_robust_list: accepted (one thread, never used)
      case 134:                 // rt_sigaction: accepted; no signal is ever delivered
        if (a2) {
          u8 z[32] = {0};
          r = copy_to_user(a2, z, sizeof(z)) ? -EFAULT : 0;
        } else r = 0;
        break;
      case 135:  // rt_sigprocmask: accepted
        if (a2) {
          u64 z = 0;
          r = copy_to_user(a2, &z, 8) ? -EFAULT : 0;
        } else r = 0;
        break;
      case 132: r = 0; break;   // sigaltstack
      case 124: r = 0; break;   // sched_yield
      case 166: r = 022; break; // umask
      case 163: r = sys_prlimit(a0, 0, a1); break;  // getrlimit
      case 261: r = sys_prlimit(a1, a2, a3); break; // prlimit64
      case 278: r = sys_getrandom(a0, a1); break;
      case 179: r = sys_sysinfo(a0); break;
      case 167: r = -EINVAL; break;  // prctl: no options supported
      default: handled = false;
    }
  }
  if (!handled) {
    if (nr >= 0 && nr < 512 && !(reported[nr / 64] & (1ULL << (nr % 64)))) {
      reported[nr / 64] |= 1ULL << (nr % 64);
      kprintf("osv: unimplemented syscall %ld %s (from %s), returning ENOSYS\n", nr, sys_name(nr), current->exe);
    }
    r = -ENOSYS;
  }
  tf->x[REG_A0] = (u64)r;
}
