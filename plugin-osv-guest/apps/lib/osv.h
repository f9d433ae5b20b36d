// osv.h — the small OS layer the picolibc apps link against (lib/sys.c): Linux riscv64 system
// calls behind the POSIX names picolibc expects, plus a directory reader and the guest's own
// calls (osv_run: run another app and wait for it; osv_fuse_requests: FUSE request counter).
#ifndef OSV_H
#define OSV_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <time.h>

long osv_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
long osv_sc_ret(long r);  // sets errno from -errno, returns -1 or r

struct osv_dirent {
  unsigned long ino;
  unsigned char type;  // DT_*: 4 dir, 8 regular, 10 symlink
  char name[256];
};
typedef struct osv_dir OSV_DIR;
OSV_DIR *osv_opendir(const char *path);
struct osv_dirent *osv_readdir(OSV_DIR *d);
int osv_closedir(OSV_DIR *d);

struct osv_utsname {
  char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};
int osv_uname(struct osv_utsname *u);
int osv_run(const char *path, char *const argv[]);  // exit status of the app, or -1 + errno
long osv_fuse_requests(void);
int osv_lstat(const char *path, struct stat *st);
long osv_readlink(const char *path, char *buf, size_t len);
int osv_rename(const char *from, const char *to);
int osv_rmdir(const char *path);
int osv_mkdir(const char *path, mode_t mode);
char *osv_getcwd(char *buf, size_t len);
int osv_chdir(const char *path);
int osv_clock_gettime(int clk, struct timespec *ts);
int osv_nanosleep(long sec, long nsec);
int osv_dup(int fd);
int osv_dup2(int fd, int to);
int osv_fsync(int fd);
int osv_ftruncate(int fd, long len);
int osv_isatty(int fd);
long osv_pread(int fd, void *buf, size_t n, long off);
#define OSV_CLOCK_REALTIME 0
#define OSV_CLOCK_MONOTONIC 1
#endif
