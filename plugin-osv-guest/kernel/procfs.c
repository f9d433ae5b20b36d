// procfs.c — read-only /proc: fuse-stats (FUSE request counters for fsbench), meminfo, mounts,
// uptime, boot-time, version, sched (harts and threads), and self/exe (a symlink to the running app, read by glibc).
// A file's text is generated when it is opened, so one read sequence sees one snapshot.
#include "errno.h"
#include <stdio.h>
#include <stdlib.h>
#include "proc.h"
#include "vfs.h"

enum { P_ROOT, P_FUSE, P_MEM, P_MOUNTS, P_UPTIME, P_BOOT, P_VERSION, P_SELF, P_EXE, P_SCHED, P_N };
static const struct {
  const char *name;
  u32 mode;
  int parent;
} ent[P_N] = {
    [P_ROOT] = {"", S_IFDIR | 0555, P_ROOT},         [P_FUSE] = {"fuse-stats", S_IFREG | 0444, P_ROOT},
    [P_MEM] = {"meminfo", S_IFREG | 0444, P_ROOT},   [P_MOUNTS] = {"mounts", S_IFREG | 0444, P_ROOT},
    [P_UPTIME] = {"uptime", S_IFREG | 0444, P_ROOT}, [P_BOOT] = {"boot-time", S_IFREG | 0444, P_ROOT},
    [P_VERSION] = {"version", S_IFREG | 0444, P_ROOT}, [P_SELF] = {"self", S_IFDIR | 0555, P_ROOT},
    [P_EXE] = {"exe", S_IFLNK | 0777, P_SELF},       [P_SCHED] = {"sched", S_IFREG | 0444, P_ROOT},
};
static struct vnode nodes[P_N];
static const struct vnode_ops procfs_ops;

extern u64 boot_app_mtime, boot_app_instret, boot_app_cycles;
extern const char osv_version[];

static int p_lookup(struct vnode *dir, const char *name, struct vnode **out) {
  for (int i = 1; i < P_N; i++)
    if (ent[i].parent == (int)dir->fsid && !strcmp(ent[i].name, name)) {
      *out = &nodes[i];
      vn_ref(*out);
      return 0;
    }
  return -ENOENT;
}

static int p_getattr(struct vnode *vn, struct kstat *st) {
  memset(st, 0, sizeof(*st));
  st->dev = 0x11;
  st->ino = vn->ino;
  st->mode = vn->mode;
  st->nlink = 1;
  st->blksize = 4096;
  i64 t = (i64)((rtc_boot_ns()) / 1000000000ULL);
  st->atime = st->mtime = st->ctime = t;
  return 0;
}

static int gen(int which, char *b, size_t n) {
  u64 now = timer_now();
  switch (which) {
    case P_FUSE:
      return virtiofs_stats(b, n);
    case P_MEM:
      return snprintf(b, n, "MemTotal: %lu kB\nMemFree: %lu kB\nPageSize: 4096\n",
                      (unsigned long)(mm_total_pages() * 4), (unsigned long)(mm_free_pages() * 4));
    case P_MOUNTS: {
      size_t o = 0;
      for (int i = 0; i < vfs_mount_count() && o < n; i++) {
        struct mount *m = vfs_mount_get(i);
        o += (size_t)snprintf(b + o, n - o, "%s %s %s rw 0 0\n", m->source, m->path, m->fstype);
      }
      return (int)MIN(o, n);
    }
    case P_UPTIME:
      return snprintf(b, n, "%lu.%02lu\n", (unsigned long)(now / timebase_hz),
                      (unsigned long)(now % timebase_hz * 100 / timebase_hz));
    case P_BOOT: {
      u64 ticks = boot_app_mtime;
      return snprintf(b, n, "reset_to_app_main_us %lu\ninstret %lu\ncycles %lu\n",
                      (unsigned long)(ticks * 1000000ULL / timebase_hz), (unsigned long)boot_app_instret,
                      (unsigned long)boot_app_cycles);
    }
    case P_SCHED:
      return sched_stats(b, n);
    case P_VERSION:
      return snprintf(b, n, "%s\n", osv_version);
  }
  return 0;
}

static int p_open(struct vnode *vn, struct file *f) {
  if ((f->flags & O_ACCMODE) != O_RDONLY) return -EACCES;
  if (S_ISDIR(vn->mode)) return 0;
  f->data = malloc(8192);
  if (!f->data) return -ENOMEM;
  int n = gen((int)vn->fsid, f->data, 8192);
  f->data_len = n < 0 ? 0 : (size_t)MIN(n, 8191);
  return 0;
}

static long p_read(struct file *f, const struct vq_seg *segs, int nseg, u64 off) {
  if (off >= f->data_len) return 0;
  size_t k = MIN(segs_total(segs, nseg), f->data_len - off);
  segs_copy_to(segs, nseg, 0, f->data + off, k);
  return (long)k;
}

static int p_readdir(struct file *f, dirent_emit emit, void *ctx) {
  for (u64 i = f->dir_cookie + 1; i < P_N; i++) {
    if (ent[i].parent != (int)f->vn->fsid) {
      f->dir_cookie = i;
      continue;
    }
    if (emit(ctx, nodes[i].ino, (u8)((ent[i].mode & S_IFMT) >> 12), ent[i].name, strlen(ent[i].name))) return 0;
    f->dir_cookie = i;
  }
  return 0;
}

static long p_readlink(struct vnode *vn, char *buf, size_t len) {
  size_t n = MIN(strlen(current ? current->exe : ""), len);
  memcpy(buf, current ? current->exe : "", n);
  return (long)n;
}

static int p_statfs(struct mount *m, struct kstatfs *st) {
  memset(st, 0, sizeof(*st));
  st->type = 0x9fa0;  // PROC_SUPER_MAGIC
  st->bsize = 4096;
  st->namelen = 255;
  return 0;
}

static const struct vnode_ops procfs_ops = {.lookup = p_lookup,   .getattr = p_getattr,   .open = p_open,
                                            .read = p_read,       .readdir = p_readdir,   .readlink = p_readlink,
                                            .statfs = p_statfs};

struct mount *procfs_mount(const char *path) {
  for (int i = 0; i < P_N; i++) {
    nodes[i].ops = &procfs_ops;
    nodes[i].mode = ent[i].mode;
    nodes[i].ino = 0x1000 + (u64)i;
    nodes[i].fsid = (u64)i;
    nodes[i].refcnt = 1;  // static, never freed
  }
  struct mount *m = vfs_mount(path, "proc", "proc", &nodes[P_ROOT], NULL);
  for (int i = 0; i < P_N; i++) nodes[i].mnt = m;
  return m;
}
