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

static long sys_clock_gettime(u64 clk, u64 uts) {
  u64 ns = timer_ns();
  if (clk == 0 || clk == 5) ns += rtc_boot_ns();  // CLOCK_REALTIME(_COARSE)
  else if (clk > 11) return -EINVAL;
  i64 ts[2] = {(i64)(ns / 1000000000ULL), (i64)(ns % 1000000000ULL)};
  return copy_to_user(uts, ts, 16) ? -EFAULT : 0;
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
    case 258: return "riscv_hwprobe";
    case 293: return "rseq";
    default: return "";
  }
}

// A call that returns ENOSYS on purpose, said once on the console.
void by_design(long nr, const char *why) {
  static u64 said[8];
  if (nr < 0 || nr >= 512 || (said[nr / 64] & (1ULL << (nr % 64)))) return;
  said[nr / 64] |= 1ULL << (nr % 64);
  kprintf("osv: %s (syscall %ld from %s)\n", why, nr, current->exe);
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
  if (!handled) r = sys_thread(nr, a0, a1, a2, a3, a4, a5, &handled);
  if (!handled) r = sys_io(nr, a0, a1, a2, a3, a4, a5, &handled);
  if (!handled) {
    handled = true;
    switch (nr) {
      case 129: r = sys_kill((long)a0, (int)a1); break;
      case 130: r = sys_tgkill(-1, (long)a0, (int)a1); break;  // tkill
      case 131: r = sys_tgkill((long)a0, (long)a1, (int)a2); break;
      case 134: r = sys_rt_sigaction((int)a0, a1, a2, a3); break;
      case 135: r = sys_rt_sigprocmask((int)a0, a1, a2, a3); break;
      case 136: r = sys_rt_sigpending(a0, a1); break;
      case 132: r = sys_sigaltstack(a0, a1); break;
      case 139: r = sys_rt_sigreturn(); break;
      case 221:  // execve
      case 281:  // execveat
        by_design(nr, "execve is not supported: an app cannot replace itself (OSv: no exec); osv_run (500) runs "
                      "another app");
        r = -ENOSYS;
        break;
      case 260: r = -ECHILD; break;  // wait4: there are never child processes (no fork)
      case 293: r = -ENOSYS; break;  // rseq: optional for glibc, which then does without (ENOSYS by design)
      case 258: r = -ENOSYS; break;  // riscv_hwprobe: glibc falls back to HWCAP (ENOSYS by design)
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
      case 169: {  // gettimeofday
        u64 ns = timer_ns() + rtc_boot_ns();
        i64 tv[2] = {(i64)(ns / 1000000000ULL), (i64)(ns % 1000000000ULL / 1000)};
        r = a0 && copy_to_user(a0, tv, 16) ? -EFAULT : 0;
        break;
      }
      case 160: r = sys_uname(a0); break;
      case 173: r = current->parent ? current->parent->pid : 0; break;
      case 174: case 175: case 176: case 177: r = 0; break;  // get[e]uid, get[e]gid: root
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
