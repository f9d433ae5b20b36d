// errno.h — Linux error numbers (include/uapi/asm-generic/errno-base.h, errno.h). The kernel
// returns these to apps and receives them from the FUSE server; picolibc's own <errno.h> uses
// newlib numbering (e.g. ENOSYS 88), so the kernel must never include it.
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H
#define EPERM 1
#define ENOENT 2
#define EIO 5
#define E2BIG 7
#define ESRCH 3
#define EINTR 4
#define ENOEXEC 8
#define ECHILD 10
#define EAGAIN 11
#define EBADF 9
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOTTY 25
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define EPIPE 32
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENOTEMPTY 39
#define ELOOP 40
#define EPROTO 71
#define ETIMEDOUT 110
#endif
