// virtiofs_vnops.c — VFS operations on a virtio-fs mount. Vnodes are cached by nodeid; each
// LOOKUP reply counts one lookup that is returned with FORGET when the vnode is evicted
// (fuse.h: "nlookup"). Names are checked to be single components before they reach the host.
// Reads and writes are cut into io_chunk pieces (max_write / max_pages from FUSE_INIT).
// With a DAX window (dax.c) reads copy from the window and mmap maps window pages; FUSE_READ is
// the fallback. A WRITE or a size change drops the file's window chunks so reads see the new data.
#include "errno.h"
#include <stdlib.h>
#include "dax.h"
#include "virtiofs.h"

#define CACHE_MAX 128  // unreferenced vnodes kept before FORGET

static struct vfs_dev *FS(struct vnode *vn) { return vn->mnt->fsdata; }

static bool bad_name(const char *name) {
  size_t n = strlen(name);
  return n == 0 || n > 255 || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..");
}

static struct vnode *vn_find_or_new(struct vfs_dev *fs, const struct fuse_entry_out *e) {
  u32 h = (u32)(e->nodeid % VFS_HASH);
  for (struct vnode *v = fs->hash[h]; v; v = v->hnext)
    if (v->fsid == e->nodeid) {
      if (v->refcnt == 0) fs->cached--;
      v->refcnt++;
      v->nlookup++;
      v->mode = e->attr.mode;
      v->size = e->attr.size;
      return v;
    }
  struct vnode *v = calloc(1, sizeof(*v));
  if (!v) return NULL;
  v->mnt = fs->mnt;
  v->ops = &virtiofs_vnops;
  v->fsid = e->nodeid;
  v->ino = e->attr.ino;
  v->mode = e->attr.mode;
  v->size = e->attr.size;
  v->refcnt = 1;
  v->nlookup = 1;
  v->hnext = fs->hash[h];
  fs->hash[h] = v;
  return v;
}

// Evict unreferenced vnodes beyond CACHE_MAX: FORGET their lookups and free them.
static void cache_trim(struct vfs_dev *fs) {
  for (int h = 0; h < VFS_HASH && fs->cached > CACHE_MAX; h++) {
    struct vnode **pp = &fs->hash[h];
    while (*pp) {
      struct vnode *v = *pp;
      if (v->refcnt == 0 && v->fsid != FUSE_ROOT_ID) {
        *pp = v->hnext;
        dax_invalidate(fs, v->fsid);  // mappings are by nodeid, which FORGET gives up
        fuse_forget(fs, v->fsid, v->nlookup);
        free(v);
        fs->cached--;
      } else {
        pp = &v->hnext;
      }
    }
  }
}

static void vfs_inactive(struct vnode *vn) {
  struct vfs_dev *fs = FS(vn);
  fs->cached++;
  cache_trim(fs);
}

struct vnode *virtiofs_root_vnode(struct vfs_dev *fs) {
  struct vnode *v = calloc(1, sizeof(*v));
  if (!v) panic("virtiofs: out of memory");
  v->ops = &virtiofs_vnops;
  v->fsid = FUSE_ROOT_ID;
  v->mode = S_IFDIR | 0755;
  v->ino = 1;
  v->refcnt = 1;  // pinned by the mount; the root is never forgotten
  fs->hash[FUSE_ROOT_ID % VFS_HASH] = v;
  return v;
}

static int name_seg(const char *name, struct vq_seg *s) {
  if (bad_name(name)) return -EINVAL;
  s->addr = (u64)name;
  s->len = (u32)strlen(name) + 1;
  return 0;
}

static int vfs_lookup_op(struct vnode *dir, const char *name, struct vnode **out) {
  struct fuse_entry_out e;
  struct vq_seg in, o = {(u64)&e, sizeof(e)};
  if (name_seg(name, &in)) return -ENOENT;
  long n = fuse_req(dir->mnt->fsdata, FUSE_LOOKUP, dir->fsid, &in, 1, &o, 1);
  if (n < 0) return (int)n;
  if (n != sizeof(e)) return -EIO;
  if (e.nodeid == 0) return -ENOENT;  // negative entry (fuse.h: nodeid 0 = cacheable ENOENT)
  *out = vn_find_or_new(dir->mnt->fsdata, &e);
  return *out ? 0 : -ENOMEM;
}

static int vfs_getattr(struct vnode *vn, struct kstat *st) {
  struct fuse_getattr_in in = {0};
  struct fuse_attr_out out;
  long n = fuse_req1(FS(vn), FUSE_GETATTR, vn->fsid, &in, sizeof(in), &out, sizeof(out));
  if (n < 0) return (int)n;
  if (n != sizeof(out)) return -EIO;
  fuse_attr_to_kstat(&out.attr, st);
  vn->mode = out.attr.mode;
  vn->size = out.attr.size;
  return 0;
}

static int vfs_open_op(struct vnode *vn, struct file *f) {
  struct fuse_open_in in = {0};
  struct fuse_open_out out;
  in.flags = (u32)(f->flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
  if (S_ISDIR(vn->mode)) in.flags = O_RDONLY | O_DIRECTORY;
  long n = fuse_req1(FS(vn), S_ISDIR(vn->mode) ? FUSE_OPENDIR : FUSE_OPEN, vn->fsid, &in, sizeof(in), &out,
                     sizeof(out));
  if (n < 0) return (int)n;
  if (n != sizeof(out)) return -EIO;
  f->fh = out.fh;
  return 0;
}

static void vfs_release(struct file *f) {
  struct fuse_release_in in = {0};
  in.fh = f->fh;
  in.flags = (u32)(f->flags & O_ACCMODE);
  fuse_req1(FS(f->vn), S_ISDIR(f->vn->mode) ? FUSE_RELEASEDIR : FUSE_RELEASE, f->vn->fsid, &in, sizeof(in), NULL, 0);
}

static long vfs_read_op(struct file *f, const struct vq_seg *segs, int nseg, u64 off) {
  struct vfs_dev *fs = FS(f->vn);
  size_t total = segs_total(segs, nseg), done = 0;
  if (fs->dax) {
    bool complete;
    long n = dax_read(fs, f->vn, segs, nseg, off, &complete);
    if (complete) return n;
    done = (size_t)n;  // the rest by FUSE_READ
  }
  while (done < total) {
    u32 want = (u32)MIN(total - done, fs->io_chunk);
    struct vq_seg sub[72];
    int ns = segs_slice(segs, nseg, done, want, sub, 72);
    if (ns < 0) return done ? (long)done : ns;
    struct fuse_read_in in = {0};
    in.fh = f->fh;
    in.offset = off + done;
    in.size = want;
    struct vq_seg is = {(u64)&in, sizeof(in)};
    long n = fuse_req(fs, FUSE_READ, f->vn->fsid, &is, 1, sub, ns);
    if (n < 0) return done ? (long)done : n;
    if ((u64)n > want) return -EIO;  // cannot happen after fuse_req's check, kept explicit
    fs->bytes_read += (u64)n;
    done += (size_t)n;
    if ((u32)n < want) break;  // short read: end of file
  }
  return (long)done;
}

static long vfs_write_op(struct file *f, const struct vq_seg *segs, int nseg, u64 off) {
  struct vfs_dev *fs = FS(f->vn);
  size_t total = segs_total(segs, nseg), done = 0;
  while (done < total) {
    u32 want = (u32)MIN(total - done, fs->io_chunk);
    struct vq_seg sub[73];
    struct fuse_read_in in = {0};  // fuse_write_in has the same 40-byte layout
    sub[0] = (struct vq_seg){(u64)&in, sizeof(in)};
    int ns = segs_slice(segs, nseg, done, want, sub + 1, 72);
    if (ns < 0) return done ? (long)done : ns;
    in.fh = f->fh;
    in.offset = off + done;
    in.size = want;
    struct fuse_write_out out;
    struct vq_seg os = {(u64)&out, sizeof(out)};
    long n = fuse_req(fs, FUSE_WRITE, f->vn->fsid, sub, ns + 1, &os, 1);
    if (n < 0) return done ? (long)done : n;
    if (n != sizeof(out) || out.size > want) return -EIO;
    fs->bytes_written += out.size;
    done += out.size;
    if (out.size < want) break;
  }
  if (off + done > f->vn->size) f->vn->size = off + done;
  if (done) dax_invalidate(fs, f->vn->fsid);
  return (long)done;
}

// fuse_dirent records: {ino, off, namelen, type, name}, each padded to 8 bytes.
// READDIR, or READDIRPLUS when the server offered DO_READDIRPLUS at INIT: each entry then carries a
// fuse_entry_out (fuse.h) that counts as a LOOKUP of it — except "." and "..", as in Linux's
// fs/fuse/readdir.c — so the vnode cache takes it (and FORGETs it in time), and a following stat or open
// of the entry finds it cached. A server answering ENOSYS turns it off.
static int vfs_readdir_op(struct file *f, dirent_emit emit, void *ctx) {
  struct vfs_dev *fs = FS(f->vn);
  char *buf = malloc(8192);
  if (!buf) return -ENOMEM;
  for (;;) {
    bool plus = (fs->init_flags & FUSE_DO_READDIRPLUS) && !fs->no_readdirplus;
    struct fuse_read_in in = {0};
    in.fh = f->fh;
    in.offset = f->dir_cookie;
    in.size = 8192;
    long n = fuse_req1(fs, plus ? FUSE_READDIRPLUS : FUSE_READDIR, f->vn->fsid, &in, sizeof(in), buf, 8192);
    if (n == -ENOSYS && plus) {
      fs->no_readdirplus = true;
      continue;
    }
    if (n <= 0) {
      free(buf);
      return n < 0 ? (int)n : 0;
    }
    size_t o = 0, head = plus ? sizeof(struct fuse_entry_out) : 0;
    while (o + head + sizeof(struct fuse_dirent) <= (size_t)n) {
      struct fuse_dirent d;
      memcpy(&d, buf + o + head, sizeof(d));
      size_t rec = ALIGN_UP(head + sizeof(d) + d.namelen, 8);
      const char *name = buf + o + head + sizeof(d);
      if (d.namelen == 0 || d.namelen > 255 || o + head + sizeof(d) + d.namelen > (size_t)n) {
        free(buf);
        return -EIO;
      }
      if (plus) {
        struct fuse_entry_out e;
        memcpy(&e, buf + o, sizeof(e));
        bool dot = (d.namelen == 1 && name[0] == '.') || (d.namelen == 2 && name[0] == '.' && name[1] == '.');
        if (e.nodeid && !dot) {
          struct vnode *v = vn_find_or_new(fs, &e);  // the lookup the server counted
          if (v) vn_put(v);
          else fuse_forget(fs, e.nodeid, 1);
        }
      }
      if (emit(ctx, d.ino, (u8)d.type, name, d.namelen)) {
        free(buf);
        return 0;
      }
      f->dir_cookie = d.off;
      o += rec;
    }
  }
}

static long vfs_readlink_op(struct vnode *vn, char *buf, size_t len) {
  long n = fuse_req1(FS(vn), FUSE_READLINK, vn->fsid, NULL, 0, buf, (u32)MIN(len, 4096));
  return n;
}

static int vfs_create_op(struct vnode *dir, const char *name, u32 mode, struct file *f, struct vnode **out) {
  struct fuse_create_in in = {0};
  struct {
    struct fuse_entry_out e;
    struct fuse_open_out o;
  } r;
  // O_EXCL always: C virtiofsd 7.2 aborts on CREATE without it for an existing name
  // (virtio-fs.md "Bug"); the VFS looked the name up first.
  in.flags = (u32)((f->flags & (O_ACCMODE | O_APPEND)) | O_CREAT | O_EXCL);
  in.mode = S_IFREG | (mode & 07777);
  in.umask = 022;
  struct vq_seg segs[2] = {{(u64)&in, sizeof(in)}, {0, 0}}, o = {(u64)&r, sizeof(r)};
  if (name_seg(name, &segs[1])) return -EINVAL;
  long n = fuse_req(FS(dir), FUSE_CREATE, dir->fsid, segs, 2, &o, 1);
  if (n < 0) return (int)n;
  if (n != sizeof(r) || r.e.nodeid == 0) return -EIO;
  *out = vn_find_or_new(FS(dir), &r.e);
  if (!*out) return -ENOMEM;
  f->fh = r.o.fh;
  return 0;
}

static int entry_op(struct vnode *dir, u32 op, const void *arg, u32 arglen, const char *name) {
  struct fuse_entry_out e;
  struct vq_seg segs[2], o = {(u64)&e, sizeof(e)};
  int ns = 0;
  if (arglen) segs[ns++] = (struct vq_seg){(u64)arg, arglen};
  if (name_seg(name, &segs[ns++])) return -EINVAL;
  long n = fuse_req(FS(dir), op, dir->fsid, segs, ns, &o, op == FUSE_MKDIR ? 1 : 0);
  if (n < 0) return (int)n;
  if (op == FUSE_MKDIR) {
    if (n != sizeof(e)) return -EIO;
    fuse_forget(FS(dir), e.nodeid, 1);  // we keep no vnode for it
  }
  return 0;
}

static int vfs_mkdir_op(struct vnode *dir, const char *name, u32 mode) {
  struct fuse_mkdir_in in = {mode & 07777, 022};
  return entry_op(dir, FUSE_MKDIR, &in, sizeof(in), name);
}
static int vfs_unlink_op(struct vnode *dir, const char *name) { return entry_op(dir, FUSE_UNLINK, NULL, 0, name); }
static int vfs_rmdir_op(struct vnode *dir, const char *name) { return entry_op(dir, FUSE_RMDIR, NULL, 0, name); }

static int vfs_rename_op(struct vnode *odir, const char *oname, struct vnode *ndir, const char *nname) {
  u64 newdir = ndir->fsid;  // fuse_rename_in {u64 newdir}, then oldname\0 newname\0
  struct vq_seg segs[3] = {{(u64)&newdir, sizeof(newdir)}};
  if (name_seg(oname, &segs[1]) || name_seg(nname, &segs[2])) return -EINVAL;
  long n = fuse_req(FS(odir), FUSE_RENAME, odir->fsid, segs, 3, NULL, 0);
  return n < 0 ? (int)n : 0;
}

static int vfs_truncate_op(struct vnode *vn, struct file *f, u64 size) {
  struct fuse_setattr_in in = {0};
  struct fuse_attr_out out;
  in.valid = FATTR_SIZE | (f ? FATTR_FH : 0);
  in.fh = f ? f->fh : 0;
  in.size = size;
  long n = fuse_req1(FS(vn), FUSE_SETATTR, vn->fsid, &in, sizeof(in), &out, sizeof(out));
  if (n < 0) return (int)n;
  if (n != sizeof(out)) return -EIO;
  vn->size = out.attr.size;
  dax_invalidate(FS(vn), vn->fsid);
  return 0;
}

// chmod, chown, utimensat: one SETATTR with the FATTR bits the VFS passed (vfs.h ATTR_* = FATTR_*).
static int vfs_setattr_op(struct vnode *vn, const struct ksetattr *a) {
  struct fuse_setattr_in in = {0};
  struct fuse_attr_out out;
  in.valid = a->valid & (FATTR_MODE | FATTR_UID | FATTR_GID | FATTR_ATIME | FATTR_MTIME | FATTR_ATIME_NOW | FATTR_MTIME_NOW);
  in.mode = (vn->mode & S_IFMT) | (a->mode & 07777);
  in.uid = a->uid, in.gid = a->gid;
  in.atime = (u64)a->atime, in.atimensec = a->atime_ns;
  in.mtime = (u64)a->mtime, in.mtimensec = a->mtime_ns;
  long n = fuse_req1(FS(vn), FUSE_SETATTR, vn->fsid, &in, sizeof(in), &out, sizeof(out));
  if (n < 0) return (int)n;
  if (n != sizeof(out)) return -EIO;
  vn->mode = out.attr.mode;
  return 0;
}

// close() of a descriptor: FUSE_FLUSH (fuse.h; the server may answer ENOSYS, which is fine).
static int vfs_flush_op(struct file *f) {
  if (!S_ISREG(f->vn->mode)) return 0;
  struct fuse_flush_in in = {f->fh, 0, 0, 0};
  long n = fuse_req1(FS(f->vn), FUSE_FLUSH, f->vn->fsid, &in, sizeof(in), NULL, 0);
  return n < 0 ? (int)n : 0;
}

static u64 vfs_map_page(struct vnode *vn, u64 off) { return dax_pin_page(FS(vn), vn, off); }

static int vfs_fsync_op(struct file *f) {
  struct fuse_fsync_in in = {f->fh, 0, 0};
  long n = fuse_req1(FS(f->vn), FUSE_FSYNC, f->vn->fsid, &in, sizeof(in), NULL, 0);
  return n < 0 ? (int)n : 0;
}

static int vfs_statfs_op(struct mount *m, struct kstatfs *st) {
  struct fuse_kstatfs k;
  long n = fuse_req1(m->fsdata, FUSE_STATFS, FUSE_ROOT_ID, NULL, 0, &k, sizeof(k));
  if (n < 0) return (int)n;
  if (n != sizeof(k)) return -EIO;
  memset(st, 0, sizeof(*st));
  st->type = 0x65735546;  // FUSE_SUPER_MAGIC
  st->bsize = k.bsize, st->frsize = k.frsize ? k.frsize : k.bsize;
  st->blocks = k.blocks, st->bfree = k.bfree, st->bavail = k.bavail;
  st->files = k.files, st->ffree = k.ffree, st->namelen = k.namelen;
  return 0;
}

const struct vnode_ops virtiofs_vnops = {
    .lookup = vfs_lookup_op,     .getattr = vfs_getattr,    .open = vfs_open_op,       .release = vfs_release,
    .read = vfs_read_op,         .write = vfs_write_op,     .readdir = vfs_readdir_op, .readlink = vfs_readlink_op,
    .create = vfs_create_op,     .mkdir = vfs_mkdir_op,     .unlink = vfs_unlink_op,   .rmdir = vfs_rmdir_op,
    .rename = vfs_rename_op,     .truncate = vfs_truncate_op, .fsync = vfs_fsync_op,   .statfs = vfs_statfs_op,
    .inactive = vfs_inactive,   .map_page = vfs_map_page,  .setattr = vfs_setattr_op, .flush = vfs_flush_op,
};
