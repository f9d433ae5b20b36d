// t_misc.c — identity, uname, random, signals (accepted), limits, ioctl, unknown syscalls.
#include "tcommon.h"

int main(void) {
  char u[6][65];
  SHOW("uname", S1(NR_uname, u));
  printf("sysname = %s, machine = %s\n", u[0], u[4]);
  long pid = S0(NR_getpid), tid = S0(NR_gettid);
  CHECK("getpid positive", pid > 0);
  CHECK("gettid == getpid", tid == pid);
  SHOW("getuid", S0(NR_getuid));
  CHECK("set_tid_address", S1(NR_set_tid_address, 0) == tid);
  unsigned char rnd[32] = {0};
  SHOW("getrandom", S3(NR_getrandom, rnd, 32, 0));
  int nz = 0;
  for (int i = 0; i < 32; i++) nz += rnd[i] != 0;
  CHECK("random bytes", nz > 8);
  unsigned long old[2] = {1, 1};
  SHOW("rt_sigprocmask", S4(NR_rt_sigprocmask, 0, 0, old, 8));
  unsigned char act[32];
  SHOW("rt_sigaction query", S4(NR_rt_sigaction, 10, 0, act, 8));
  unsigned long lim[2];
  SHOW("prlimit64 NOFILE", S4(NR_prlimit64, 0, 7, 0, lim));
  CHECK("NOFILE limit", lim[0] >= 64);
  long fd = S4(NR_openat, FDCWD, "/proc", L_O_RDONLY | L_O_DIRECTORY, 0);
  char t[64];
  SHOW("ioctl TCGETS on a directory", S3(NR_ioctl, fd, 0x5401, t));
  S1(NR_close, fd);
  unsigned char si[128];
  SHOW("sysinfo", S1(NR_sysinfo, si));
  SHOW("unknown syscall 450", S0(450));
  printf("done\n");
  return 0;
}
