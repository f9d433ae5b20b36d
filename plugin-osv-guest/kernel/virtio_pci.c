// virtio_pci.c — virtio-pci modern transport (virtio 1.2 §4.1), the transport-neutral entry points
// (which hand virtio-mmio devices to virtio_mmio.c) and split virtqueues (§2.7).
// Capabilities are found by walking the PCI capability list for vendor capabilities (0x09):
// common (1), notify (2), ISR (3), device (4) and shared memory (8; §4.1.4.7, cap64 with id).
// Each region must lie inside an assigned memory BAR; anything else is refused.
#include "errno.h"
#include "virtio.h"

// §4.1.4.3 common configuration offsets
#define C_DFSELECT 0x00
#define C_DF 0x04
#define C_GFSELECT 0x08
#define C_GF 0x0c
#define C_NUMQ 0x12
#define C_STATUS 0x14
#define C_Q_SELECT 0x16
#define C_Q_SIZE 0x18
#define C_Q_MSIX 0x1a
#define C_Q_ENABLE 0x1c
#define C_Q_NOFF 0x1e
#define C_Q_DESC 0x20
#define C_Q_DRIVER 0x28
#define C_Q_DEVICE 0x30
// §2.1 device status
#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_FAILED 128

void vmmio_irq_ack(struct virtio_dev *vd);

static void virtio_irq(void *arg) {
  struct virtio_dev *vd = arg;
  if (vd->mmio) vmmio_irq_ack(vd);
  else (void)mmio_r8(vd->isr);  // §4.1.4.5.1: reading ISR clears it and de-asserts INTx
  vd->irqs++;
}

void virtio_irq_register(struct virtio_dev *vd) {
  if (vd->irq && !kopts.poll) {
    plic_register(vd->irq, virtio_irq, vd);
    plic_enable(vd->irq);
    vd->use_irq = true;
  }
}

static bool region(struct virtio_dev *vd, u8 bar, u64 off, u64 len, u64 *out) {
  struct pci_dev *p = vd->pci;
  if (bar > 5 || !p->bar[bar] || p->bar_io[bar] || off > p->bar_size[bar] || len > p->bar_size[bar] - off)
    return false;
  *out = p->bar[bar] + off;
  return true;
}

int virtio_pci_probe(struct pci_dev *pci, struct virtio_dev *vd) {
  memset(vd, 0, sizeof(*vd));
  vd->pci = pci;
  vd->irq = pci->irq;
  if (!(pci_r16(pci, 0x06) & 0x10)) return -ENODEV;  // no capability list
  u8 ptr = pci_r8(pci, 0x34) & 0xfc;
  for (int guard = 0; ptr && guard < 48; guard++) {
    u8 id = pci_r8(pci, ptr), next = pci_r8(pci, ptr + 1) & 0xfc;
    if (id == 0x09) {
      u8 cap_len = pci_r8(pci, ptr + 2), type = pci_r8(pci, ptr + 3), bar = pci_r8(pci, ptr + 4);
      u8 shmid = pci_r8(pci, ptr + 5);
      u64 off = pci_r32(pci, ptr + 8), len = pci_r32(pci, ptr + 12), addr;
      if (cap_len < 16) goto next;
      if (type == 8) {  // struct virtio_pci_cap64
        if (cap_len < 24) goto next;
        off |= (u64)pci_r32(pci, ptr + 16) << 32;
        len |= (u64)pci_r32(pci, ptr + 20) << 32;
      }
      if (!region(vd, bar, off, len, &addr)) {
        if (type >= 1 && type <= 4) kprintf("virtio: capability type %u outside BAR%u, ignored\n", type, bar);
        goto next;
      }
      if (type == 1 && !vd->common && len >= 0x38) vd->common = addr;
      if (type == 2 && !vd->notify && cap_len >= 20) {
        vd->notify = addr;
        vd->notify_mult = pci_r32(pci, ptr + 16);
      }
      if (type == 3 && !vd->isr && len >= 1) vd->isr = addr;
      if (type == 4 && !vd->devcfg) vd->devcfg = addr, vd->devcfg_len = (u32)len;
      if (type == 8 && shmid == 0 && !vd->shm_addr && len) vd->shm_addr = addr, vd->shm_len = len;
    }
  next:
    ptr = next;
  }
  if (!vd->common || !vd->notify || !vd->isr) return -ENODEV;
  return 0;
}

u8 virtio_cfg_r8(struct virtio_dev *vd, u32 off) {
  if (vd->mmio) return vmmio_cfg_r8(vd, off);
  return off < vd->devcfg_len ? mmio_r8(vd->devcfg + off) : 0; }
u32 virtio_cfg_r32(struct virtio_dev *vd, u32 off) {
  if (vd->mmio) return vmmio_cfg_r32(vd, off);
  return off + 4 <= vd->devcfg_len ? mmio_r32(vd->devcfg + off) : 0;
}

void virtio_fail(struct virtio_dev *vd) {
  if (vd->mmio) return vmmio_status(vd, 128);
  mmio_w8(vd->common + C_STATUS, mmio_r8(vd->common + C_STATUS) | S_FAILED);
}

// §3.1.1 driver initialization, steps 1-6.
int virtio_negotiate(struct virtio_dev *vd, u64 wanted) {
  if (vd->mmio) return vmmio_negotiate(vd, wanted);
  u64 c = vd->common;
  mmio_w8(c + C_STATUS, 0);
  for (int i = 0; i < 1000000 && mmio_r8(c + C_STATUS); i++) {
  }
  mmio_w8(c + C_STATUS, S_ACK);
  mmio_w8(c + C_STATUS, S_ACK | S_DRIVER);
  mmio_w32(c + C_DFSELECT, 0);
  u64 f = mmio_r32(c + C_DF);
  mmio_w32(c + C_DFSELECT, 1);
  f |= (u64)mmio_r32(c + C_DF) << 32;
  if (!(f & (1ULL << 32))) {  // VIRTIO_F_VERSION_1: this driver is modern-only
    virtio_fail(vd);
    return -ENODEV;
  }
  vd->features = f & wanted;
  mmio_w32(c + C_GFSELECT, 0);
  mmio_w32(c + C_GF, (u32)vd->features);
  mmio_w32(c + C_GFSELECT, 1);
  mmio_w32(c + C_GF, (u32)(vd->features >> 32));
  mmio_w8(c + C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
  if (!(mmio_r8(c + C_STATUS) & S_FEATURES_OK)) {
    virtio_fail(vd);
    return -ENODEV;
  }
  vd->num_queues = mmio_r16(c + C_NUMQ);
  virtio_irq_register(vd);
  return 0;
}

// The split ring's memory (§2.7: descriptors, avail, used; the used ring page-aligned).
int virtq_alloc(struct virtq *vq, u16 index, u16 size) {
  memset(vq, 0, sizeof(*vq));
  vq->index = index;
  vq->size = size;
  size_t desc_bytes = 16UL * size, avail_bytes = 6 + 2UL * size, used_bytes = 6 + 8UL * size;
  u8 *mem = page_alloc((ALIGN_UP(desc_bytes + avail_bytes, PAGE_SIZE) + ALIGN_UP(used_bytes, PAGE_SIZE)) / PAGE_SIZE);
  if (!mem) return -ENOMEM;
  vq->desc = (volatile struct vq_desc *)mem;
  vq->avail = (volatile u16 *)(mem + desc_bytes);
  vq->used = mem + ALIGN_UP(desc_bytes + avail_bytes, PAGE_SIZE);
  for (u16 i = 0; i < size; i++) vq->desc[i].next = (u16)(i + 1);
  vq->free_head = 0;
  vq->nfree = size;
  return 0;
}

// §2.7 split virtqueue; §4.1.5.1.3 queue setup through common configuration.
int virtq_setup(struct virtio_dev *vd, struct virtq *vq, u16 index, u16 max_size) {
  if (index >= vd->num_queues) return -ENODEV;
  if (vd->mmio) {
    vq->index = index;
    vq->size = max_size;
    return vmmio_queue(vd, vq);
  }
  u64 c = vd->common;
  mmio_w16(c + C_Q_SELECT, index);
  u16 dev_max = mmio_r16(c + C_Q_SIZE);
  if (dev_max == 0) return -ENODEV;
  u16 size = MIN(dev_max, max_size);
  while (size & (size - 1)) size &= size - 1;  // split rings: power of 2
  int r = virtq_alloc(vq, index, size);
  if (r < 0) return r;
  mmio_w16(c + C_Q_SIZE, size);
  mmio_w16(c + C_Q_MSIX, 0xffff);  // VIRTIO_MSI_NO_VECTOR: MSI-X stays off, INTx is used
  mmio_w64(c + C_Q_DESC, (u64)vq->desc);
  mmio_w64(c + C_Q_DRIVER, (u64)vq->avail);
  mmio_w64(c + C_Q_DEVICE, (u64)vq->used);
  u16 noff = mmio_r16(c + C_Q_NOFF);
  vq->notify_addr = vd->notify + (u64)noff * vd->notify_mult;
  mmio_w16(c + C_Q_ENABLE, 1);
  return 0;
}

void virtio_driver_ok(struct virtio_dev *vd) {
  if (vd->mmio) return vmmio_status(vd, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
  mmio_w8(vd->common + C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

static u16 used_idx(struct virtq *vq) { return *(volatile u16 *)(vq->used + 2); }

long virtq_call(struct virtio_dev *vd, struct virtq *vq, const struct vq_seg *segs, int n_out, int n_in) {
  int n = n_out + n_in;
  if (n <= 0 || n > vq->nfree) return -ENOSPC;
  u16 head = vq->free_head, d = head, last = head;
  for (int i = 0; i < n; i++) {
    last = d;
    vq->desc[d].addr = segs[i].addr;
    vq->desc[d].len = segs[i].len;
    vq->desc[d].flags = (u16)((i < n - 1 ? VRING_DESC_F_NEXT : 0) | (i >= n_out ? VRING_DESC_F_WRITE : 0));
    d = vq->desc[d].next;
  }
  vq->free_head = d;
  vq->nfree -= (u16)n;
  vq->avail[2 + (vq->avail_idx % vq->size)] = head;
  wmb();  // §2.7.13: ring entry visible before idx
  vq->avail_idx++;
  vq->avail[1] = vq->avail_idx;
  mb();
  if (vq->notify32) mmio_w32(vq->notify_addr, vq->index);  // §4.2.2 QueueNotify
  else mmio_w16(vq->notify_addr, vq->index);               // §4.1.4.4: notify with the queue index
  vq->notifies++;
  // The request is synchronous under the big kernel lock. Hart 0 (the PLIC's only target) sleeps in
  // wfi until the interrupt; other harts poll the used ring.
  while (used_idx(vq) == vq->last_used) {
    if (vd->use_irq && csr_read(mhartid) == 0) wait_for_interrupt();
  }
  rmb();
  volatile u8 *e = vq->used + 4 + 8 * (vq->last_used % vq->size);
  u32 id = *(volatile u32 *)e, len = *(volatile u32 *)(e + 4);
  vq->last_used++;
  vq->completions++;
  // only one chain is ever in flight: the device must return exactly it
  vq->desc[last].next = vq->free_head;
  vq->free_head = head;
  vq->nfree += (u16)n;
  if (id != head) {
    kprintf("virtio: device returned descriptor %u, expected %u\n", id, head);
    return -EIO;
  }
  return len;
}
