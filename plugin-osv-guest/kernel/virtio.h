// virtio.h — virtio 1.2 over PCI (modern) or MMIO (version 2), and split virtqueues.
#ifndef VIRTIO_H
#define VIRTIO_H
#include "pci.h"

// virtio 1.2 §2.7.5: struct virtq_desc
struct vq_desc {
  u64 addr;
  u32 len;
  u16 flags;
  u16 next;
};
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

struct vq_seg {  // one physically contiguous buffer of a chain
  u64 addr;
  u32 len;
};

struct virtq {
  u16 index, size;
  volatile struct vq_desc *desc;
  volatile u16 *avail;  // flags, idx, ring[size], used_event (§2.7.6)
  volatile u8 *used;    // flags, idx, {u32 id, u32 len}[size], avail_event (§2.7.8)
  u16 avail_idx, last_used;
  u16 free_head, nfree;
  u64 notify_addr;
  bool notify32;  // virtio-mmio QueueNotify is a 32-bit register
  u64 notifies, completions;
};

struct virtio_dev {
  struct pci_dev *pci;  // NULL on virtio-mmio
  u64 mmio;             // virtio-mmio register base, 0 on PCI
  u32 irq;              // PLIC source (INTx swizzle, or the DT "interrupts" of the mmio node)
  u64 common, notify, isr, devcfg;
  u32 notify_mult, devcfg_len;
  u64 shm_addr, shm_len;  // shared memory region id 0 (virtio-fs: DAX window), 0 if absent
  u64 features;
  u16 num_queues;
  bool use_irq;
  u64 irqs;
};

int virtio_pci_probe(struct pci_dev *pci, struct virtio_dev *vd);
// virtio_mmio.c
int virtio_mmio_probe(u64 base, u32 irq, struct virtio_dev *vd);  // device id, or -ENODEV
int vmmio_negotiate(struct virtio_dev *vd, u64 wanted);
int vmmio_queue(struct virtio_dev *vd, struct virtq *vq);
void vmmio_status(struct virtio_dev *vd, u8 status);
u8 vmmio_cfg_r8(struct virtio_dev *vd, u32 off);
u32 vmmio_cfg_r32(struct virtio_dev *vd, u32 off);
int virtq_alloc(struct virtq *vq, u16 index, u16 size);
void virtio_irq_register(struct virtio_dev *vd);
int virtio_negotiate(struct virtio_dev *vd, u64 wanted);
int virtq_setup(struct virtio_dev *vd, struct virtq *vq, u16 index, u16 max_size);
void virtio_driver_ok(struct virtio_dev *vd);
void virtio_fail(struct virtio_dev *vd);
u8 virtio_cfg_r8(struct virtio_dev *vd, u32 off);
u32 virtio_cfg_r32(struct virtio_dev *vd, u32 off);

// Queue a chain (readable segments first, then writable), notify, wait for its completion and
// return the used length (bytes the device wrote), or -EIO when the device misbehaves.
long virtq_call(struct virtio_dev *vd, struct virtq *vq, const struct vq_seg *segs, int n_out, int n_in);
#endif
