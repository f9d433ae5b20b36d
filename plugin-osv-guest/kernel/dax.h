// dax.h — the DAX chunk manager of a virtio-fs mount (issue 7): file data read straight from the
// device's shared memory region 0 (virtio 1.2 §5.11.5 "DAX window") instead of FUSE_READ.
#ifndef DAX_H
#define DAX_H
#include "vfs.h"

struct vfs_dev;
struct dax;

#define DAX_CHUNK_SHIFT 21  // 2 MiB chunks, as OSv's DAX manager (osv.md §1)
#define DAX_CHUNK (1UL << DAX_CHUNK_SHIFT)

// After FUSE_INIT: sets fs->dax when the device has a window, --nodax was not given and the
// server negotiated FUSE_MAP_ALIGNMENT with an alignment that divides the chunk size.
void dax_init(struct vfs_dev *fs);

// Copy up to segs' total bytes of file `vn` at `off` from the window. Reads are clamped to the
// size from the last LOOKUP/GETATTR (vn->size). Returns the bytes copied (0 at EOF); *complete is
// false when the caller must go on with FUSE_READ from the returned count (no window, a
// SETUPMAPPING that failed, or every chunk pinned).
long dax_read(struct vfs_dev *fs, struct vnode *vn, const struct vq_seg *segs, int nseg, u64 off, bool *complete);

// Forget every chunk of `nodeid` (REMOVEMAPPING; pinned chunks are unmapped at their last
// unpin). Called after a WRITE or SETATTR(size) of that file and before its FORGET.
void dax_invalidate(struct vfs_dev *fs, u64 nodeid);

// mmap: the physical address of file page `off` (4 KiB aligned) inside the window, with its chunk
// pinned (never evicted) until dax_page_released(); 0 when DAX cannot serve it.
u64 dax_pin_page(struct vfs_dev *fs, struct vnode *vn, u64 off);

int dax_stats(struct vfs_dev *fs, char *buf, size_t len);
#endif
