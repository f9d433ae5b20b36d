// t_dev.c — /dev (null, zero, full, urandom, tty), getrandom, mremap, madvise, utimensat, fchmodat,
// fchownat, sched_getaffinity, getrusage, prlimit64 and signals (sigaction, sigprocmask, kill to
// oneself, a handler that runs, rt_sigpending), from raw system calls (picolibc and glibc builds).
// argv[1] is a writable directory.
#include "tcommon.h"

static volatile int got_sig, got_info_sig;
static void handler(int sig) { got_sig = sig; }
static void info_handler(int sig, void *info, void *uc) { got_info_sig = *(int *)info; }

static long dev_read(const char *path, void *buf, long n) {
  long fd = S4(NR_openat, FDCWD, path, L_O_RDONLY, 0);
  if (fd < 0) return fd;
  long r = S3(NR_read, fd, buf, n);
  S1(NR_close, fd);
  return r;
}

static long st_mode(const char *path, unsigned *mode, unsigned long *rdev, long *mtime) {
  unsigned char st[128];
  long r = S4(NR_newfstatat, FDCWD, path, st, 0);
  memcpy(mode, st + 16, 4);
  memcpy(rdev, st + 32, 8);
  memcpy(mtime, st + 88, 8);
  return r;
}

int main(int argc, char **argv) {
  char dir[200];
  snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : "/tmp");
  char b[256];
  unsigned mode;
  unsigned long rdev;
  long mt;
  SHOW("read /dev/null", dev_read("/dev/null", b, sizeof(b)));
  memset(b, 1, sizeof(b));
  SHOW("read /dev/zero", dev_read("/dev/zero", b, 100));
  int zeros = 0;
  for (int i = 0; i < 100; i++) zeros += b[i] == 0;
  printf("zero bytes: %d\n", zeros);
  memset(b, 0, sizeof(b));
  SHOW("read /dev/urandom", dev_read("/dev/urandom", b, 64));
  int nz = 0;
  for (int i = 0; i < 64; i++) nz += b[i] != 0;
  CHECK("urandom bytes vary", nz > 40);
  long fd = S4(NR_openat, FDCWD, "/dev/null", L_O_WRONLY, 0);
  SHOW("write /dev/null", S3(NR_write, fd, "data", 4));
  S1(NR_close, fd);
  fd = S4(NR_openat, FDCWD, "/dev/full", L_O_WRONLY, 0);
  SHOW("write /dev/full", S3(NR_write, fd, "data", 4));
  S1(NR_close, fd);
  SHOW("stat /dev/null", st_mode("/dev/null", &mode, &rdev, &mt));
  printf("char device: %s, rdev %lu:%lu\n", (mode & 0170000) == 0020000 ? "yes" : "no", (rdev >> 8) & 0xfff, rdev & 0xff);
  st_mode("/dev/zero", &mode, &rdev, &mt);
  printf("/dev/zero rdev %lu:%lu\n", (rdev >> 8) & 0xfff, rdev & 0xff);
  st_mode("/dev/urandom", &mode, &rdev, &mt);
  printf("/dev/urandom rdev %lu:%lu\n", (rdev >> 8) & 0xfff, rdev & 0xff);
  SHOW("getrandom 16", S3(NR_getrandom, b, 16, 0));
  // mremap: grow in place or move, shrink; the contents stay
  char *m = (char *)S6(NR_mmap, 0, 8192, 3, 0x22, -1, 0);
  strcpy(m, "remapped");
  strcpy(m + 4096, "second page");
  char *m2 = (char *)S5(NR_mremap, m, 8192, 65536, 1 /* MREMAP_MAYMOVE */, 0);
  CHECK("mremap grow", (long)m2 > 0 && !strcmp(m2, "remapped") && !strcmp(m2 + 4096, "second page"));
  m2[65535] = 7;  // the new part is usable
  char *m3 = (char *)S5(NR_mremap, m2, 65536, 4096, 0, 0);
  CHECK("mremap shrink keeps the address", m3 == m2 && !strcmp(m3, "remapped"));
  SHOW("mremap bad flags", S5(NR_mremap, m3, 4096, 8192, 4, 0));
  // madvise(MADV_DONTNEED) on private anonymous memory: the pages read back as zero
  strcpy(m3, "dirty");
  SHOW("madvise DONTNEED", S3(NR_madvise, m3, 4096, 4));
  CHECK("page zeroed", m3[0] == 0);
  S2(NR_munmap, m3, 4096);
  // attributes
  char path[256];
  snprintf(path, sizeof(path), "%s/attr.txt", dir);
  fd = S4(NR_openat, FDCWD, path, L_O_WRONLY | L_O_CREAT | L_O_TRUNC, 0644);
  S3(NR_write, fd, "x", 1);
  SHOW("fchmod 0600", S2(NR_fchmod, fd, 0600));
  S1(NR_close, fd);
  st_mode(path, &mode, &rdev, &mt);
  printf("mode after fchmod %o\n", mode & 07777);
  SHOW("fchmodat 0640", S4(NR_fchmodat, FDCWD, path, 0640, 0));
  st_mode(path, &mode, &rdev, &mt);
  printf("mode after fchmodat %o\n", mode & 07777);
  SHOW("fchmodat missing", S4(NR_fchmodat, FDCWD, "/nonexistent-x", 0640, 0));
  long times[4] = {1000000000L, 0, 1234567890L, 500};
  SHOW("utimensat", S4(NR_utimensat, FDCWD, path, times, 0));
  st_mode(path, &mode, &rdev, &mt);
  printf("mtime %ld\n", mt);
  long omit[4] = {0, (1L << 30) - 2, 0, (1L << 30) - 2};
  SHOW("utimensat UTIME_OMIT", S4(NR_utimensat, FDCWD, path, omit, 0));
  st_mode(path, &mode, &rdev, &mt);
  printf("mtime still %ld\n", mt);
  long badns[4] = {0, 2000000000L, 0, 0};
  SHOW("utimensat bad nsec", S4(NR_utimensat, FDCWD, path, badns, 0));
  SHOW("fchownat to -1 -1", S5(NR_fchownat, FDCWD, path, -1, -1, 0));
  S3(NR_unlinkat, FDCWD, path, 0);
  // scheduling and usage
  unsigned long mask[16] = {0};  // room for 1024 CPUs: Linux refuses a buffer smaller than its CPU count
  long n = S3(NR_sched_getaffinity, 0, sizeof(mask), mask);
  CHECK("sched_getaffinity", n > 0 && n <= (long)sizeof(mask) && mask[0] != 0);
  SHOW("sched_getaffinity short", S3(NR_sched_getaffinity, 0, 3, mask));
  unsigned char ru[144];
  SHOW("getrusage", S2(NR_getrusage, 0, ru));
  SHOW("getrusage bad who", S2(NR_getrusage, 5, ru));
  unsigned long lim[2];
  SHOW("prlimit64 STACK", S4(NR_prlimit64, 0, 3, 0, lim));
  // signals to oneself
  unsigned long act[3] = {(unsigned long)handler, 0, 0}, old[3];
  SHOW("sigaction SIGUSR1", S4(NR_rt_sigaction, 10, act, 0, 8));
  SHOW("kill self SIGUSR1", S2(NR_kill, S0(NR_getpid), 10));
  printf("handler saw %d\n", got_sig);
  unsigned long blk = 1UL << (12 - 1), pend = 0;
  SHOW("block SIGUSR2", S4(NR_rt_sigprocmask, 0, &blk, 0, 8));
  unsigned long act2[3] = {(unsigned long)handler, 0, 0};
  S4(NR_rt_sigaction, 12, act2, 0, 8);
  got_sig = 0;
  SHOW("tgkill self SIGUSR2", S3(NR_tgkill, S0(NR_getpid), S0(NR_gettid), 12));
  S2(NR_rt_sigpending, &pend, 8);
  printf("blocked: handler saw %d, pending SIGUSR2: %s\n", got_sig, (pend >> 11) & 1 ? "yes" : "no");
  SHOW("unblock", S4(NR_rt_sigprocmask, 1, &blk, 0, 8));
  printf("after unblock the handler saw %d\n", got_sig);
  unsigned long ia[3] = {(unsigned long)info_handler, 4 /* SA_SIGINFO */, 0};
  S4(NR_rt_sigaction, 10, ia, old, 8);
  printf("old handler is ours: %s\n", old[0] == (unsigned long)handler ? "yes" : "no");
  S2(NR_kill, S0(NR_getpid), 10);
  printf("siginfo si_signo %d\n", got_info_sig);
  SHOW("sigaction SIGKILL", S4(NR_rt_sigaction, 9, act, 0, 8));
  SHOW("kill another pid", S2(NR_kill, 1073741823, 0));
  SHOW("kill self signal 0", S2(NR_kill, S0(NR_getpid), 0));
  printf("done\n");
  return 0;
}
