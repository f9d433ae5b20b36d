// dax.c — the DAX chunk manager (issue 7). The virtio-fs device's shared memory region 0 (virtio
// 1.2 §5.11.5) is the "DAX window": guest-physical memory at the BAR this kernel assigned (pci.c),
// where the host maps ranges of host files on FUSE_SETUPMAPPING (opcode 48) and unmaps them on
// FUSE_REMOVEMAPPING (49) (virtio-fs.md: fuse_setupmapping_in / fuse_removemapping_in).
//
// The window is cut into 2 MiB slots (the remainder is unused); a slot holds one 2 MiB-aligned
// chunk of one file, mapped read-only on demand by nodeid with fh = -1, as Linux does, so a
// mapping outlives the open file that caused it. Lookup is a hash on (nodeid, chunk); when no slot
// is free the least recently used unpinned one is unmapped with REMOVEMAPPING and reused. Slots
// holding pages mapped into an app (mmap) are pinned. The kernel runs in M-mode without
// translation, so the window is read at its physical address.
#include "errno.h"
#include <stdio.h>
#include <stdlib.h>
#include "dax.h"
#include "virtiofs.h"

#define FUSE_SETUPMAPPING_FLAG_WRITE 1u
#define FUSE_SETUPMAPPING_FLAG_READ 2u
#define DAX_MAX_SLOTS 16384  // 32 GiB of window; a larger window's rest stays unused
#define DAX_HASH 512
#define RM_BATCH 64          // fuse_removemapping_one entries per REMOVEMAPPING

enum { SLOT_FREE, SLOT_LIVE, SLOT_STALE };  // STALE: invalidated while pinned, unmapped at last unpin

struct slot {
  u64 nodeid, chunk;  // file chunk index (file offset >> DAX_CHUNK_SHIFT)
  u64 used;           // LRU stamp
  u32 pins;           // app pages mapped from this slot
  int next;           // hash chain, -1 ends
  u8 state;
};

struct dax {
  u64 base;  // guest-physical address of the window
  int nslots, nfree, last;
  u64 clock;
  int head[DAX_HASH];
  struct slot *slots;
  // counters for /proc/fuse-stats
  u64 setups, setup_errors, removes, removed, evictions, hits, misses, fallbacks, bytes, pinned;
};

// All managers, so a page released by vm.c can be found from its physical address alone.
static struct dax *all[4];
static int nall;

static u32 hash(u64 nodeid, u64 chunk) { return (u32)((nodeid * 0x9e3779b97f4a7c15ULL + chunk) >> 40) % DAX_HASH; }

void dax_init(struct vfs_dev *fs) {
  u64 len = fs->vd.shm_len, base = fs->vd.shm_addr;
  if (!len || kopts.nodax) return;
  if (fs->map_alignment < 0 || fs->map_alignment > DAX_CHUNK_SHIFT) {
    kprintf("virtiofs %s: DAX window unused: map_alignment %d (need FUSE_MAP_ALIGNMENT <= 21)\n", fs->tag,
            fs->map_alignment);
    return;
  }
  if (base & (DAX_CHUNK - 1)) {  // pci.c aligns a BAR to its size; a window < 2 MiB has no slot anyway
    kprintf("virtiofs %s: DAX window at %lx not 2 MiB aligned, unused\n", fs->tag, (unsigned long)base);
    return;
  }
  u64 n = MIN(len >> DAX_CHUNK_SHIFT, (u64)DAX_MAX_SLOTS);
  if (n == 0 || nall == (int)ARRAY_SIZE(all)) {
    kprintf("virtiofs %s: DAX window of %lu bytes holds no 2 MiB chunk, unused\n", fs->tag, (unsigned long)len);
    return;
  }
  struct dax *d = calloc(1, sizeof(*d));
  struct slot *s = d ? calloc(n, sizeof(*s)) : NULL;
  if (!s) {
    free(d);
    kprintf("virtiofs %s: no memory for the DAX manager\n", fs->tag);
    return;
  }
  d->base = base;
  d->nslots = d->nfree = (int)n;
  d->slots = s;
  d->last = -1;
  for (int i = 0; i < DAX_HASH; i++) d->head[i] = -1;
  fs->dax = d;
  all[nall++] = d;
  if (kopts.verbose)
    kprintf("virtiofs %s: DAX on: %d chunks of 2 MiB at %lx\n", fs->tag, d->nslots, (unsigned long)base);
}

static void hash_del(struct dax *d, int i) {
  int *pp = &d->head[hash(d->slots[i].nodeid, d->slots[i].chunk)];
  while (*pp >= 0 && *pp != i) pp = &d->slots[*pp].next;
  if (*pp == i) *pp = d->slots[i].next;
  if (d->last == i) d->last = -1;
}

static int find(struct dax *d, u64 nodeid, u64 chunk) {
  if (d->last >= 0 && d->slots[d->last].nodeid == nodeid && d->slots[d->last].chunk == chunk) return d->last;
  for (int i = d->head[hash(nodeid, chunk)]; i >= 0; i = d->slots[i].next)
    if (d->slots[i].nodeid == nodeid && d->slots[i].chunk == chunk) return d->last = i;
  return -1;
}

// FUSE_REMOVEMAPPING (virtio-fs.md): fuse_removemapping_in {u32 count} and, from offset 4, count
// fuse_removemapping_one {u64 moffset, u64 len}. Sent with nodeid 0, as the window is per device.
static int remove_slots(struct vfs_dev *fs, const int *idx, int n) {
  struct dax *d = fs->dax;
  static u8 buf[4 + 16 * RM_BATCH];
  int err = 0;
  for (int o = 0; o < n; o += RM_BATCH) {
    u32 count = (u32)MIN(n - o, RM_BATCH);
    memcpy(buf, &count, 4);
    for (u32 k = 0; k < count; k++) {
      u64 one[2] = {(u64)idx[o + (int)k] << DAX_CHUNK_SHIFT, DAX_CHUNK};
      memcpy(buf + 4 + 16 * k, one, 16);
    }
    long r = fuse_req1(fs, FUSE_REMOVEMAPPING, 0, buf, 4 + 16 * count, NULL, 0);
    d->removes++;
    if (r < 0) err = (int)r;  // the slots are reused anyway: a later SETUPMAPPING replaces the range
    else d->removed += count;
  }
  for (int k = 0; k < n; k++) {
    d->slots[idx[k]].state = SLOT_FREE;
    d->nfree++;
  }
  return err;
}

// A slot for a new chunk: a free one, else the least recently used unpinned one (evicted).
static int take_slot(struct vfs_dev *fs) {
  struct dax *d = fs->dax;
  int best = -1;
  for (int i = 0; i < d->nslots; i++) {
    struct slot *s = &d->slots[i];
    if (s->state == SLOT_FREE && d->nfree > 0) return i;
    if (s->state == SLOT_LIVE && !s->pins && (best < 0 || s->used < d->slots[best].used)) best = i;
  }
  if (best < 0) return -ENOSPC;
  hash_del(d, best);
  remove_slots(fs, &best, 1);
  d->evictions++;
  return best;
}

// The slot holding (nodeid, chunk), mapped with FUSE_SETUPMAPPING if it is not yet: fuse_setupmapping_in
// {fh, foffset, len, flags, moffset} (40 bytes); fh = -1 and the nodeid in the header. The host maps
// only the file's pages below its size; the rest of the 2 MiB reads as zero (docs/dax.md).
static int get_slot(struct vfs_dev *fs, u64 nodeid, u64 chunk) {
  struct dax *d = fs->dax;
  int i = find(d, nodeid, chunk);
  if (i >= 0) {
    d->hits++;
    d->slots[i].used = ++d->clock;
    return i;
  }
  d->misses++;
  i = take_slot(fs);
  if (i < 0) return i;
  struct fuse_setupmapping_in in = {~0ULL, chunk << DAX_CHUNK_SHIFT, DAX_CHUNK, FUSE_SETUPMAPPING_FLAG_READ,
                                    (u64)i << DAX_CHUNK_SHIFT};
  long r = fuse_req1(fs, FUSE_SETUPMAPPING, nodeid, &in, sizeof(in), NULL, 0);
  d->setups++;
  if (r < 0) {
    d->setup_errors++;
    return (int)r;  // slot stays free
  }
  struct slot *s = &d->slots[i];
  s->state = SLOT_LIVE;
  s->nodeid = nodeid;
  s->chunk = chunk;
  s->pins = 0;
  s->used = ++d->clock;
  u32 h = hash(nodeid, chunk);
  s->next = d->head[h];
  d->head[h] = i;
  d->nfree--;
  d->last = i;
  return i;
}

// Copy n bytes from physical `src` into the segment list at byte `skip`.
static void copy_to_segs(const struct vq_seg *segs, int nseg, size_t skip, const u8 *src, size_t n) {
  for (int i = 0; i < nseg && n; i++) {
    if (skip >= segs[i].len) {
      skip -= segs[i].len;
      continue;
    }
    size_t k = MIN(n, segs[i].len - skip);
    memcpy((u8 *)segs[i].addr + skip, src, k);
    src += k, n -= k, skip = 0;
  }
}

long dax_read(struct vfs_dev *fs, struct vnode *vn, const struct vq_seg *segs, int nseg, u64 off, bool *complete) {
  struct dax *d = fs->dax;
  *complete = false;
  if (!d || !S_ISREG(vn->mode)) return 0;
  size_t total = segs_total(segs, nseg), done = 0;
  if (off >= vn->size) {
    *complete = true;
    return 0;
  }
  total = (size_t)MIN((u64)total, vn->size - off);
  while (done < total) {
    u64 pos = off + done, within = pos & (DAX_CHUNK - 1);
    int i = get_slot(fs, vn->fsid, pos >> DAX_CHUNK_SHIFT);
    if (i < 0) {
      d->fallbacks++;
      return (long)done;
    }
    size_t k = (size_t)MIN((u64)(total - done), DAX_CHUNK - within);
    copy_to_segs(segs, nseg, done, (const u8 *)(d->base + ((u64)i << DAX_CHUNK_SHIFT) + within), k);
    done += k;
  }
  d->bytes += done;
  fs->bytes_read += done;
  *complete = true;
  return (long)done;
}

void dax_invalidate(struct vfs_dev *fs, u64 nodeid) {
  struct dax *d = fs->dax;
  if (!d) return;
  int *idx = malloc(sizeof(int) * (size_t)d->nslots), n = 0;
  for (int i = 0; i < d->nslots; i++) {
    struct slot *s = &d->slots[i];
    if (s->state != SLOT_LIVE || s->nodeid != nodeid) continue;
    hash_del(d, i);
    if (s->pins) s->state = SLOT_STALE;  // an app still maps it: unmapped at its last unpin
    else if (idx) idx[n++] = i;
    else remove_slots(fs, &i, 1);
  }
  if (n) remove_slots(fs, idx, n);
  free(idx);
}

u64 dax_pin_page(struct vfs_dev *fs, struct vnode *vn, u64 off) {
  struct dax *d = fs->dax;
  if (!d || !S_ISREG(vn->mode) || (off & (PAGE_SIZE - 1))) return 0;
  int i = get_slot(fs, vn->fsid, off >> DAX_CHUNK_SHIFT);
  if (i < 0) return 0;
  d->slots[i].pins++;
  d->pinned++;
  return d->base + ((u64)i << DAX_CHUNK_SHIFT) + (off & (DAX_CHUNK - 1));
}

// vm.c: an app page with PTE_NOFREE was unmapped; if it lies in a window, unpin its chunk.
void dax_page_released(u64 pa) {
  for (int k = 0; k < nall; k++) {
    struct dax *d = all[k];
    if (pa < d->base || pa >= d->base + ((u64)d->nslots << DAX_CHUNK_SHIFT)) continue;
    struct slot *s = &d->slots[(pa - d->base) >> DAX_CHUNK_SHIFT];
    if (!s->pins) return;
    s->pins--;
    d->pinned--;
    if (!s->pins && s->state == SLOT_STALE) {
      // The owning vfs_dev is needed for the request; find it through the mounts.
      for (int m = 0; m < vfs_mount_count(); m++) {
        struct mount *mt = vfs_mount_get(m);
        if (mt && !strcmp(mt->fstype, "virtiofs") && ((struct vfs_dev *)mt->fsdata)->dax == d) {
          int i = (int)(s - d->slots);
          remove_slots(mt->fsdata, &i, 1);
          break;
        }
      }
    }
    return;
  }
}

int dax_stats(struct vfs_dev *fs, char *buf, size_t len) {
  struct dax *d = fs->dax;
  if (!d) return snprintf(buf, len, "dax off\n");
  int live = 0;
  for (int i = 0; i < d->nslots; i++) live += d->slots[i].state != SLOT_FREE;
  return snprintf(buf, len,
                  "dax on\ndax_chunks %d\ndax_chunks_mapped %d\ndax_setupmappings %lu\ndax_setup_errors %lu\n"
                  "dax_removemappings %lu\ndax_chunks_removed %lu\ndax_evictions %lu\ndax_hits %lu\ndax_misses %lu\n"
                  "dax_fallbacks %lu\ndax_bytes %lu\ndax_pinned_pages %lu\n",
                  d->nslots, live, (unsigned long)d->setups, (unsigned long)d->setup_errors,
                  (unsigned long)d->removes, (unsigned long)d->removed, (unsigned long)d->evictions,
                  (unsigned long)d->hits, (unsigned long)d->misses, (unsigned long)d->fallbacks,
                  (unsigned long)d->bytes, (unsigned long)d->pinned);
}
