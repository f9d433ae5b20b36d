// fuse.h — the FUSE wire structures this driver uses, written from the layout facts of
// include/uapi/linux/fuse.h 7.36 (virtio-fs.md §5). Little-endian, naturally aligned.
#ifndef FUSE_H
#define FUSE_H
#include "kernel.h"

#define FUSE_KERNEL_VERSION 7
#define FUSE_KERNEL_MINOR 36
#define FUSE_ROOT_ID 1

enum fuse_opcode {
  FUSE_LOOKUP = 1, FUSE_FORGET = 2, FUSE_GETATTR = 3, FUSE_SETATTR = 4, FUSE_READLINK = 5, FUSE_MKDIR = 9,
  FUSE_UNLINK = 10, FUSE_RMDIR = 11, FUSE_RENAME = 12, FUSE_OPEN = 14, FUSE_READ = 15, FUSE_WRITE = 16,
  FUSE_STATFS = 17, FUSE_RELEASE = 18, FUSE_FSYNC = 20, FUSE_FLUSH = 25, FUSE_INIT = 26, FUSE_OPENDIR = 27, FUSE_READDIR = 28,
  FUSE_RELEASEDIR = 29, FUSE_CREATE = 35, FUSE_READDIRPLUS = 44, FUSE_RENAME2 = 45, FUSE_SETUPMAPPING = 48, FUSE_REMOVEMAPPING = 49,
  FUSE_OPCODE_MAX = 54
};

#define FUSE_BIG_WRITES (1u << 5)
#define FUSE_DO_READDIRPLUS (1u << 13)
#define FUSE_MAX_PAGES (1u << 22)
#define FUSE_MAP_ALIGNMENT (1u << 26)

struct fuse_in_header {  // 40 bytes
  u32 len, opcode;
  u64 unique, nodeid;
  u32 uid, gid, pid;
  u16 total_extlen, padding;
};
struct fuse_out_header {  // 16 bytes
  u32 len;
  i32 error;
  u64 unique;
};
struct fuse_attr {  // 88 bytes
  u64 ino, size, blocks, atime, mtime, ctime;
  u32 atimensec, mtimensec, ctimensec, mode, nlink, uid, gid, rdev, blksize, flags;
};
struct fuse_entry_out {  // 128 bytes
  u64 nodeid, generation, entry_valid, attr_valid;
  u32 entry_valid_nsec, attr_valid_nsec;
  struct fuse_attr attr;
};
struct fuse_attr_out {  // 104 bytes
  u64 attr_valid;
  u32 attr_valid_nsec, dummy;
  struct fuse_attr attr;
};
struct fuse_init_in {  // 64 bytes (7.36)
  u32 major, minor, max_readahead, flags, flags2;
  u32 unused[11];
};
struct fuse_init_out {  // 64 bytes (7.36); servers older than 7.23 send 24
  u32 major, minor, max_readahead, flags;
  u16 max_background, congestion_threshold;
  u32 max_write, time_gran;
  u16 max_pages, map_alignment;
  u32 flags2;
  u32 unused[7];
};
struct fuse_getattr_in {
  u32 getattr_flags, dummy;
  u64 fh;
};
struct fuse_setattr_in {  // 88 bytes
  u32 valid, padding;
  u64 fh, size, lock_owner, atime, mtime, ctime;
  u32 atimensec, mtimensec, ctimensec, mode, unused4, uid, gid, unused5;
};
#define FATTR_MODE 1
#define FATTR_UID 2
#define FATTR_GID 4
#define FATTR_ATIME 16
#define FATTR_MTIME 32
#define FATTR_ATIME_NOW 128
#define FATTR_MTIME_NOW 256
#define FATTR_SIZE 8
#define FATTR_FH 64
struct fuse_flush_in {
  u64 fh;
  u32 unused, padding;
  u64 lock_owner;
};
struct fuse_open_in {
  u32 flags, open_flags;
};
struct fuse_open_out {
  u64 fh;
  u32 open_flags, padding;
};
struct fuse_create_in {
  u32 flags, mode, umask, open_flags;
};
struct fuse_release_in {
  u64 fh;
  u32 flags, release_flags;
  u64 lock_owner;
};
struct fuse_read_in {  // 40 bytes, also fuse_write_in
  u64 fh, offset;
  u32 size, read_flags;
  u64 lock_owner;
  u32 flags, padding;
};
struct fuse_write_out {
  u32 size, padding;
};
struct fuse_forget_in {
  u64 nlookup;
};
struct fuse_mkdir_in {
  u32 mode, umask;
};
struct fuse_rename2_in {
  u64 newdir;
  u32 flags, padding;
};
struct fuse_fsync_in {
  u64 fh;
  u32 fsync_flags, padding;
};
struct fuse_kstatfs {  // 80 bytes
  u64 blocks, bfree, bavail, files, ffree;
  u32 bsize, namelen, frsize, padding;
  u32 spare[6];
};
struct fuse_dirent {  // 24-byte header, then the name; record padded to 8
  u64 ino, off;
  u32 namelen, type;
};
struct fuse_setupmapping_in {  // 40 bytes (7.31), for the DAX chunk manager (issue 7)
  u64 fh, foffset, len, flags, moffset;
};

_Static_assert(sizeof(struct fuse_in_header) == 40, "fuse_in_header");
_Static_assert(sizeof(struct fuse_attr) == 88, "fuse_attr");
_Static_assert(sizeof(struct fuse_entry_out) == 128, "fuse_entry_out");
_Static_assert(sizeof(struct fuse_attr_out) == 104, "fuse_attr_out");
_Static_assert(sizeof(struct fuse_init_in) == 64, "fuse_init_in");
_Static_assert(sizeof(struct fuse_init_out) == 64, "fuse_init_out");
_Static_assert(sizeof(struct fuse_setattr_in) == 88, "fuse_setattr_in");
_Static_assert(sizeof(struct fuse_read_in) == 40, "fuse_read_in");
_Static_assert(sizeof(struct fuse_kstatfs) == 80, "fuse_kstatfs");
#endif
