// t_pipe.c — pipes, eventfd, dup3, ppoll/pselect6 with timeouts, O_NONBLOCK, EOF and EPIPE, from raw
// system calls (picolibc and glibc builds). Blocking between threads is in t_pthread and t_clone.
#include "tcommon.h"

#define O_NONBLOCK 04000
#define O_CLOEXEC 02000000
#define POLLIN 1
#define POLLOUT 4
#define POLLHUP 16

struct pfd {
  int fd;
  short events, revents;
};

int main(void) {
  int p[2];
  SHOW("pipe2", S2(NR_pipe2, p, 0));
  CHECK("two new descriptors", p[0] >= 3 && p[1] > p[0]);
  SHOW("write 5", S3(NR_write, p[1], "hello", 5));
  char b[64] = {0};
  SHOW("read", S3(NR_read, p[0], b, sizeof(b)));
  printf("got '%s'\n", b);
  SHOW("write to the read end", S3(NR_write, p[0], "x", 1));
  SHOW("lseek on a pipe", S3(NR_lseek, p[0], 0, 0));
  SHOW("pread on a pipe", S4(NR_pread64, p[0], b, 1, 0));
  unsigned char st[128];
  SHOW("fstat", S2(NR_fstat, p[0], st));
  unsigned mode;
  memcpy(&mode, st + 16, 4);
  printf("S_ISFIFO: %s\n", (mode & 0170000) == 0010000 ? "yes" : "no");
  // poll: nothing to read yet, 30 ms timeout; the write end is writable
  struct pfd f[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
  long ts[2] = {0, 30 * 1000000L};
  long t0 = now_ms();
  SHOW("ppoll read end (30 ms)", S5(NR_ppoll, f, 1, ts, 0, 8));
  CHECK("ppoll waited at least 30 ms", now_ms() - t0 >= 30);
  SHOW("ppoll both", S5(NR_ppoll, f, 2, ts, 0, 8));
  printf("revents %d %d\n", f[0].revents, f[1].revents);
  S3(NR_write, p[1], "abc", 3);
  SHOW("ppoll after a write", S5(NR_ppoll, f, 1, 0, 0, 8));
  printf("revents %d\n", f[0].revents);
  long zero[2] = {0, 0};
  unsigned long rset = 1UL << p[0], wset = 1UL << p[1];
  SHOW("pselect6", S6(NR_pselect6, p[1] + 1, &rset, &wset, 0, zero, 0));
  printf("read set has the pipe: %s, write set has it: %s\n", (rset >> p[0]) & 1 ? "yes" : "no",
         (wset >> p[1]) & 1 ? "yes" : "no");
  S3(NR_read, p[0], b, sizeof(b));
  rset = 1UL << p[0];
  t0 = now_ms();
  long ts20[2] = {0, 20 * 1000000L};
  SHOW("pselect6 empty (20 ms)", S6(NR_pselect6, p[0] + 1, &rset, 0, 0, ts20, 0));
  CHECK("pselect6 waited at least 20 ms", now_ms() - t0 >= 20);
  // O_NONBLOCK
  int q[2];
  SHOW("pipe2 O_NONBLOCK|O_CLOEXEC", S2(NR_pipe2, q, O_NONBLOCK | O_CLOEXEC));
  SHOW("read empty, nonblocking", S3(NR_read, q[0], b, 1));
  SHOW("fcntl F_GETFD", S2(NR_fcntl, q[0], 1));
  SHOW("fcntl F_GETFL & O_NONBLOCK", S2(NR_fcntl, q[0], 3) & O_NONBLOCK);
  static char big[70000];
  long w = S3(NR_write, q[1], big, sizeof(big));
  printf("nonblocking write of 70000 into an empty pipe = %ld\n", w);
  SHOW("then a full pipe", S3(NR_write, q[1], big, 1));
  // EOF when the writer is closed; EPIPE (SIGPIPE ignored) when the reader is
  S1(NR_close, p[1]);
  SHOW("read at EOF", S3(NR_read, p[0], b, 1));
  f[0].revents = 0;
  SHOW("ppoll at EOF", S5(NR_ppoll, f, 1, zero, 0, 8));
  printf("revents has POLLHUP: %s\n", f[0].revents & POLLHUP ? "yes" : "no");
  unsigned long ign[3] = {1 /* SIG_IGN */, 0, 0};
  SHOW("ignore SIGPIPE", S4(NR_rt_sigaction, 13, ign, 0, 8));
  S1(NR_close, q[0]);
  SHOW("write without readers", S3(NR_write, q[1], "x", 1));
  S1(NR_close, q[1]);
  // dup3
  SHOW("dup3 onto 20", S3(NR_dup3, p[0], 20, O_CLOEXEC));
  SHOW("dup3 F_GETFD", S2(NR_fcntl, 20, 1));
  SHOW("dup3 same fd", S3(NR_dup3, 20, 20, 0));
  SHOW("dup3 bad flags", S3(NR_dup3, p[0], 21, 1));
  S1(NR_close, 20);
  S1(NR_close, p[0]);
  // eventfd: a counter; semaphore mode hands out 1 at a time
  long e = S2(NR_eventfd2, 3, O_NONBLOCK);
  OK("eventfd2", e);
  unsigned long v = 4;
  SHOW("eventfd write 4", S3(NR_write, e, &v, 8));
  SHOW("eventfd read", S3(NR_read, e, &v, 8));
  printf("value %lu\n", v);
  SHOW("eventfd read empty", S3(NR_read, e, &v, 8));
  SHOW("eventfd short read", S3(NR_read, e, &v, 4));
  S1(NR_close, e);
  e = S2(NR_eventfd2, 2, 1 /* EFD_SEMAPHORE */ | O_NONBLOCK);
  S3(NR_read, e, &v, 8);
  printf("semaphore read %lu\n", v);
  S3(NR_read, e, &v, 8);
  printf("semaphore read %lu\n", v);
  SHOW("semaphore empty", S3(NR_read, e, &v, 8));
  struct pfd ef = {(int)e, POLLIN | POLLOUT, 0};
  SHOW("ppoll eventfd", S5(NR_ppoll, &ef, 1, zero, 0, 8));
  printf("revents %d\n", ef.revents);
  S1(NR_close, e);
  printf("done\n");
  return 0;
}
