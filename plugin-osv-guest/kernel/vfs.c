// vfs.c — mount table (longest path prefix wins), path resolution with symlinks, open files,
// and the namespace operations shared by every filesystem.
#include "errno.h"
#include <stdio.h>
#include <stdlib.h>
#include "vfs.h"

#define MAX_MOUNTS 8
#define MAX_SYMLINKS 8
static struct mount mounts[MAX_MOUNTS];
static int nmounts;

struct mount *vfs_mount(const char *path, const char *fstype, const char *source, struct vnode *root, void *fsdata) {
  if (nmounts == MAX_MOUNTS || strlen(path) >= sizeof(mounts[0].path)) return NULL;
  struct mount *m = &mounts[nmounts++];
  strcpy(m->path, path);
  m->fstype = fstype;
  m->source = source;
  m->root = root;
  m->fsdata = fsdata;
  root->mnt = m;
  return m;
}
int vfs_mount_count(void) { return nmounts; }
struct mount *vfs_mount_get(int i) { return i >= 0 && i < nmounts ? &mounts[i] : NULL; }

void vn_ref(struct vnode *vn) { vn->refcnt++; }
void vn_put(struct vnode *vn) {
  if (!vn) return;
  if (--vn->refcnt == 0 && vn->ops->inactive) vn->ops->inactive(vn);
}

// Join cwd and path and normalise ".", ".." and repeated slashes lexically.
int vfs_abspath(const char *cwd, const char *path, char *out, size_t outlen) {
  char tmp[512];
  if (!path[0]) return -ENOENT;
  size_t n = path[0] == '/' ? (size_t)snprintf(tmp, sizeof(tmp), "%s", path)
                            : (size_t)snprintf(tmp, sizeof(tmp), "%s/%s", cwd, path);
  if (n >= sizeof(tmp)) return -ENAMETOOLONG;
  size_t o = 0;
  out[o++] = '/';
  char *save, *c = strtok_r(tmp, "/", &save);
  for (; c; c = strtok_r(NULL, "/", &save)) {
    if (!strcmp(c, ".")) continue;
    if (!strcmp(c, "..")) {
      while (o > 1 && out[o - 1] != '/') o--;
      if (o > 1) o--;
      continue;
    }
    size_t cl = strlen(c);
    if (o + cl + 2 > outlen) return -ENAMETOOLONG;
    if (o > 1) out[o++] = '/';
    memcpy(out + o, c, cl);
    o += cl;
  }
  out[o] = 0;
  return 0;
}

static struct mount *mount_for(const char *abspath, const char **rest) {
  struct mount *best = NULL;
  size_t bestlen = 0;
  for (int i = 0; i < nmounts; i++) {
    size_t l = strlen(mounts[i].path);
    bool match = !strcmp(mounts[i].path, "/") ||
                 (!strncmp(abspath, mounts[i].path, l) && (abspath[l] == 0 || abspath[l] == '/'));
    if (match && (best == NULL || l > bestlen)) best = &mounts[i], bestlen = l;
  }
  if (best && rest) *rest = abspath + (strcmp(best->path, "/") ? bestlen : 0);
  return best;
}

// Walk an absolute, normalised path. Symlinks restart the walk on the rewritten path.
int vfs_lookup(const char *abspath, int flags, struct vnode **out) {
  char path[512], comp[256];
  int links = 0;
  if (strlen(abspath) >= sizeof(path)) return -ENAMETOOLONG;
  strcpy(path, abspath);
restart:;
  const char *rest;
  struct mount *m = mount_for(path, &rest);
  if (!m) return -ENOENT;
  struct vnode *cur = m->root;
  vn_ref(cur);
  const char *p = rest;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    size_t cl = strcspn(p, "/");
    if (cl >= sizeof(comp)) {
      vn_put(cur);
      return -ENAMETOOLONG;
    }
    memcpy(comp, p, cl);
    comp[cl] = 0;
    p += cl;
    bool last = p[strspn(p, "/")] == 0;
    if (!S_ISDIR(cur->mode)) {
      vn_put(cur);
      return -ENOTDIR;
    }
    struct vnode *next;
    int r = cur->ops->lookup(cur, comp, &next);
    if (r < 0) {
      vn_put(cur);
      return r;
    }
    if (S_ISLNK(next->mode) && (!last || (flags & LOOKUP_FOLLOW))) {
      char target[256], np[512];
      long tl = next->ops->readlink ? next->ops->readlink(next, target, sizeof(target) - 1) : -EINVAL;
      vn_put(next);
      if (tl < 0 || ++links > MAX_SYMLINKS) {
        vn_put(cur);
        return tl < 0 ? (int)tl : -ELOOP;
      }
      target[tl] = 0;
      // the directory holding the link = path up to (not including) this component
      size_t dirlen = (size_t)(p - path) - cl;
      char dir[512];
      memcpy(dir, path, dirlen);
      dir[dirlen] = 0;
      char joined[768];
      snprintf(joined, sizeof(joined), "%s/%s", target, p);
      vn_put(cur);
      int e = vfs_abspath(dirlen ? dir : "/", joined, np, sizeof(np));
      if (e < 0) return e;
      strcpy(path, np);
      goto restart;
    }
    vn_put(cur);
    cur = next;
  }
  *out = cur;
  return 0;
}

// Resolve the parent directory of abspath and return the final component in name (256 bytes).
int vfs_lookup_parent(const char *abspath, struct vnode **dir, char *name) {
  const char *slash = strrchr(abspath, '/');
  if (!slash || !slash[1]) return -EINVAL;  // "/" itself has no parent entry
  if (strlen(slash + 1) > 255) return -ENAMETOOLONG;
  strcpy(name, slash + 1);
  char parent[512];
  size_t pl = (size_t)(slash - abspath);
  if (pl == 0) pl = 1;
  memcpy(parent, abspath, pl);
  parent[pl] = 0;
  // a mount point itself cannot be removed or renamed
  for (int i = 0; i < nmounts; i++)
    if (!strcmp(mounts[i].path, abspath)) return -EBUSY;
  int r = vfs_lookup(parent, LOOKUP_FOLLOW, dir);
  if (r < 0) return r;
  if (!S_ISDIR((*dir)->mode)) {
    vn_put(*dir);
    return -ENOTDIR;
  }
  return 0;
}

struct file *file_alloc(void) {
  struct file *f = calloc(1, sizeof(*f));
  if (f) f->refcnt = 1;
  return f;
}
void file_ref(struct file *f) { f->refcnt++; }
void file_put(struct file *f) {
  if (!f || --f->refcnt > 0) return;
  if (f->kind == FK_PIPE || f->kind == FK_EVENTFD) io_file_release(f);
  if (f->kind == FK_VNODE && f->vn) {
    if (f->vn->ops->release) f->vn->ops->release(f);
    vn_put(f->vn);
  }
  free(f->data);
  free(f);
}

int vfs_open(const char *abspath, int flags, u32 mode, struct file **out) {
  struct vnode *vn = NULL;
  struct file *f = file_alloc();
  if (!f) return -ENOMEM;
  f->flags = flags;
  strncpy(f->path, abspath, sizeof(f->path) - 1);
  int r = vfs_lookup(abspath, (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &vn);
  if (r == 0 && (flags & O_CREAT) && (flags & O_EXCL)) {
    vn_put(vn);
    free(f);
    return -EEXIST;
  }
  if (r == -ENOENT && (flags & O_CREAT)) {
    struct vnode *dir;
    char name[256];
    r = vfs_lookup_parent(abspath, &dir, name);
    if (r < 0) goto fail;
    r = dir->ops->create ? dir->ops->create(dir, name, mode, f, &vn) : -EROFS;
    vn_put(dir);
    if (r < 0) goto fail;
    f->kind = FK_VNODE;
    f->vn = vn;
    *out = f;
    return 0;
  }
  if (r < 0) goto fail;
  if (S_ISLNK(vn->mode)) {
    r = -ELOOP;
    goto fail_vn;
  }
  if ((flags & O_DIRECTORY) && !S_ISDIR(vn->mode)) {
    r = -ENOTDIR;
    goto fail_vn;
  }
  if (S_ISDIR(vn->mode) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))) {
    r = -EISDIR;
    goto fail_vn;
  }
  f->kind = FK_VNODE;
  f->vn = vn;
  r = vn->ops->open ? vn->ops->open(vn, f) : 0;
  if (r < 0) {
    f->vn = NULL;
    goto fail_vn;
  }
  if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY && S_ISREG(vn->mode) && vn->ops->truncate) {
    r = vn->ops->truncate(vn, f, 0);
    if (r < 0) {
      file_put(f);
      return r;
    }
  }
  *out = f;
  return 0;
fail_vn:
  vn_put(vn);
fail:
  free(f);
  return r;
}

long vfs_read(struct file *f, const struct vq_seg *segs, int nseg, u64 off) {
  if (S_ISDIR(f->vn->mode)) return -EISDIR;
  if (!f->vn->ops->read) return -EINVAL;
  return f->vn->ops->read(f, segs, nseg, off);
}

long vfs_write(struct file *f, const struct vq_seg *segs, int nseg, u64 off) {
  if (!f->vn->ops->write) return -EROFS;
  return f->vn->ops->write(f, segs, nseg, off);
}

long vfs_read_kernel(struct file *f, void *buf, size_t len, u64 off) {
  struct vq_seg s = {(u64)buf, (u32)len};
  return vfs_read(f, &s, 1, off);
}

int vfs_stat(struct vnode *vn, struct kstat *st) {
  int r = vn->ops->getattr(vn, st);
  return r;
}

int vfs_mkdir(const char *abspath, u32 mode) {
  struct vnode *dir, *ex;
  char name[256];
  if (vfs_lookup(abspath, 0, &ex) == 0) {
    vn_put(ex);
    return -EEXIST;
  }
  int r = vfs_lookup_parent(abspath, &dir, name);
  if (r < 0) return r == -EBUSY ? -EEXIST : r;
  r = dir->ops->mkdir ? dir->ops->mkdir(dir, name, mode) : -EROFS;
  vn_put(dir);
  return r;
}

// Look the victim up first, as Linux does: errors are then the same on every filesystem, and
// C virtiofsd answers UNLINK/RMDIR of a missing name with EIO instead of ENOENT. The victim's vnode is
// held until the UNLINK/RMDIR is answered: an unreferenced vnode may be evicted (FORGET) at once, and
// the C virtiofsd answers EIO to an UNLINK of a name whose inode the client holds no lookup of.
static int check_victim(const char *abspath, int want_dir, struct vnode **held) {
  struct vnode *vn;
  int r = vfs_lookup(abspath, 0, &vn);
  if (r < 0) return r;
  bool d = S_ISDIR(vn->mode);
  if ((want_dir == 1 && !d) || (want_dir == 0 && d)) {
    vn_put(vn);
    return d ? -EISDIR : -ENOTDIR;
  }
  *held = vn;
  return 0;
}

int vfs_unlink(const char *abspath, bool isdir) {
  struct vnode *dir, *victim;
  char name[256];
  int r = check_victim(abspath, isdir, &victim);
  if (r < 0) return r;
  r = vfs_lookup_parent(abspath, &dir, name);
  if (r < 0) {
    vn_put(victim);
    return r;
  }
  if (isdir)
    r = dir->ops->rmdir ? dir->ops->rmdir(dir, name) : -EROFS;
  else
    r = dir->ops->unlink ? dir->ops->unlink(dir, name) : -EROFS;
  vn_put(victim);
  vn_put(dir);
  return r;
}

int vfs_rename(const char *from, const char *to) {
  struct vnode *od, *nd, *victim;
  char on[256], nn[256];
  int r = check_victim(from, -1, &victim);
  if (r < 0) return r;
  r = vfs_lookup_parent(from, &od, on);
  if (r < 0) {
    vn_put(victim);
    return r;
  }
  r = vfs_lookup_parent(to, &nd, nn);
  if (r < 0) {
    vn_put(od);
    vn_put(victim);
    return r;
  }
  if (od->mnt != nd->mnt)
    r = -EXDEV;
  else
    r = od->ops->rename ? od->ops->rename(od, on, nd, nn) : -EROFS;
  vn_put(victim);
  vn_put(od);
  vn_put(nd);
  return r;
}

int vfs_readlink(const char *abspath, char *buf, size_t len) {
  struct vnode *vn;
  int r = vfs_lookup(abspath, 0, &vn);
  if (r < 0) return r;
  long n = S_ISLNK(vn->mode) && vn->ops->readlink ? vn->ops->readlink(vn, buf, len) : -EINVAL;
  vn_put(vn);
  return (int)n;
}

size_t segs_total(const struct vq_seg *segs, int nseg) {
  size_t t = 0;
  for (int i = 0; i < nseg; i++) t += segs[i].len;
  return t;
}

// The sub-list covering bytes [skip, skip + len) of a segment list.
int segs_slice(const struct vq_seg *in, int n, size_t skip, size_t len, struct vq_seg *out, int max) {
  int k = 0;
  for (int i = 0; i < n && len; i++) {
    if (skip >= in[i].len) {
      skip -= in[i].len;
      continue;
    }
    if (k == max) return -E2BIG;
    size_t take = MIN(in[i].len - skip, len);
    out[k++] = (struct vq_seg){in[i].addr + skip, (u32)take};
    len -= take;
    skip = 0;
  }
  return k;
}

void segs_copy_to(const struct vq_seg *segs, int nseg, size_t at, const void *src, size_t n) {
  const u8 *s = src;
  for (int i = 0; i < nseg && n; i++) {
    if (at >= segs[i].len) {
      at -= segs[i].len;
      continue;
    }
    size_t k = MIN(segs[i].len - at, n);
    memcpy((void *)(segs[i].addr + at), s, k);
    s += k, n -= k, at = 0;
  }
}

void segs_copy_from(void *dst, const struct vq_seg *segs, int nseg, size_t at, size_t n) {
  u8 *d = dst;
  for (int i = 0; i < nseg && n; i++) {
    if (at >= segs[i].len) {
      at -= segs[i].len;
      continue;
    }
    size_t k = MIN(segs[i].len - at, n);
    memcpy(d, (void *)(segs[i].addr + at), k);
    d += k, n -= k, at = 0;
  }
}
