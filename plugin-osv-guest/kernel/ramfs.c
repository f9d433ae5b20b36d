// ramfs.c — in-memory filesystem for /tmp: directories are linked lists of entries, file data
// is one growable buffer.
#include "errno.h"
#include <stdlib.h>
#include "vfs.h"

struct rnode {
  struct vnode vn;  // embedded: the vnode lives as long as the node
  struct rnode *parent, *children, *sibling;
  char name[256];
  char *data;
  size_t cap;
  u64 mtime;
  int nlink;
};
static const struct vnode_ops ramfs_ops;
static u64 next_ino = 2;

static struct rnode *R(struct vnode *vn) { return (struct rnode *)vn; }

static struct rnode *rnew(struct mount *m, struct rnode *parent, const char *name, u32 mode) {
  struct rnode *r = calloc(1, sizeof(*r));
  if (!r) return NULL;
  r->vn.mnt = m;
  r->vn.ops = &ramfs_ops;
  r->vn.mode = mode;
  r->vn.ino = next_ino++;
  r->vn.refcnt = 1;  // held by the directory entry
  r->parent = parent;
  r->nlink = 1;
  r->mtime = timer_ns();
  strncpy(r->name, name, 255);
  if (parent) {
    r->sibling = parent->children;
    parent->children = r;
    parent->mtime = r->mtime;
  }
  return r;
}

static struct rnode *rfind(struct rnode *dir, const char *name) {
  for (struct rnode *c = dir->children; c; c = c->sibling)
    if (!strcmp(c->name, name)) return c;
  return NULL;
}

static void rdetach(struct rnode *r) {
  struct rnode **pp = &r->parent->children;
  while (*pp != r) pp = &(*pp)->sibling;
  *pp = r->sibling;
  r->parent->mtime = timer_ns();
  r->parent = NULL;
  r->nlink = 0;
}

static int r_lookup(struct vnode *dir, const char *name, struct vnode **out) {
  struct rnode *c = rfind(R(dir), name);
  if (!c) return -ENOENT;
  vn_ref(&c->vn);
  *out = &c->vn;
  return 0;
}

static int r_getattr(struct vnode *vn, struct kstat *st) {
  struct rnode *r = R(vn);
  memset(st, 0, sizeof(*st));
  st->dev = 0x10;
  st->ino = vn->ino;
  st->mode = vn->mode;
  st->nlink = S_ISDIR(vn->mode) ? 2 : (u32)r->nlink;
  st->size = S_ISDIR(vn->mode) ? 4096 : vn->size;
  st->blksize = 4096;
  st->blocks = (vn->size + 511) / 512;
  u64 wall = rtc_boot_ns() + r->mtime;
  st->mtime = st->atime = st->ctime = (i64)(wall / 1000000000ULL);
  st->mtime_ns = st->atime_ns = st->ctime_ns = (u32)(wall % 1000000000ULL);
  return 0;
}

static long r_read(struct file *f, const struct vq_seg *segs, int nseg, u64 off) {
  struct rnode *r = R(f->vn);
  if (off >= f->vn->size) return 0;
  size_t n = MIN(segs_total(segs, nseg), f->vn->size - off);
  segs_copy_to(segs, nseg, 0, r->data + off, n);
  return (long)n;
}

static int r_resize(struct rnode *r, u64 size) {
  if (size > (64UL << 20)) return -EFBIG;
  if (size > r->cap) {
    size_t nc = MAX(size, r->cap * 2);
    char *d = realloc(r->data, nc);
    if (!d) return -ENOSPC;
    memset(d + r->cap, 0, nc - r->cap);
    r->data = d;
    r->cap = nc;
  }
  if (size < r->vn.size) memset(r->data + size, 0, r->vn.size - size);
  r->vn.size = size;
  r->mtime = timer_ns();
  return 0;
}

static long r_write(struct file *f, const struct vq_seg *segs, int nseg, u64 off) {
  struct rnode *r = R(f->vn);
  size_t n = segs_total(segs, nseg);
  if (off + n > r->vn.size) {
    int e = r_resize(r, off + n);
    if (e < 0) return e;
  }
  segs_copy_from(r->data + off, segs, nseg, 0, n);
  r->mtime = timer_ns();
  return (long)n;
}

static int r_readdir(struct file *f, dirent_emit emit, void *ctx) {
  struct rnode *d = R(f->vn);
  u64 i = 0;
  // cookie 0 = ".", 1 = "..", then children in list order
  if (f->dir_cookie == 0) {
    if (emit(ctx, d->vn.ino, 4, ".", 1)) return 0;
    f->dir_cookie = 1;
  }
  if (f->dir_cookie == 1) {
    if (emit(ctx, d->parent ? d->parent->vn.ino : d->vn.ino, 4, "..", 2)) return 0;
    f->dir_cookie = 2;
  }
  for (struct rnode *c = d->children; c; c = c->sibling, i++) {
    if (i + 2 < f->dir_cookie) continue;
    if (emit(ctx, c->vn.ino, (u8)((c->vn.mode & S_IFMT) >> 12), c->name, strlen(c->name))) return 0;
    f->dir_cookie = i + 3;
  }
  return 0;
}

static int r_create(struct vnode *dir, const char *name, u32 mode, struct file *f, struct vnode **out) {
  if (rfind(R(dir), name)) return -EEXIST;
  struct rnode *r = rnew(dir->mnt, R(dir), name, S_IFREG | (mode & 07777));
  if (!r) return -ENOSPC;
  vn_ref(&r->vn);
  *out = &r->vn;
  return 0;
}

static int r_mkdir(struct vnode *dir, const char *name, u32 mode) {
  if (rfind(R(dir), name)) return -EEXIST;
  return rnew(dir->mnt, R(dir), name, S_IFDIR | (mode & 07777)) ? 0 : -ENOSPC;
}

static int r_remove(struct vnode *dir, const char *name, bool isdir) {
  struct rnode *c = rfind(R(dir), name);
  if (!c) return -ENOENT;
  if (isdir && !S_ISDIR(c->vn.mode)) return -ENOTDIR;
  if (!isdir && S_ISDIR(c->vn.mode)) return -EISDIR;
  if (isdir && c->children) return -ENOTEMPTY;
  rdetach(c);
  vn_put(&c->vn);  // drop the directory's reference
  return 0;
}
static int r_unlink(struct vnode *dir, const char *name) { return r_remove(dir, name, false); }
static int r_rmdir(struct vnode *dir, const char *name) { return r_remove(dir, name, true); }

static int r_rename(struct vnode *od, const char *on, struct vnode *nd, const char *nn) {
  struct rnode *c = rfind(R(od), on);
  if (!c) return -ENOENT;
  for (struct rnode *a = R(nd); a; a = a->parent)
    if (a == c) return -EINVAL;  // into its own subtree
  struct rnode *ex = rfind(R(nd), nn);
  if (ex == c) return 0;
  if (ex) {
    if (S_ISDIR(ex->vn.mode) != S_ISDIR(c->vn.mode)) return S_ISDIR(ex->vn.mode) ? -EISDIR : -ENOTDIR;
    if (ex->children) return -ENOTEMPTY;
    rdetach(ex);
    vn_put(&ex->vn);
  }
  rdetach(c);
  strncpy(c->name, nn, 255);
  c->parent = R(nd);
  c->sibling = R(nd)->children;
  R(nd)->children = c;
  c->nlink = 1;
  return 0;
}

static int r_truncate(struct vnode *vn, struct file *f, u64 size) { return r_resize(R(vn), size); }
static int r_fsync(struct file *f) { return 0; }  // nothing below RAM to flush

static int r_statfs(struct mount *m, struct kstatfs *st) {
  memset(st, 0, sizeof(*st));
  st->type = 0x858458f6;  // RAMFS_MAGIC
  st->bsize = st->frsize = 4096;
  st->blocks = mm_total_pages();
  st->bfree = st->bavail = mm_free_pages();
  st->namelen = 255;
  return 0;
}

static void r_inactive(struct vnode *vn) {
  struct rnode *r = R(vn);
  if (r->nlink == 0) {  // unlinked and closed: free
    free(r->data);
    free(r);
  }
}

static int r_setattr(struct vnode *vn, const struct ksetattr *a) {
  if (a->valid & ATTR_MODE) vn->mode = (vn->mode & S_IFMT) | (a->mode & 07777);
  // mtime is kept relative to boot; wrapping u64 arithmetic also holds times before boot
  if (a->valid & ATTR_MTIME) R(vn)->mtime = (u64)a->mtime * 1000000000ULL + a->mtime_ns - rtc_boot_ns();
  return 0;  // one owner (root): uid/gid changes are accepted and not kept
}

static const struct vnode_ops ramfs_ops = {
    .setattr = r_setattr,
    .lookup = r_lookup, .getattr = r_getattr, .read = r_read,         .write = r_write,   .readdir = r_readdir,
    .create = r_create, .mkdir = r_mkdir,     .unlink = r_unlink,     .rmdir = r_rmdir,   .rename = r_rename,
    .truncate = r_truncate, .fsync = r_fsync, .statfs = r_statfs,     .inactive = r_inactive,
};

struct mount *ramfs_mount(const char *path) {
  struct rnode *root = rnew(NULL, NULL, "", S_IFDIR | 01777);
  if (!root) return NULL;
  root->vn.refcnt = 1;
  return vfs_mount(path, "ramfs", "none", &root->vn, root);
}
