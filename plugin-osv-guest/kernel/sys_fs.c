// sys_fs.c — file system calls with Linux semantics (man 2 openat, read, getdents64, statx...).
// Struct layouts are those of the riscv64 Linux ABI (asm-generic stat: 128 bytes; statx: 256;
// statfs: 120; linux_dirent64; termios: 36 bytes with 19 control characters).
#include <stdlib.h>
#include "syscall.h"

static struct file *console_file(void) {
  static struct file *con;
  if (!con) {
    con = file_alloc();
    con->kind = FK_CONSOLE;
    con->flags = O_RDWR;
    con->refcnt = 1 << 30;  // never freed
    strcpy(con->path, "/dev/console");
  }
  return con;
}

void proc_init_stdio(struct proc *p) {
  for (int i = 0; i < 3; i++) {
    p->fds[i] = console_file();
    file_ref(p->fds[i]);
  }
}

struct file *fd_get(int fd) { return fd >= 0 && fd < NFD ? current->fds[fd] : NULL; }

int fd_install(struct file *f, int min, bool cloexec) {
  for (int i = min; i < NFD; i++)
    if (!current->fds[i]) {
      current->fds[i] = f;
      current->cloexec[i] = cloexec;
      return i;
    }
  return -EMFILE;
}

int path_at(int dirfd, u64 upath, char *abs, size_t len) {
  char p[256];
  long n = strncpy_from_user(p, upath, sizeof(p));
  if (n < 0) return (int)n;
  const char *base = current->cwd;
  if (p[0] != '/' && dirfd != AT_FDCWD) {
    struct file *d = fd_get(dirfd);
    if (!d) return -EBADF;
    if (d->kind != FK_VNODE || !S_ISDIR(d->vn->mode)) return -ENOTDIR;
    base = d->path;
  }
  if (n == 0) return -ENOENT;
  return vfs_abspath(base, p, abs, len);
}

int user_segs(u64 va, size_t len, bool write, struct vq_seg *segs, int max, size_t *covered) {
  int n = 0;
  size_t done = 0;
  while (done < len) {
    u64 pa = vm_user_pa(current, va + done, write);
    if (!pa) {
      if (done) break;
      return -EFAULT;
    }
    size_t k = MIN(len - done, PAGE_SIZE - ((va + done) & (PAGE_SIZE - 1)));
    if (n && segs[n - 1].addr + segs[n - 1].len == pa && segs[n - 1].len + k <= 0x80000000u)
      segs[n - 1].len += (u32)k;
    else if (n == max)
      break;
    else
      segs[n++] = (struct vq_seg){pa, (u32)k};
    done += k;
  }
  *covered = done;
  return n;
}

// Move up to len bytes between a file and user memory at file offset off.
static long file_rw(struct file *f, u64 va, size_t len, u64 off, bool write) {
  if (f->kind == FK_CONSOLE) {
    char buf[1024];
    if (write) {
      size_t done = 0;
      while (done < len) {
        size_t k = MIN(len - done, sizeof(buf));
        if (copy_from_user(buf, va + done, k)) return done ? (long)done : -EFAULT;
        console_write(buf, k);
        done += k;
      }
      return (long)done;
    }
    if (len == 0) return 0;
    if (!vm_user_pa(current, va, true)) return -EFAULT;  // check before blocking for input
    long n = console_read(buf, MIN(len, sizeof(buf)), f->flags & O_NONBLOCK);
    if (n > 0 && copy_to_user(va, buf, (size_t)n)) return -EFAULT;
    return n;
  }
  int acc = f->flags & O_ACCMODE;
  if (write ? acc == O_RDONLY : acc == O_WRONLY) return -EBADF;
  if (f->kind != FK_VNODE) return io_file_rw(f, va, len, write);
  size_t done = 0;
  while (done < len) {
    struct vq_seg segs[64];
    size_t cov;
    int n = user_segs(va + done, len - done, !write, segs, 64, &cov);
    if (n < 0) return done ? (long)done : n;
    long r = write ? vfs_write(f, segs, n, off + done) : vfs_read(f, segs, n, off + done);
    if (r < 0) return done ? (long)done : r;
    done += (size_t)r;
    if ((size_t)r < cov) break;
  }
  return (long)done;
}

static long do_rw(int fd, u64 va, size_t len, i64 pos, bool write) {
  struct file *f = fd_get(fd);
  if (!f) return -EBADF;
  if (len > 0x7ffff000) len = 0x7ffff000;
  if (pos >= 0) {
    if (f->kind != FK_VNODE) return -ESPIPE;
    return file_rw(f, va, len, (u64)pos, write);
  }
  u64 off = f->off;
  if (write && f->kind == FK_VNODE && (f->flags & O_APPEND)) {
    struct kstat st;
    if (vfs_stat(f->vn, &st) == 0) off = st.size;
  }
  long r = file_rw(f, va, len, off, write);
  if (r > 0 && f->kind == FK_VNODE) f->off = off + (u64)r;
  return r;
}

static long do_rwv(int fd, u64 iov, int cnt, i64 pos, bool write) {
  if (cnt < 0 || cnt > 1024) return -EINVAL;
  long total = 0;
  for (int i = 0; i < cnt; i++) {
    u64 v[2];
    if (copy_from_user(v, iov + 16 * (u64)i, 16)) return total ? total : -EFAULT;
    if (!v[1]) continue;
    long r = do_rw(fd, v[0], v[1], pos < 0 ? -1 : pos + total, write);
    if (r < 0) return total ? total : r;
    total += r;
    if ((u64)r < v[1]) break;
  }
  return total;
}

static void fill_stat(const struct kstat *k, u8 *b) {  // struct stat, asm-generic, 128 bytes
  memset(b, 0, 128);
  memcpy(b + 0, &k->dev, 8);
  memcpy(b + 8, &k->ino, 8);
  memcpy(b + 16, &k->mode, 4);
  memcpy(b + 20, &k->nlink, 4);
  memcpy(b + 24, &k->uid, 4);
  memcpy(b + 28, &k->gid, 4);
  memcpy(b + 32, &k->rdev, 8);
  memcpy(b + 48, &k->size, 8);
  memcpy(b + 56, &k->blksize, 4);
  memcpy(b + 64, &k->blocks, 8);
  u64 t[6] = {(u64)k->atime, k->atime_ns, (u64)k->mtime, k->mtime_ns, (u64)k->ctime, k->ctime_ns};
  memcpy(b + 72, t, 48);
}

static void fill_statx(const struct kstat *k, u8 *b) {  // struct statx, 256 bytes
  memset(b, 0, 256);
  u32 mask = 0x7ff;  // STATX_BASIC_STATS
  u16 mode = (u16)k->mode;
  memcpy(b + 0, &mask, 4);
  memcpy(b + 4, &k->blksize, 4);
  memcpy(b + 16, &k->nlink, 4);
  memcpy(b + 20, &k->uid, 4);
  memcpy(b + 24, &k->gid, 4);
  memcpy(b + 28, &mode, 2);
  memcpy(b + 32, &k->ino, 8);
  memcpy(b + 40, &k->size, 8);
  memcpy(b + 48, &k->blocks, 8);
  i64 ts[4][2] = {{k->atime, k->atime_ns}, {0, 0}, {k->ctime, k->ctime_ns}, {k->mtime, k->mtime_ns}};
  for (int i = 0; i < 4; i++) {
    memcpy(b + 64 + 16 * i, &ts[i][0], 8);
    u32 ns = (u32)ts[i][1];
    memcpy(b + 72 + 16 * i, &ns, 4);
  }
  u32 maj = (u32)(k->dev >> 8), min = (u32)(k->dev & 0xff);
  memcpy(b + 136, &maj, 4);
  memcpy(b + 140, &min, 4);
}

static int stat_file(struct file *f, struct kstat *st) {
  if (f->kind == FK_PIPE || f->kind == FK_EVENTFD) {
    memset(st, 0, sizeof(*st));
    st->mode = f->kind == FK_PIPE ? S_IFIFO | 0600 : 0600;
    st->dev = 0xc;
    st->ino = (u64)f->obj >> 4;
    st->nlink = 1;
    st->blksize = 4096;
    return 0;
  }
  if (f->kind == FK_CONSOLE) {
    memset(st, 0, sizeof(*st));
    st->mode = S_IFCHR | 0620;
    st->rdev = (5 << 8) | 1;
    st->dev = 5;
    st->ino = 3;
    st->nlink = 1;
    st->blksize = 1024;
    return 0;
  }
  return vfs_stat(f->vn, st);
}

static int stat_at(int dirfd, u64 upath, int flags, struct kstat *st) {
  char abs[256];
  char c;
  if ((flags & AT_EMPTY_PATH) && copy_from_user(&c, upath, 1) == 0 && c == 0) {
    struct file *f = dirfd == AT_FDCWD ? NULL : fd_get(dirfd);
    if (dirfd == AT_FDCWD) {
      struct vnode *vn;
      int r = vfs_lookup(current->cwd, LOOKUP_FOLLOW, &vn);
      if (r < 0) return r;
      r = vfs_stat(vn, st);
      vn_put(vn);
      return r;
    }
    return f ? stat_file(f, st) : -EBADF;
  }
  int r = path_at(dirfd, upath, abs, sizeof(abs));
  if (r < 0) return r;
  struct vnode *vn;
  r = vfs_lookup(abs, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &vn);
  if (r < 0) return r;
  r = vfs_stat(vn, st);
  vn_put(vn);
  return r;
}

struct dents_ctx {
  u8 *buf;
  size_t cap, used;
};
static int emit_dent(void *c, u64 ino, u8 type, const char *name, size_t nl) {
  struct dents_ctx *d = c;
  size_t rec = ALIGN_UP(19 + nl + 1, 8);  // linux_dirent64: ino 8, off 8, reclen 2, type 1, name
  if (d->used + rec > d->cap) return 1;
  u8 *p = d->buf + d->used;
  memset(p, 0, rec);
  i64 off = (i64)(d->used + rec);
  u16 rl = (u16)rec;
  memcpy(p, &ino, 8);
  memcpy(p + 8, &off, 8);
  memcpy(p + 16, &rl, 2);
  p[18] = type;
  memcpy(p + 19, name, nl);
  d->used += rec;
  return 0;
}

static long sys_getdents64(int fd, u64 ubuf, size_t count) {
  struct file *f = fd_get(fd);
  if (!f) return -EBADF;
  if (f->kind != FK_VNODE || !S_ISDIR(f->vn->mode)) return -ENOTDIR;
  struct dents_ctx d = {malloc(MIN(count, 65536)), MIN(count, 65536), 0};
  if (!d.buf) return -ENOMEM;
  int r = f->vn->ops->readdir(f, emit_dent, &d);
  long ret = r < 0 ? r : (d.used == 0 && count < 32 ? -EINVAL : (long)d.used);
  if (ret > 0 && copy_to_user(ubuf, d.buf, d.used)) ret = -EFAULT;
  free(d.buf);
  return ret;
}

static long sys_openat(int dirfd, u64 upath, int flags, u32 mode) {
  char abs[256];
  int r = path_at(dirfd, upath, abs, sizeof(abs));
  if (r < 0) return r;
  struct file *f;
  if (!strcmp(abs, "/dev/console") || !strcmp(abs, "/dev/tty")) {
    f = console_file();
    file_ref(f);
  } else {
    r = vfs_open(abs, flags & ~O_CLOEXEC, mode, &f);
    if (r < 0) return r;
  }
  r = fd_install(f, 0, flags & O_CLOEXEC);
  if (r < 0) file_put(f);
  return r;
}

static long sys_close(int fd) {
  struct file *f = fd_get(fd);
  if (!f) return -EBADF;
  current->fds[fd] = NULL;
  int r = 0;
  if (f->kind == FK_VNODE && f->vn->ops->flush) r = f->vn->ops->flush(f);  // FUSE_FLUSH: every close()
  file_put(f);
  return r == -ENOSYS ? 0 : r;
}

static long sys_lseek(int fd, i64 off, int whence) {
  struct file *f = fd_get(fd);
  if (!f) return -EBADF;
  if (f->kind != FK_VNODE) return -ESPIPE;
  i64 base;
  struct kstat st;
  switch (whence) {
    case 0: base = 0; break;
    case 1: base = (i64)f->off; break;
    case 2:
      if (vfs_stat(f->vn, &st) < 0) return -EIO;
      base = (i64)st.size;
      break;
    default: return -EINVAL;
  }
  if (base + off < 0) return -EINVAL;
  f->off = (u64)(base + off);
  if (S_ISDIR(f->vn->mode) && base + off == 0) f->dir_cookie = 0;  // rewinddir
  return (long)f->off;
}

static long sys_ioctl(int fd, u64 req, u64 arg) {
  struct file *f = fd_get(fd);
  if (!f) return -EBADF;
  if (f->kind != FK_CONSOLE) return -ENOTTY;
  if (req == 0x5401) {  // TCGETS: canonical mode with echo (c_lflag ICANON|ECHO|ISIG), ONLCR, ICRNL
    u8 t[36] = {0};
    u32 iflag = 0400 /*ICRNL*/, oflag = 05 /*OPOST|ONLCR*/, cflag = 0277 /*B38400|CS8|CREAD*/,
        lflag = 0x8a3b /*ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN*/;
    memcpy(t, &iflag, 4);
    memcpy(t + 4, &oflag, 4);
    memcpy(t + 8, &cflag, 4);
    memcpy(t + 12, &lflag, 4);
    t[17 + 4] = 4;  // VEOF = ^D
    return copy_to_user(arg, t, sizeof(t)) ? -EFAULT : 0;
  }
  if (req == 0x5402 || req == 0x5403 || req == 0x5404) return 0;  // TCSETS*: accepted, mode unchanged
  if (req == 0x5413) {  // TIOCGWINSZ
    u16 ws[4] = {24, 80, 0, 0};
    return copy_to_user(arg, ws, sizeof(ws)) ? -EFAULT : 0;
  }
  return -ENOTTY;
}

static long fill_statfs(struct mount *m, u64 ubuf) {
  struct kstatfs k;
  if (!m->root->ops->statfs) return -ENOSYS;
  int r = m->root->ops->statfs(m, &k);
  if (r < 0) return r;
  u64 b[15] = {k.type, k.bsize, k.blocks, k.bfree, k.bavail, k.files, k.ffree, 0, k.namelen, k.frsize, 0};
  return copy_to_user(ubuf, b, 120) ? -EFAULT : 0;
}

long sys_fs(long nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, bool *handled) {
  char abs[256], abs2[256];
  struct kstat st;
  struct file *f;
  int r;
  *handled = true;
  switch (nr) {
    case 63: return do_rw((int)a0, a1, a2, -1, false);  // read
    case 64: return do_rw((int)a0, a1, a2, -1, true);   // write
    case 65: return do_rwv((int)a0, a1, (int)a2, -1, false);
    case 66: return do_rwv((int)a0, a1, (int)a2, -1, true);
    case 67: return (i64)a3 < 0 ? -EINVAL : do_rw((int)a0, a1, a2, (i64)a3, false);  // pread64
    case 68: return (i64)a3 < 0 ? -EINVAL : do_rw((int)a0, a1, a2, (i64)a3, true);   // pwrite64
    case 56: return sys_openat((int)a0, a1, (int)a2, (u32)a3);
    case 57: return sys_close((int)a0);
    case 62: return sys_lseek((int)a0, (i64)a1, (int)a2);
    case 61: return sys_getdents64((int)a0, a1, a2);
    case 29: return sys_ioctl((int)a0, a1, a2);
    case 80:  // fstat
      if (!(f = fd_get((int)a0))) return -EBADF;
      if ((r = stat_file(f, &st)) < 0) return r;
      {
        u8 b[128];
        fill_stat(&st, b);
        return copy_to_user(a1, b, 128) ? -EFAULT : 0;
      }
    case 79:  // newfstatat
      if ((r = stat_at((int)a0, a1, (int)a3, &st)) < 0) return r;
      {
        u8 b[128];
        fill_stat(&st, b);
        return copy_to_user(a2, b, 128) ? -EFAULT : 0;
      }
    case 291:  // statx(dirfd, path, flags, mask, buf)
      if ((r = stat_at((int)a0, a1, (int)a2, &st)) < 0) return r;
      {
        u8 b[256];
        fill_statx(&st, b);
        return copy_to_user(a4, b, 256) ? -EFAULT : 0;
      }
    case 78: {  // readlinkat
      if ((r = path_at((int)a0, a1, abs, sizeof(abs))) < 0) return r;
      char buf[256];
      r = vfs_readlink(abs, buf, MIN(a3, sizeof(buf)));
      if (r < 0) return r;
      return copy_to_user(a2, buf, (size_t)r) ? -EFAULT : r;
    }
    case 48:  // faccessat(dirfd, path, mode)
    case 439: {  // faccessat2
      if ((r = path_at((int)a0, a1, abs, sizeof(abs))) < 0) return r;
      struct vnode *vn;
      if ((r = vfs_lookup(abs, LOOKUP_FOLLOW, &vn)) < 0) return r;
      u32 mode = vn->mode;
      vn_put(vn);
      if ((a2 & 1) && !S_ISDIR(mode) && !(mode & 0111)) return -EACCES;  // X_OK; uid 0 passes R/W
      return 0;
    }
    case 17: {  // getcwd
      size_t l = strlen(current->cwd) + 1;
      if (a1 < l) return -ERANGE;
      return copy_to_user(a0, current->cwd, l) ? -EFAULT : (long)l;
    }
    case 49:  // chdir
    case 50: {  // fchdir
      if (nr == 49) {
        if ((r = path_at(AT_FDCWD, a0, abs, sizeof(abs))) < 0) return r;
      } else {
        if (!(f = fd_get((int)a0)) || f->kind != FK_VNODE) return -EBADF;
        strcpy(abs, f->path);
      }
      struct vnode *vn;
      if ((r = vfs_lookup(abs, LOOKUP_FOLLOW, &vn)) < 0) return r;
      bool dir = S_ISDIR(vn->mode);
      vn_put(vn);
      if (!dir) return -ENOTDIR;
      strcpy(current->cwd, abs);
      return 0;
    }
    case 34:  // mkdirat
      if ((r = path_at((int)a0, a1, abs, sizeof(abs))) < 0) return r;
      return vfs_mkdir(abs, (u32)a2);
    case 35:  // unlinkat
      if ((r = path_at((int)a0, a1, abs, sizeof(abs))) < 0) return r;
      if (a2 & ~(u64)AT_REMOVEDIR) return -EINVAL;
      return vfs_unlink(abs, a2 & AT_REMOVEDIR);
    case 276: {  // renameat2(olddirfd, old, newdirfd, new, flags)
      if ((r = path_at((int)a0, a1, abs, sizeof(abs))) < 0) return r;
      if ((r = path_at((int)a2, a3, abs2, sizeof(abs2))) < 0) return r;
      if (a4 & ~1ULL) return -EINVAL;  // only RENAME_NOREPLACE
      if (a4 & 1) {
        struct vnode *vn;
        if (vfs_lookup(abs2, 0, &vn) == 0) {
          vn_put(vn);
          return -EEXIST;
        }
      }
      return vfs_rename(abs, abs2);
    }
    case 46:  // ftruncate
      if (!(f = fd_get((int)a0)) || f->kind != FK_VNODE) return -EBADF;
      if ((f->flags & O_ACCMODE) == O_RDONLY || !S_ISREG(f->vn->mode)) return -EINVAL;
      return f->vn->ops->truncate ? f->vn->ops->truncate(f->vn, f, a1) : -EROFS;
    case 82:  // fsync
    case 83:  // fdatasync
      if (!(f = fd_get((int)a0))) return -EBADF;
      if (f->kind == FK_CONSOLE) return 0;
      if (f->kind != FK_VNODE) return -EINVAL;
      return f->vn->ops->fsync ? f->vn->ops->fsync(f) : 0;
    case 23:  // dup
      if (!(f = fd_get((int)a0))) return -EBADF;
      file_ref(f);
      if ((r = fd_install(f, 0, false)) < 0) file_put(f);
      return r;
    case 24:  // dup3
      if (!(f = fd_get((int)a0)) || a1 >= NFD) return -EBADF;
      if (a0 == a1 || (a2 & ~(u64)O_CLOEXEC)) return -EINVAL;
      file_ref(f);
      file_put(current->fds[a1]);
      current->fds[a1] = f;
      current->cloexec[a1] = (a2 & O_CLOEXEC) != 0;
      return (long)a1;
    case 25:  // fcntl
      if (!(f = fd_get((int)a0))) return -EBADF;
      switch (a1) {
        case 0:      // F_DUPFD
        case 1030:   // F_DUPFD_CLOEXEC
          file_ref(f);
          if ((r = fd_install(f, (int)a2, a1 == 1030)) < 0) file_put(f);
          return r;
        case 1: return current->cloexec[a0] ? 1 : 0;  // F_GETFD
        case 2: current->cloexec[a0] = a2 & 1; return 0;  // F_SETFD
        case 3: return f->flags;                            // F_GETFL
        case 4: f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | (int)(a2 & (O_APPEND | O_NONBLOCK)); return 0;
        default: return -EINVAL;
      }
    case 43: {  // statfs
      if ((r = path_at(AT_FDCWD, a0, abs, sizeof(abs))) < 0) return r;
      struct vnode *vn;
      if ((r = vfs_lookup(abs, LOOKUP_FOLLOW, &vn)) < 0) return r;
      long x = fill_statfs(vn->mnt, a1);
      vn_put(vn);
      return x;
    }
    case 44:  // fstatfs
      if (!(f = fd_get((int)a0)) || f->kind != FK_VNODE) return -EBADF;
      return fill_statfs(f->vn->mnt, a1);
  }
  *handled = false;
  return -ENOSYS;
}
