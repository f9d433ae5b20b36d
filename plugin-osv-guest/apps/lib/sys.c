// sys.c — picolibc's OS hooks on the Linux riscv64 system-call ABI (ecall, a7 = number), the
// start-up code (argc/argv/envp from the stack, TLS for errno, constructors, stdio on fds 0-2)
// and a few helpers declared in osv.h. Nothing here knows it runs on the OSv-like guest except
// osv_run (500) and osv_fuse_requests (501).
#include <errno.h>
#include <fcntl.h>
#include <picotls.h>
#include <stdarg.h>
#include <stdio-bufio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/times.h>
#include <sys/time.h>
#include "osv.h"

#define LINUX_AT_FDCWD (-100)

long osv_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
  register long r_a0 __asm__("a0") = a0;
  register long r_a1 __asm__("a1") = a1;
  register long r_a2 __asm__("a2") = a2;
  register long r_a3 __asm__("a3") = a3;
  register long r_a4 __asm__("a4") = a4;
  register long r_a5 __asm__("a5") = a5;
  register long r_a7 __asm__("a7") = nr;
  __asm__ volatile("ecall"
                   : "+r"(r_a0)
                   : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a7)
                   : "memory");
  return r_a0;
}

long osv_sc_ret(long r) {
  if (r < 0 && r > -4096) {
    errno = (int)-r;
    return -1;
  }
  return r;
}
#define SC(nr, a, b, c, d, e, f) osv_sc_ret(osv_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)))

ssize_t read(int fd, void *buf, size_t n) { return SC(63, fd, buf, n, 0, 0, 0); }
ssize_t write(int fd, const void *buf, size_t n) { return SC(64, fd, buf, n, 0, 0, 0); }
long osv_pread(int fd, void *buf, size_t n, long off) { return SC(67, fd, buf, n, off, 0, 0); }
int close(int fd) { return (int)SC(57, fd, 0, 0, 0, 0, 0); }
off_t lseek(int fd, off_t off, int whence) { return SC(62, fd, off, whence, 0, 0, 0); }
int unlink(const char *p) { return (int)SC(35, LINUX_AT_FDCWD, p, 0, 0, 0, 0); }
int osv_rmdir(const char *p) { return (int)SC(35, LINUX_AT_FDCWD, p, 0x200, 0, 0, 0); }
int osv_mkdir(const char *p, mode_t m) { return (int)SC(34, LINUX_AT_FDCWD, p, m, 0, 0, 0); }
int osv_rename(const char *a, const char *b) { return (int)SC(276, LINUX_AT_FDCWD, a, LINUX_AT_FDCWD, b, 0, 0); }
int osv_chdir(const char *p) { return (int)SC(49, p, 0, 0, 0, 0, 0); }
int osv_dup(int fd) { return (int)SC(23, fd, 0, 0, 0, 0, 0); }
int osv_dup2(int fd, int to) { return fd == to ? to : (int)SC(24, fd, to, 0, 0, 0, 0); }
int osv_fsync(int fd) { return (int)SC(82, fd, 0, 0, 0, 0, 0); }
int osv_ftruncate(int fd, long len) { return (int)SC(46, fd, len, 0, 0, 0, 0); }
long osv_readlink(const char *p, char *b, size_t n) { return SC(78, LINUX_AT_FDCWD, p, b, n, 0, 0); }
int osv_uname(struct osv_utsname *u) { return (int)SC(160, u, 0, 0, 0, 0, 0); }
long osv_fuse_requests(void) { return SC(501, 0, 0, 0, 0, 0, 0); }
int osv_run(const char *path, char *const argv[]) {
  extern char **environ;
  return (int)SC(500, path, argv, environ, 0, 0, 0);
}
char *osv_getcwd(char *b, size_t n) { return SC(17, b, n, 0, 0, 0, 0) < 0 ? NULL : b; }
int osv_clock_gettime(int clk, struct timespec *ts) { return (int)SC(113, clk, ts, 0, 0, 0, 0); }
int osv_nanosleep(long s, long ns) {
  long ts[2] = {s, ns};
  return (int)SC(101, ts, 0, 0, 0, 0, 0);
}
int osv_isatty(int fd) {
  char t[64];
  return SC(29, fd, 0x5401, t, 0, 0, 0) == 0;
}
int isatty(int fd) { return osv_isatty(fd); }

int open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int mode = (flags & O_CREAT) ? va_arg(ap, int) : 0;
  va_end(ap);
  // picolibc's O_* values match Linux asm-generic for the bits below; translate explicitly anyway
  int lf = flags & 3;
  if (flags & O_CREAT) lf |= 0100;
  if (flags & O_EXCL) lf |= 0200;
  if (flags & O_TRUNC) lf |= 01000;
  if (flags & O_APPEND) lf |= 02000;
  return (int)SC(56, LINUX_AT_FDCWD, path, lf, mode, 0, 0);
}

// Linux struct stat (asm-generic, 128 bytes) -> picolibc struct stat
static void conv_stat(const unsigned char *b, struct stat *st) {
  uint64_t u64v[16];
  memcpy(u64v, b, 128);
  memset(st, 0, sizeof(*st));
  st->st_dev = (dev_t)u64v[0];
  st->st_ino = (ino_t)u64v[1];
  st->st_mode = *(const uint32_t *)(b + 16);
  st->st_nlink = (nlink_t)*(const uint32_t *)(b + 20);
  st->st_uid = *(const uint32_t *)(b + 24);
  st->st_gid = *(const uint32_t *)(b + 28);
  st->st_rdev = (dev_t)u64v[4];
  st->st_size = (off_t)u64v[6];
  st->st_blksize = *(const int32_t *)(b + 56);
  st->st_blocks = (blkcnt_t)u64v[8];
  st->st_atim.tv_sec = (time_t)u64v[9], st->st_atim.tv_nsec = (long)u64v[10];
  st->st_mtim.tv_sec = (time_t)u64v[11], st->st_mtim.tv_nsec = (long)u64v[12];
  st->st_ctim.tv_sec = (time_t)u64v[13], st->st_ctim.tv_nsec = (long)u64v[14];
}
int fstat(int fd, struct stat *st) {
  unsigned char b[128] __attribute__((aligned(8)));
  if (SC(80, fd, b, 0, 0, 0, 0) < 0) return -1;
  conv_stat(b, st);
  return 0;
}
static int statat(const char *p, struct stat *st, int flags) {
  unsigned char b[128] __attribute__((aligned(8)));
  if (SC(79, LINUX_AT_FDCWD, p, b, flags, 0, 0) < 0) return -1;
  conv_stat(b, st);
  return 0;
}
int stat(const char *p, struct stat *st) { return statat(p, st, 0); }
int osv_lstat(const char *p, struct stat *st) { return statat(p, st, 0x100); }

void _exit(int code) {
  for (;;) osv_syscall(94, code, 0, 0, 0, 0, 0);
}
pid_t getpid(void) { return (pid_t)osv_syscall(172, 0, 0, 0, 0, 0, 0); }
int kill(pid_t pid, int sig) { return (int)SC(129, pid, sig, 0, 0, 0, 0); }
int sigprocmask(int how, const sigset_t *set, sigset_t *old) {
  if (old) memset(old, 0, sizeof(*old));
  return 0;
}
int gettimeofday(struct timeval *tv, void *tz) {
  struct timespec ts;
  if (osv_clock_gettime(OSV_CLOCK_REALTIME, &ts) < 0) return -1;
  tv->tv_sec = ts.tv_sec;
  tv->tv_usec = ts.tv_nsec / 1000;
  return 0;
}
clock_t times(struct tms *t) {
  struct timespec ts;
  osv_clock_gettime(OSV_CLOCK_MONOTONIC, &ts);
  clock_t c = (clock_t)(ts.tv_sec * 100 + ts.tv_nsec / 10000000);
  if (t) t->tms_utime = c, t->tms_stime = 0, t->tms_cutime = 0, t->tms_cstime = 0;
  return c;
}
int getentropy(void *buf, size_t n) { return SC(278, buf, n, 0, 0, 0, 0) == (long)n ? 0 : -1; }

// malloc's heap through brk(2)
static char *cur_brk;
void *sbrk(ptrdiff_t incr) {
  if (!cur_brk) cur_brk = (char *)osv_syscall(214, 0, 0, 0, 0, 0, 0);
  char *old = cur_brk, *want = cur_brk + incr;
  char *got = (char *)osv_syscall(214, (long)want, 0, 0, 0, 0, 0);
  if (got != want) {
    errno = ENOMEM;
    return (void *)-1;
  }
  cur_brk = got;
  return old;
}

// directories through getdents64 (struct linux_dirent64)
struct osv_dir {
  int fd;
  long pos, len;
  char buf[4096];
  struct osv_dirent ent;
};
OSV_DIR *osv_opendir(const char *path) {
  int fd = (int)SC(56, LINUX_AT_FDCWD, path, 0200000 /*O_DIRECTORY*/, 0, 0, 0);
  if (fd < 0) return NULL;
  OSV_DIR *d = calloc(1, sizeof(*d));
  if (!d) {
    close(fd);
    return NULL;
  }
  d->fd = fd;
  return d;
}
struct osv_dirent *osv_readdir(OSV_DIR *d) {
  if (d->pos >= d->len) {
    d->len = SC(61, d->fd, d->buf, sizeof(d->buf), 0, 0, 0);
    d->pos = 0;
    if (d->len <= 0) return NULL;
  }
  char *p = d->buf + d->pos;
  unsigned short reclen;
  memcpy(&d->ent.ino, p, 8);
  memcpy(&reclen, p + 16, 2);
  d->ent.type = (unsigned char)p[18];
  strncpy(d->ent.name, p + 19, 255);
  d->ent.name[255] = 0;
  d->pos += reclen;
  return &d->ent;
}
int osv_closedir(OSV_DIR *d) {
  int r = close(d->fd);
  free(d);
  return r;
}

// stdio on file descriptors 0, 1, 2 (picolibc tinystdio "bufio")
static char inbuf[256], outbuf[1024], errbuf[256];
static struct __file_bufio in_f = FDEV_SETUP_BUFIO(0, inbuf, sizeof(inbuf), read, write, lseek, close,
                                                   _FDEV_SETUP_READ, 0);
static struct __file_bufio out_f = FDEV_SETUP_BUFIO(1, outbuf, sizeof(outbuf), read, write, lseek, close,
                                                    _FDEV_SETUP_WRITE, __BLBF);
static struct __file_bufio err_f = FDEV_SETUP_BUFIO(2, errbuf, sizeof(errbuf), read, write, lseek, close,
                                                    _FDEV_SETUP_WRITE, __BLBF);
FILE *const stdin = &in_f.xfile.cfile.file;
FILE *const stdout = &out_f.xfile.cfile.file;
FILE *const stderr = &err_f.xfile.cfile.file;

char **environ;
extern int main(int, char **, char **);
extern void __libc_init_array(void);
static char tls_block[256] __attribute__((aligned(64)));

static void flush_std(void) {
  fflush(stdout);
  fflush(stderr);
}

void __osv_start(long *sp) {
  int argc = (int)sp[0];
  char **argv = (char **)(sp + 1);
  environ = argv + argc + 1;
  if (_tls_size() > sizeof(tls_block)) _exit(70);
  _init_tls(tls_block);
  _set_tls(tls_block);
  __libc_init_array();
  atexit(flush_std);
  exit(main(argc, argv, environ));
}
