// virtiofs.h — internal interface between the virtio-fs transport (virtiofs.c) and its VFS
// glue (virtiofs_vnops.c).
#ifndef VIRTIOFS_H
#define VIRTIOFS_H
#include "fuse.h"
#include "vfs.h"

#define VFS_HASH 64
struct vfs_dev {
  struct virtio_dev vd;
  struct virtq hiprio, req;  // queue 0 = hiprio (FORGET), queue 1 = first request queue (virtio 1.2 §5.11.2)
  char tag[37];
  u32 num_request_queues;
  // FUSE_INIT results
  u32 minor, max_write, max_readahead, init_flags;
  u32 io_chunk;          // bytes per READ/WRITE request
  int map_alignment;     // log2, -1 if the server did not set FUSE_MAP_ALIGNMENT
  u64 unique;
  bool broken;
  bool no_readdirplus;  // the server answered READDIRPLUS with ENOSYS
  // statistics (for /proc/fuse-stats)
  u64 requests, ops[FUSE_OPCODE_MAX], errors, bytes_read, bytes_written;
  // vnode cache by nodeid
  struct vnode *hash[VFS_HASH];
  int cached;
  struct mount *mnt;
  struct dax *dax;  // DAX chunk manager (dax.c), NULL when reads go through FUSE_READ
};

// Send one request. `in` are the argument segments (after fuse_in_header), `out` the reply
// payload segments (after fuse_out_header). Returns the reply payload length or -errno.
long fuse_req(struct vfs_dev *fs, u32 opcode, u64 nodeid, const struct vq_seg *in, int nin, const struct vq_seg *out,
              int nout);
long fuse_req1(struct vfs_dev *fs, u32 opcode, u64 nodeid, const void *in, u32 inlen, void *out, u32 outlen);
int fuse_forget(struct vfs_dev *fs, u64 nodeid, u64 nlookup);
void fuse_attr_to_kstat(const struct fuse_attr *a, struct kstat *st);

struct vnode *virtiofs_root_vnode(struct vfs_dev *fs);
extern const struct vnode_ops virtiofs_vnops;
#endif
