// syscall.h — Linux riscv64 system call numbers (asm-generic/unistd.h) and helpers shared by
// the sys_*.c files.
#ifndef SYSCALL_H
#define SYSCALL_H
#include "errno.h"
#include "proc.h"
#include "vfs.h"

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_EMPTY_PATH 0x1000

struct file *fd_get(int fd);
int fd_install(struct file *f, int min, bool cloexec);
int path_at(int dirfd, u64 upath, char *abs, size_t len);
int user_segs(u64 va, size_t len, bool write, struct vq_seg *segs, int max, size_t *covered);

long sys_fs(long nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, bool *handled);
long sys_mem(long nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, bool *handled);
long sys_thread(long nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, bool *handled);
long sys_io(long nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, bool *handled);
void by_design(long nr, const char *why);
// signal.c
long sys_rt_sigaction(int sig, u64 uact, u64 uold, u64 size);
long sys_rt_sigprocmask(int how, u64 uset, u64 uold, u64 size);
long sys_rt_sigpending(u64 uset, u64 size);
long sys_kill(long pid, int sig);
long sys_tgkill(long tgid, long tid, int sig);
long sys_sigaltstack(u64 uss, u64 uold);
long sys_rt_sigreturn(void);
void signal_send(struct thread *t, int sig);
#endif
