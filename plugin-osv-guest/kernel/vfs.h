// vfs.h — a small VFS: mounts by path prefix, vnodes with per-filesystem operations, open files.
// Data moves as lists of physically contiguous segments (the kernel runs untranslated, user
// buffers are translated page by page), so virtio-fs can hand user pages straight to the device.
#ifndef VFS_H
#define VFS_H
#include "kernel.h"
#include "virtio.h"

#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_IFLNK 0120000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)

// Linux open flags (asm-generic/fcntl.h)
#define O_ACCMODE 3
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000

struct kstat {
  u64 dev, ino, rdev, size, blocks;
  u32 mode, nlink, uid, gid, blksize;
  i64 atime, mtime, ctime;
  u32 atime_ns, mtime_ns, ctime_ns;
};
struct kstatfs {
  u64 type, bsize, blocks, bfree, bavail, files, ffree, namelen, frsize;
};

// What a setattr changes: FUSE's FATTR_* bits (fuse.h), so virtio-fs passes them through.
#define ATTR_MODE 1
#define ATTR_UID 2
#define ATTR_GID 4
#define ATTR_ATIME 16
#define ATTR_MTIME 32
#define ATTR_ATIME_NOW 128
#define ATTR_MTIME_NOW 256
struct ksetattr {
  u32 valid, mode, uid, gid;
  i64 atime, mtime;
  u32 atime_ns, mtime_ns;
};

struct mount;
struct file;
struct vnode;
typedef int (*dirent_emit)(void *ctx, u64 ino, u8 type, const char *name, size_t namelen);

struct vnode_ops {
  int (*lookup)(struct vnode *dir, const char *name, struct vnode **out);
  int (*getattr)(struct vnode *vn, struct kstat *st);
  int (*open)(struct vnode *vn, struct file *f);
  void (*release)(struct file *f);
  long (*read)(struct file *f, const struct vq_seg *segs, int nseg, u64 off);
  long (*write)(struct file *f, const struct vq_seg *segs, int nseg, u64 off);
  // Emit entries from f->dir_cookie on; emit returns nonzero when the caller's buffer is full
  // (that entry is not consumed). Returns 0 or -errno.
  int (*readdir)(struct file *f, dirent_emit emit, void *ctx);
  long (*readlink)(struct vnode *vn, char *buf, size_t len);
  int (*create)(struct vnode *dir, const char *name, u32 mode, struct file *f, struct vnode **out);
  int (*mkdir)(struct vnode *dir, const char *name, u32 mode);
  int (*unlink)(struct vnode *dir, const char *name);
  int (*rmdir)(struct vnode *dir, const char *name);
  int (*rename)(struct vnode *odir, const char *oname, struct vnode *ndir, const char *nname);
  int (*truncate)(struct vnode *vn, struct file *f, u64 size);
  int (*fsync)(struct file *f);
  int (*flush)(struct file *f);  // close() of one descriptor (FUSE_FLUSH)
  int (*setattr)(struct vnode *vn, const struct ksetattr *a);
  int (*statfs)(struct mount *m, struct kstatfs *st);
  void (*inactive)(struct vnode *vn);  // last reference dropped
  // Optional, zero-copy mmap: the physical address of file page `off`, kept valid (pinned) until the
  // app page is unmapped (dax_page_released); 0 when the filesystem cannot (then mmap copies).
  u64 (*map_page)(struct vnode *vn, u64 off);
};

struct vnode {
  struct mount *mnt;
  const struct vnode_ops *ops;
  u64 ino;
  u32 mode;
  u64 size;
  int refcnt;
  u64 fsid;      // virtio-fs nodeid / ramfs node pointer / procfs entry index
  u64 nlookup;   // virtio-fs: lookups to FORGET
  struct vnode *hnext;
  void *priv;
};

struct mount {
  char path[64];
  const char *fstype, *source;
  struct vnode *root;
  void *fsdata;
  bool readonly;
};

enum file_kind { FK_VNODE, FK_CONSOLE, FK_PIPE, FK_EVENTFD };
struct file {
  enum file_kind kind;
  struct vnode *vn;
  u64 off;
  int flags;
  int refcnt;
  u64 fh;          // filesystem handle (FUSE fh)
  u64 dir_cookie;  // readdir position
  char *data;      // procfs: snapshot of the contents
  size_t data_len;
  char path[256];  // absolute path at open (for *at() calls relative to a directory fd)
  void *obj;       // FK_PIPE: struct pipe; FK_EVENTFD: its counter (sys_io.c)
  bool pipe_writer;
};

// vfs.c
struct mount *vfs_mount(const char *path, const char *fstype, const char *source, struct vnode *root,
                        void *fsdata);
int vfs_mount_count(void);
struct mount *vfs_mount_get(int i);
void vn_ref(struct vnode *vn);
void vn_put(struct vnode *vn);
int vfs_abspath(const char *cwd, const char *path, char *out, size_t outlen);
#define LOOKUP_FOLLOW 1
int vfs_lookup(const char *abspath, int flags, struct vnode **out);
int vfs_lookup_parent(const char *abspath, struct vnode **dir, char *name);
int vfs_open(const char *abspath, int flags, u32 mode, struct file **out);
struct file *file_alloc(void);
void file_ref(struct file *f);
void file_put(struct file *f);
long vfs_read(struct file *f, const struct vq_seg *segs, int nseg, u64 off);
long vfs_write(struct file *f, const struct vq_seg *segs, int nseg, u64 off);
long vfs_read_kernel(struct file *f, void *buf, size_t len, u64 off);
int vfs_stat(struct vnode *vn, struct kstat *st);
int vfs_mkdir(const char *abspath, u32 mode);
int vfs_unlink(const char *abspath, bool dir);
int vfs_rename(const char *from, const char *to);
int vfs_readlink(const char *abspath, char *buf, size_t len);
size_t segs_total(const struct vq_seg *segs, int nseg);
int segs_slice(const struct vq_seg *in, int n, size_t skip, size_t len, struct vq_seg *out, int max);
void segs_copy_to(const struct vq_seg *segs, int nseg, size_t at, const void *src, size_t n);
void segs_copy_from(void *dst, const struct vq_seg *segs, int nseg, size_t at, size_t n);

// virtiofs.c
int virtiofs_probe_all(void);
struct mount *virtiofs_mount(const char *tag, const char *path);
void virtiofs_list(void);
int virtiofs_stats(char *buf, size_t len);
// ramfs.c / procfs.c
struct mount *ramfs_mount(const char *path);
struct mount *procfs_mount(const char *path);
struct mount *devfs_mount(const char *path);
// sys_io.c: pipes and eventfds
void io_file_release(struct file *f);
long io_file_rw(struct file *f, u64 va, size_t len, bool write);
void io_poll_wake(void);
#endif
