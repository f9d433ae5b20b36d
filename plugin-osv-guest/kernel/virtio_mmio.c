// virtio_mmio.c — virtio over MMIO, version 2 (virtio 1.2 §4.2.2 register layout, §4.2.3 driver
// initialisation). The slots come from the device tree's virtio,mmio nodes (fdt.c); an empty slot
// reads DeviceID 0. Legacy (version 1) devices are refused, as the PCI driver refuses transitional
// ones: VIRTIO_F_VERSION_1 is required. Shared memory region 0 (the DAX window) is read through
// SHMSel/SHMLen/SHMBase (§4.2.2, 0x0ac-0x0bc).
#include "errno.h"
#include "virtio.h"

#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEV_FEATURES 0x010
#define R_DEV_FEATURES_SEL 0x014
#define R_DRV_FEATURES 0x020
#define R_DRV_FEATURES_SEL 0x024
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INT_STATUS 0x060
#define R_INT_ACK 0x064
#define R_STATUS 0x070
#define R_QUEUE_DESC 0x080
#define R_QUEUE_DRIVER 0x090
#define R_QUEUE_DEVICE 0x0a0
#define R_SHM_SEL 0x0ac
#define R_SHM_LEN 0x0b0
#define R_SHM_BASE 0x0b8
#define R_CONFIG 0x100
#define S_FEATURES_OK 8
#define S_FAILED 128

static u32 rd(struct virtio_dev *vd, u32 off) { return mmio_r32(vd->mmio + off); }
static void wr(struct virtio_dev *vd, u32 off, u32 v) { mmio_w32(vd->mmio + off, v); }

int virtio_mmio_probe(u64 base, u32 irq, struct virtio_dev *vd) {
  memset(vd, 0, sizeof(*vd));
  vd->mmio = base;
  vd->irq = irq;
  if (!base || rd(vd, R_MAGIC) != 0x74726976) return -ENODEV;  // "virt"
  u32 id = rd(vd, R_DEVICE_ID);
  if (id == 0) return -ENODEV;  // no device behind this slot
  if (rd(vd, R_VERSION) != 2) {
    kprintf("virtio-mmio %lx: device %u is legacy (version %u); only version 2 is driven\n", (unsigned long)base, id,
            rd(vd, R_VERSION));
    return -ENODEV;
  }
  wr(vd, R_SHM_SEL, 0);
  u64 len = rd(vd, R_SHM_LEN) | ((u64)rd(vd, R_SHM_LEN + 4) << 32);
  u64 addr = rd(vd, R_SHM_BASE) | ((u64)rd(vd, R_SHM_BASE + 4) << 32);
  if (len != ~0ULL && len && addr) vd->shm_addr = addr, vd->shm_len = len;  // all ones: no region
  vd->devcfg = base + R_CONFIG;
  vd->devcfg_len = 0x100;  // the window the register map leaves for config (devices define less)
  return (int)id;
}

u8 vmmio_cfg_r8(struct virtio_dev *vd, u32 off) { return off < vd->devcfg_len ? mmio_r8(vd->devcfg + off) : 0; }
u32 vmmio_cfg_r32(struct virtio_dev *vd, u32 off) {
  return off + 4 <= vd->devcfg_len ? mmio_r32(vd->devcfg + off) : 0;
}

void vmmio_status(struct virtio_dev *vd, u8 status) { wr(vd, R_STATUS, status); }

int vmmio_negotiate(struct virtio_dev *vd, u64 wanted) {
  wr(vd, R_STATUS, 0);  // reset
  wr(vd, R_STATUS, 1);  // ACKNOWLEDGE
  wr(vd, R_STATUS, 1 | 2);  // DRIVER
  wr(vd, R_DEV_FEATURES_SEL, 0);
  u64 f = rd(vd, R_DEV_FEATURES);
  wr(vd, R_DEV_FEATURES_SEL, 1);
  f |= (u64)rd(vd, R_DEV_FEATURES) << 32;
  if (!(f & (1ULL << 32))) {
    wr(vd, R_STATUS, S_FAILED);
    return -ENODEV;
  }
  vd->features = f & wanted;
  wr(vd, R_DRV_FEATURES_SEL, 0);
  wr(vd, R_DRV_FEATURES, (u32)vd->features);
  wr(vd, R_DRV_FEATURES_SEL, 1);
  wr(vd, R_DRV_FEATURES, (u32)(vd->features >> 32));
  wr(vd, R_STATUS, 1 | 2 | S_FEATURES_OK);
  if (!(rd(vd, R_STATUS) & S_FEATURES_OK)) {
    wr(vd, R_STATUS, S_FAILED);
    return -ENODEV;
  }
  vd->num_queues = 16;  // MMIO has no count: a queue exists when QueueNumMax is not 0
  virtio_irq_register(vd);
  return 0;
}

// Queue setup (§4.2.3.2): select, size, ring addresses, ready. vq->index and the size wanted are set.
int vmmio_queue(struct virtio_dev *vd, struct virtq *vq) {
  wr(vd, R_QUEUE_SEL, vq->index);
  if (rd(vd, R_QUEUE_READY)) return -EBUSY;
  u32 max = rd(vd, R_QUEUE_NUM_MAX);
  if (max == 0) return -ENODEV;
  u16 size = (u16)MIN(max, vq->size);
  while (size & (size - 1)) size &= size - 1;
  int r = virtq_alloc(vq, vq->index, size);
  if (r < 0) return r;
  wr(vd, R_QUEUE_NUM, size);
  wr(vd, R_QUEUE_DESC, (u32)(u64)vq->desc);
  wr(vd, R_QUEUE_DESC + 4, (u32)((u64)vq->desc >> 32));
  wr(vd, R_QUEUE_DRIVER, (u32)(u64)vq->avail);
  wr(vd, R_QUEUE_DRIVER + 4, (u32)((u64)vq->avail >> 32));
  wr(vd, R_QUEUE_DEVICE, (u32)(u64)vq->used);
  wr(vd, R_QUEUE_DEVICE + 4, (u32)((u64)vq->used >> 32));
  vq->notify_addr = vd->mmio + R_QUEUE_NOTIFY;
  vq->notify32 = true;
  wr(vd, R_QUEUE_READY, 1);
  return 0;
}

// The interrupt: read InterruptStatus and acknowledge those bits (§4.2.2), which drops the line.
void vmmio_irq_ack(struct virtio_dev *vd) {
  u32 st = rd(vd, R_INT_STATUS);
  wr(vd, R_INT_ACK, st);
}
