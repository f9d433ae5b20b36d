// virtiofs.c — virtio-fs device driver (virtio 1.2 §5.11): probe every 1af4:105a function,
// read its tag from device config, set up hiprio + one request queue, FUSE_INIT, and carry FUSE
// requests as one descriptor chain each: [fuse_in_header][args...] readable, [fuse_out_header]
// [reply...] writable. Replies are validated (length, unique, error range) before use: the
// device and the host behind it are not trusted with kernel memory.
#include "errno.h"
#include <stdio.h>
#include "dax.h"
#include "virtiofs.h"

#define MAX_FS 4
static struct vfs_dev devs[MAX_FS];
static int ndevs;

static const char *const op_names[FUSE_OPCODE_MAX] = {
    [FUSE_LOOKUP] = "LOOKUP",   [FUSE_FORGET] = "FORGET",   [FUSE_GETATTR] = "GETATTR", [FUSE_SETATTR] = "SETATTR",
    [FUSE_READLINK] = "READLINK", [FUSE_MKDIR] = "MKDIR",   [FUSE_UNLINK] = "UNLINK",   [FUSE_RMDIR] = "RMDIR",
    [FUSE_RENAME] = "RENAME",   [FUSE_OPEN] = "OPEN",       [FUSE_READ] = "READ",       [FUSE_WRITE] = "WRITE",
    [FUSE_STATFS] = "STATFS",   [FUSE_RELEASE] = "RELEASE", [FUSE_FSYNC] = "FSYNC", [FUSE_FLUSH] = "FLUSH",     [FUSE_INIT] = "INIT",
    [FUSE_OPENDIR] = "OPENDIR", [FUSE_READDIR] = "READDIR", [FUSE_RELEASEDIR] = "RELEASEDIR",
    [FUSE_CREATE] = "CREATE", [FUSE_READDIRPLUS] = "READDIRPLUS",   [FUSE_RENAME2] = "RENAME2", [FUSE_SETUPMAPPING] = "SETUPMAPPING",
    [FUSE_REMOVEMAPPING] = "REMOVEMAPPING",
};

long fuse_req(struct vfs_dev *fs, u32 opcode, u64 nodeid, const struct vq_seg *in, int nin, const struct vq_seg *out,
              int nout) {
  struct fuse_in_header ih;
  struct fuse_out_header oh;
  struct vq_seg segs[80];
  if (fs->broken) return -EIO;
  if (nin + nout + 2 > (int)ARRAY_SIZE(segs) || nin + nout + 2 > fs->req.size) return -E2BIG;
  u64 inlen = sizeof(ih), outcap = 0;
  int n = 0;
  segs[n++] = (struct vq_seg){(u64)&ih, sizeof(ih)};
  for (int i = 0; i < nin; i++) inlen += in[i].len, segs[n++] = in[i];
  segs[n++] = (struct vq_seg){(u64)&oh, sizeof(oh)};
  for (int i = 0; i < nout; i++) outcap += out[i].len, segs[n++] = out[i];
  if (inlen > 0xffffffffu) return -E2BIG;
  memset(&ih, 0, sizeof(ih));
  ih.len = (u32)inlen;
  ih.opcode = opcode;
  ih.unique = ++fs->unique;
  ih.nodeid = nodeid;
  ih.pid = 1;
  memset(&oh, 0, sizeof(oh));
  fs->requests++;
  if (opcode < FUSE_OPCODE_MAX) fs->ops[opcode]++;
  long used = virtq_call(&fs->vd, &fs->req, segs, nin + 1, nout + 1);
  if (used < 0) {
    fs->broken = true;
    return used;
  }
  // Reply validation (cf. Linux "virtiofs: add FUSE protocol validation")
  if (used < (long)sizeof(oh) || oh.len < sizeof(oh) || oh.len > sizeof(oh) + outcap || oh.unique != ih.unique ||
      oh.error > 0 || oh.error < -4095 || (u64)used < oh.len) {
    kprintf("virtiofs: malformed reply to %s (used %ld, len %u, error %d, unique %lu/%lu)\n",
            opcode < FUSE_OPCODE_MAX && op_names[opcode] ? op_names[opcode] : "?", used, oh.len, oh.error,
            (unsigned long)oh.unique, (unsigned long)ih.unique);
    fs->errors++;
    return -EIO;
  }
  if (oh.error) {
    fs->errors++;
    return oh.error;
  }
  return (long)(oh.len - sizeof(oh));
}

long fuse_req1(struct vfs_dev *fs, u32 opcode, u64 nodeid, const void *in, u32 inlen, void *out, u32 outlen) {
  struct vq_seg i = {(u64)in, inlen}, o = {(u64)out, outlen};
  return fuse_req(fs, opcode, nodeid, &i, in && inlen ? 1 : 0, &o, out && outlen ? 1 : 0);
}

// FORGET carries no reply (fuse.h) and goes to the hiprio queue (virtio 1.2 §5.11.6.1).
int fuse_forget(struct vfs_dev *fs, u64 nodeid, u64 nlookup) {
  struct fuse_in_header ih = {0};
  struct fuse_forget_in fi = {nlookup};
  ih.len = sizeof(ih) + sizeof(fi);
  ih.opcode = FUSE_FORGET;
  ih.unique = ++fs->unique;
  ih.nodeid = nodeid;
  struct vq_seg segs[2] = {{(u64)&ih, sizeof(ih)}, {(u64)&fi, sizeof(fi)}};
  fs->requests++;
  fs->ops[FUSE_FORGET]++;
  long r = virtq_call(&fs->vd, &fs->hiprio, segs, 2, 0);
  return r < 0 ? (int)r : 0;
}

void fuse_attr_to_kstat(const struct fuse_attr *a, struct kstat *st) {
  memset(st, 0, sizeof(*st));
  st->ino = a->ino;
  st->size = a->size;
  st->blocks = a->blocks;
  st->mode = a->mode;
  st->nlink = a->nlink;
  st->uid = a->uid;
  st->gid = a->gid;
  st->rdev = a->rdev;
  st->blksize = a->blksize ? a->blksize : 4096;
  st->atime = (i64)a->atime, st->atime_ns = a->atimensec;
  st->mtime = (i64)a->mtime, st->mtime_ns = a->mtimensec;
  st->ctime = (i64)a->ctime, st->ctime_ns = a->ctimensec;
  st->dev = 0x2a;
}

// fuse.h 7.36: fuse_init_in / fuse_init_out. We offer 7.36 and ask for MAP_ALIGNMENT (for the
// DAX window, issue 7), BIG_WRITES, MAX_PAGES and DO_READDIRPLUS.
static int fuse_init(struct vfs_dev *fs) {
  struct fuse_init_in in = {0};
  struct fuse_init_out out = {0};
  in.major = FUSE_KERNEL_VERSION;
  in.minor = FUSE_KERNEL_MINOR;
  in.max_readahead = 128 * 1024;
  in.flags = FUSE_MAP_ALIGNMENT | FUSE_BIG_WRITES | FUSE_MAX_PAGES | FUSE_DO_READDIRPLUS;
  long n = fuse_req1(fs, FUSE_INIT, 0, &in, sizeof(in), &out, sizeof(out));
  if (n < 0) return (int)n;
  if (n < 24 || out.major != FUSE_KERNEL_VERSION || out.minor < 31) {
    kprintf("virtiofs: server speaks FUSE %u.%u (reply %ld bytes); need 7.31+\n", out.major, out.minor, n);
    return -EPROTO;
  }
  fs->minor = out.minor;
  fs->init_flags = out.flags;
  fs->max_readahead = out.max_readahead;
  fs->max_write = out.max_write >= 4096 ? out.max_write : 4096;
  fs->map_alignment = (n >= 32 && (out.flags & FUSE_MAP_ALIGNMENT)) ? out.map_alignment : -1;
  // Keep a request within the ring: 64 data pages + headers fit a 128-entry queue.
  u32 chunk = MIN(fs->max_write, 256u * 1024);
  if (n >= 30 && (out.flags & FUSE_MAX_PAGES) && out.max_pages) chunk = MIN(chunk, (u32)out.max_pages * 4096u);
  fs->io_chunk = MIN(chunk, (u32)(fs->req.size - 8) / 2 * 4096u);
  return 0;
}

// Common to both transports: tag and queue count from config (§5.11.4), features, hiprio + queue 1.
static bool fs_setup(struct vfs_dev *fs, const char *where) {
  if (!fs->vd.devcfg || fs->vd.devcfg_len < 40) {
    kprintf("virtiofs %s: no device configuration\n", where);
    return false;
  }
  for (int k = 0; k < 36; k++) fs->tag[k] = (char)virtio_cfg_r8(&fs->vd, (u32)k);  // tag[36]
  fs->tag[36] = 0;
  fs->num_request_queues = virtio_cfg_r32(&fs->vd, 36);
  if (virtio_negotiate(&fs->vd, 1ULL << 32) < 0) {
    kprintf("virtiofs %s (%s): feature negotiation failed\n", fs->tag, where);
    return false;
  }
  if (fs->num_request_queues < 1 || virtq_setup(&fs->vd, &fs->hiprio, 0, 128) < 0 ||
      virtq_setup(&fs->vd, &fs->req, 1, 128) < 0) {
    kprintf("virtiofs %s (%s): no request queue\n", fs->tag, where);
    virtio_fail(&fs->vd);
    return false;
  }
  virtio_driver_ok(&fs->vd);
  return true;
}

int virtiofs_probe_all(void) {
  char where[40];
  for (int i = 0; boot_info.has_pci && ndevs < MAX_FS; i++) {
    struct pci_dev *p = pci_find(0x1af4, 0x105a, i);  // 0x1040 + device id 26 (virtio 1.2 §4.1.2.1)
    if (!p) break;
    struct vfs_dev *fs = &devs[ndevs];
    memset(fs, 0, sizeof(*fs));
    snprintf(where, sizeof(where), "pci 00:%02x.%x", p->slot, p->fn);
    if (virtio_pci_probe(p, &fs->vd) < 0) {
      kprintf("virtiofs: %s: not a usable modern virtio-pci device\n", where);
      continue;
    }
    if (fs_setup(fs, where)) ndevs++;
  }
  for (int i = 0; i < boot_info.nmmio && ndevs < MAX_FS; i++) {
    struct vfs_dev *fs = &devs[ndevs];
    memset(fs, 0, sizeof(*fs));
    if (virtio_mmio_probe(boot_info.mmio_base[i], boot_info.mmio_irq[i], &fs->vd) != 26) continue;  // §5.11: id 26
    snprintf(where, sizeof(where), "virtio-mmio %lx", (unsigned long)boot_info.mmio_base[i]);
    if (kopts.verbose) kprintf("virtiofs: %s irq %u\n", where, boot_info.mmio_irq[i]);
    if (fs_setup(fs, where)) ndevs++;
  }
  return ndevs;
}

void virtiofs_list(void) {
  for (int i = 0; i < ndevs; i++) kprintf("  virtio-fs tag '%s'\n", devs[i].tag);
}

struct mount *virtiofs_mount(const char *tag, const char *path) {
  struct vfs_dev *fs = NULL;
  for (int i = 0; i < ndevs; i++)
    if (!tag || !strcmp(devs[i].tag, tag)) {
      fs = &devs[i];
      break;
    }
  if (!fs) return NULL;
  if (!fs->minor) {
    int r = fuse_init(fs);
    if (r < 0) {
      kprintf("virtiofs %s: FUSE_INIT failed (%d)\n", fs->tag, r);
      return NULL;
    }
    if (kopts.verbose) {
      kprintf("virtiofs %s: FUSE 7.%u, max_write %u, io chunk %u, flags %x, map_alignment %d, irq %u\n", fs->tag,
              fs->minor, fs->max_write, fs->io_chunk, fs->init_flags, fs->map_alignment, fs->vd.irq);
      if (fs->vd.shm_addr)
        kprintf("virtiofs %s: DAX window %lx bytes at %lx\n", fs->tag, (unsigned long)fs->vd.shm_len,
                (unsigned long)fs->vd.shm_addr);
    }
    dax_init(fs);
  }
  struct vnode *root = virtiofs_root_vnode(fs);
  fs->mnt = vfs_mount(path, "virtiofs", fs->tag, root, fs);
  return fs->mnt;
}

int virtiofs_stats(char *buf, size_t len) {
  size_t o = 0;
  for (int i = 0; i < ndevs && o < len; i++) {
    struct vfs_dev *fs = &devs[i];
    o += (size_t)snprintf(buf + o, len - o,
                          "tag %s\nrequests %lu\nerrors %lu\nbytes_read %lu\nbytes_written %lu\nnotifies %lu\n"
                          "interrupts %lu\nio_chunk %u\nmax_write %u\nmap_alignment %d\ndax_window %lu\n",
                          fs->tag, (unsigned long)fs->requests, (unsigned long)fs->errors,
                          (unsigned long)fs->bytes_read, (unsigned long)fs->bytes_written,
                          (unsigned long)(fs->req.notifies + fs->hiprio.notifies), (unsigned long)fs->vd.irqs,
                          fs->io_chunk, fs->max_write, fs->map_alignment, (unsigned long)fs->vd.shm_len);
    for (int op = 0; op < FUSE_OPCODE_MAX && o < len; op++)
      if (fs->ops[op] && op_names[op])
        o += (size_t)snprintf(buf + o, len - o, "op %s %lu\n", op_names[op], (unsigned long)fs->ops[op]);
    if (o < len) o += (size_t)dax_stats(fs, buf + o, len - o);
  }
  return (int)MIN(o, len);
}
