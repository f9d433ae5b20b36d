// tcommon.h — helpers for the system-call test programs. They call the kernel directly with
// `ecall` (Linux riscv64 numbers), so the same source checks the same kernel semantics when
// built with picolibc (our runtime) and with glibc (riscv64-linux-gnu-gcc -static), on the guest
// and under qemu-riscv64 user mode. Output must not depend on where it runs.
#ifndef TCOMMON_H
#define TCOMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline long sc(long n, long a, long b, long c, long d, long e, long f) {
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a3 __asm__("a3") = d;
  register long a4 __asm__("a4") = e;
  register long a5 __asm__("a5") = f;
  register long a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7) : "memory");
  return a0;
}
#define S0(n) sc(n, 0, 0, 0, 0, 0, 0)
#define S1(n, a) sc(n, (long)(a), 0, 0, 0, 0, 0)
#define S2(n, a, b) sc(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define S3(n, a, b, c) sc(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define S4(n, a, b, c, d) sc(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define S5(n, a, b, c, d, e) sc(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define S6(n, a, b, c, d, e, f) sc(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

enum {
  NR_getcwd = 17, NR_dup = 23, NR_dup3 = 24, NR_fcntl = 25, NR_ioctl = 29, NR_mkdirat = 34, NR_unlinkat = 35,
  NR_ftruncate = 46, NR_faccessat = 48, NR_chdir = 49, NR_openat = 56, NR_close = 57, NR_getdents64 = 61,
  NR_lseek = 62, NR_read = 63, NR_write = 64, NR_readv = 65, NR_writev = 66, NR_pread64 = 67, NR_pwrite64 = 68,
  NR_readlinkat = 78, NR_newfstatat = 79, NR_fstat = 80, NR_fsync = 82, NR_exit_group = 94,
  NR_set_tid_address = 96, NR_nanosleep = 101, NR_clock_gettime = 113, NR_clock_getres = 114,
  NR_clock_nanosleep = 115, NR_rt_sigaction = 134, NR_rt_sigprocmask = 135, NR_uname = 160,
  NR_gettimeofday = 169, NR_getpid = 172, NR_getuid = 174, NR_gettid = 178, NR_sysinfo = 179, NR_brk = 214,
  NR_munmap = 215, NR_mmap = 222, NR_mprotect = 226, NR_prlimit64 = 261, NR_renameat2 = 276, NR_getrandom = 278,
  NR_statx = 291, NR_eventfd2 = 19, NR_fchmod = 52, NR_fchmodat = 53, NR_fchownat = 54, NR_pipe2 = 59,
  NR_pselect6 = 72, NR_ppoll = 73, NR_utimensat = 88, NR_exit = 93, NR_futex = 98, NR_set_robust_list = 99,
  NR_sched_setaffinity = 122, NR_sched_getaffinity = 123, NR_sched_yield = 124, NR_kill = 129, NR_tgkill = 131,
  NR_sigaltstack = 132, NR_rt_sigpending = 136, NR_getrusage = 165, NR_mremap = 216, NR_clone = 220,
  NR_madvise = 233, NR_wait4 = 260, NR_clone3 = 435
};
#define FDCWD (-100)
#define L_O_RDONLY 0
#define L_O_WRONLY 1
#define L_O_RDWR 2
#define L_O_CREAT 0100
#define L_O_EXCL 0200
#define L_O_TRUNC 01000
#define L_O_APPEND 02000
#define L_O_DIRECTORY 0200000

static inline const char *ename(long r) {
  static char b[32];
  switch (-r) {
    case 1: return "EPERM";
    case 2: return "ENOENT";
    case 3: return "ESRCH";
    case 4: return "EINTR";
    case 10: return "ECHILD";
    case 11: return "EAGAIN";
    case 28: return "ENOSPC";
    case 32: return "EPIPE";
    case 110: return "ETIMEDOUT";
    case 9: return "EBADF";
    case 12: return "ENOMEM";
    case 13: return "EACCES";
    case 14: return "EFAULT";
    case 17: return "EEXIST";
    case 18: return "EXDEV";
    case 20: return "ENOTDIR";
    case 21: return "EISDIR";
    case 22: return "EINVAL";
    case 25: return "ENOTTY";
    case 29: return "ESPIPE";
    case 34: return "ERANGE";
    case 38: return "ENOSYS";
    case 39: return "ENOTEMPTY";
  }
  snprintf(b, sizeof(b), "E%ld", -r);
  return b;
}
// print the value
#define SHOW(label, expr) do { long _r = (long)(expr); \
    if (_r < 0 && _r > -4096) printf("%s = -%s\n", label, ename(_r)); else printf("%s = %ld\n", label, _r); } while (0)
// print "ok" for any non-negative result (fd numbers, addresses differ between hosts)
#define OK(label, expr) do { long _r = (long)(expr); \
    if (_r < 0 && _r > -4096) printf("%s = -%s\n", label, ename(_r)); else printf("%s = ok\n", label); } while (0)
#define CHECK(label, cond) printf("%s: %s\n", label, (cond) ? "ok" : "FAIL")

// monotonic time in milliseconds (for timeouts: printed only as "took at least N ms")
static inline long now_ms(void) {
  long ts[2];
  sc(NR_clock_gettime, 1, (long)ts, 0, 0, 0, 0);
  return ts[0] * 1000 + ts[1] / 1000000;
}

static inline const char *base_of(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}
#endif
