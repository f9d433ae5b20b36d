// devfs.c — /dev: the character devices Linux programs expect (Documentation/admin-guide/devices.txt):
// null (1,3), zero (1,5), full (1,7), random (1,8), urandom (1,9), tty (5,0), console (5,1).
// Opening tty or console gives the console file (sys_fs.c); the others are read/written here.
// random and urandom come from the kernel's xorshift generator, seeded from mtime and the cycle
// counter: unpredictable enough for hash seeds, not for keys (README "Missing").
#include "errno.h"
#include "proc.h"
#include "vfs.h"

enum { D_ROOT, D_NULL, D_ZERO, D_FULL, D_RANDOM, D_URANDOM, D_TTY, D_CONSOLE, D_N };
static const struct {
  const char *name;
  u32 rdev;  // major << 8 | minor (old-style, as struct stat's st_rdev for small numbers)
} ent[D_N] = {
    [D_ROOT] = {"", 0},           [D_NULL] = {"null", 0x103},  [D_ZERO] = {"zero", 0x105},
    [D_FULL] = {"full", 0x107},   [D_RANDOM] = {"random", 0x108}, [D_URANDOM] = {"urandom", 0x109},
    [D_TTY] = {"tty", 0x500},     [D_CONSOLE] = {"console", 0x501},
};
static struct vnode nodes[D_N];

static int d_lookup(struct vnode *dir, const char *name, struct vnode **out) {
  for (int i = 1; i < D_N; i++)
    if (!strcmp(ent[i].name, name)) {
      *out = &nodes[i];
      vn_ref(*out);
      return 0;
    }
  return -ENOENT;
}

static int d_getattr(struct vnode *vn, struct kstat *st) {
  memset(st, 0, sizeof(*st));
  st->dev = 6;
  st->ino = vn->ino;
  st->mode = vn->mode;
  st->rdev = ent[vn->fsid].rdev;
  st->nlink = vn->fsid == D_ROOT ? 2 : 1;
  st->blksize = 4096;
  st->atime = st->mtime = st->ctime = (i64)(rtc_boot_ns() / 1000000000ULL);
  return 0;
}

static long d_read(struct file *f, const struct vq_seg *segs, int nseg, u64 off) {
  size_t n = segs_total(segs, nseg);
  switch (f->vn->fsid) {
    case D_NULL: return 0;  // end of file at once
    case D_ZERO:
    case D_FULL:
      for (int i = 0; i < nseg; i++) memset((void *)segs[i].addr, 0, segs[i].len);
      return (long)n;
    case D_RANDOM:
    case D_URANDOM:
      for (size_t at = 0; at < n; at += 8) {
        u64 r = krandom();
        segs_copy_to(segs, nseg, at, &r, MIN(8, n - at));
      }
      return (long)n;
  }
  return -EINVAL;
}

static long d_write(struct file *f, const struct vq_seg *segs, int nseg, u64 off) {
  if (f->vn->fsid == D_FULL) return -ENOSPC;
  return (long)segs_total(segs, nseg);  // null, zero, random: accepted and dropped
}

static int d_readdir(struct file *f, dirent_emit emit, void *ctx) {
  for (u64 i = f->dir_cookie + 1; i < D_N; i++) {
    if (emit(ctx, nodes[i].ino, 2 /* DT_CHR */, ent[i].name, strlen(ent[i].name))) return 0;
    f->dir_cookie = i;
  }
  return 0;
}

static int d_setattr(struct vnode *vn, const struct ksetattr *a) { return 0; }  // chmod/utimes: accepted

static int d_statfs(struct mount *m, struct kstatfs *st) {
  memset(st, 0, sizeof(*st));
  st->type = 0x01021994;  // TMPFS_MAGIC, as devtmpfs reports
  st->bsize = 4096;
  st->namelen = 255;
  return 0;
}

static const struct vnode_ops devfs_ops = {.lookup = d_lookup, .getattr = d_getattr, .read = d_read,
                                           .write = d_write,   .readdir = d_readdir, .setattr = d_setattr,
                                           .statfs = d_statfs};

struct mount *devfs_mount(const char *path) {
  for (int i = 0; i < D_N; i++) {
    nodes[i].ops = &devfs_ops;
    nodes[i].mode = i == D_ROOT ? (S_IFDIR | 0755) : (S_IFCHR | 0666);
    nodes[i].ino = 0x2000 + (u64)i;
    nodes[i].fsid = (u64)i;
    nodes[i].refcnt = 1;  // static, never freed
  }
  struct mount *m = vfs_mount(path, "devtmpfs", "devfs", &nodes[D_ROOT], NULL);
  for (int i = 0; i < D_N; i++) nodes[i].mnt = m;
  return m;
}
