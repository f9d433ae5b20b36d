// pci.c — bus 0 enumeration over ECAM and BAR assignment. With -bios none nobody assigns BARs
// (virt-platform.md §3), so the kernel sizes each BAR (write all-ones, read back; PCI Local Bus
// 3.0 §6.2.5.1) and places 32-bit memory BARs from the MEM32 window (0x40000000) and 64-bit
// prefetchable BARs from the MEM64 window (0x4_0000_0000), each naturally aligned. I/O BARs are
// left unassigned (no driver here uses port I/O). INTx: PLIC source 32 + ((pin - 1 + slot) % 4)
// (QEMU hw/riscv/virt.c create_pcie_irq_map).
#include "pci.h"

#define MAX_DEVS 32
static struct pci_dev devs[MAX_DEVS];
static int ndevs;
static u64 next32, end32, next64, end64;

u8 pci_r8(struct pci_dev *d, u32 off) { return mmio_r8(d->cfg + off); }
u16 pci_r16(struct pci_dev *d, u32 off) { return mmio_r16(d->cfg + off); }
u32 pci_r32(struct pci_dev *d, u32 off) { return mmio_r32(d->cfg + off); }
void pci_w16(struct pci_dev *d, u32 off, u16 v) { mmio_w16(d->cfg + off, v); }
void pci_w32(struct pci_dev *d, u32 off, u32 v) { mmio_w32(d->cfg + off, v); }

static u64 place(u64 *next, u64 end, u64 size) {
  u64 a = ALIGN_UP(*next, size);
  if (a + size > end || a + size < a) return 0;
  *next = a + size;
  return a;
}

static void assign_bars(struct pci_dev *d) {
  u16 cmd = pci_r16(d, 0x04);
  pci_w16(d, 0x04, cmd & ~0x7);  // decoding off while sizing
  for (int i = 0; i < 6; i++) {
    u32 off = 0x10 + 4 * i;
    u32 orig = pci_r32(d, off);
    pci_w32(d, off, 0xffffffff);
    u32 lo = pci_r32(d, off);
    pci_w32(d, off, orig);
    if (lo == 0) continue;
    if (lo & 1) {  // I/O space BAR
      d->bar_io[i] = true;
      d->bar_size[i] = (~(lo & ~3u) + 1) & 0xffff;
      continue;
    }
    bool is64 = ((lo >> 1) & 3) == 2, pref = (lo >> 3) & 1;
    u64 mask = lo & ~0xfULL;
    if (is64 && i < 5) {
      u32 orig_hi = pci_r32(d, off + 4);
      pci_w32(d, off + 4, 0xffffffff);
      u64 hi = pci_r32(d, off + 4);
      pci_w32(d, off + 4, orig_hi);
      mask |= hi << 32;
    } else {
      mask |= 0xffffffff00000000ULL;
    }
    u64 size = ~mask + 1;
    if (size == 0 || (size & (size - 1))) {
      kprintf("pci %02x:%02x.%x: BAR%d has a bogus size mask %lx, skipped\n", d->bus, d->slot, d->fn, i,
              (unsigned long)mask);
      if (is64) i++;
      continue;
    }
    size = MAX(size, PAGE_SIZE);  // keep BARs page-granular
    u64 addr = (is64 && pref) ? place(&next64, end64, size) : place(&next32, end32, size);
    if (!addr) {
      kprintf("pci %02x:%02x.%x: no window space for BAR%d (%lx bytes)\n", d->bus, d->slot, d->fn, i,
              (unsigned long)size);
      if (is64) i++;
      continue;
    }
    pci_w32(d, off, (u32)addr | (lo & 0xf));
    if (is64) pci_w32(d, off + 4, (u32)(addr >> 32));
    d->bar[i] = addr;
    d->bar_size[i] = size;
    d->bar_is64[i] = is64;
    if (is64) i++;
  }
  pci_w16(d, 0x04, (cmd & ~0x1) | 0x2 | 0x4);  // memory decode + bus master, INTx enabled
}

int pci_enumerate(void) {
  next32 = boot_info.mmio32_base;
  end32 = boot_info.mmio32_base + boot_info.mmio32_size;
  next64 = boot_info.mmio64_base;
  end64 = boot_info.mmio64_base + boot_info.mmio64_size;
  for (u32 slot = 0; slot < 32; slot++) {
    for (u32 fn = 0; fn < 8; fn++) {
      u64 cfg = boot_info.ecam_base + ((u64)slot << 15) + ((u64)fn << 12);
      if (cfg + 4096 > boot_info.ecam_base + boot_info.ecam_size) return ndevs;
      u16 vendor = mmio_r16(cfg);
      if (vendor == 0xffff) {
        if (fn == 0) break;
        continue;
      }
      if (ndevs == MAX_DEVS) return ndevs;
      struct pci_dev *d = &devs[ndevs++];
      memset(d, 0, sizeof(*d));
      d->cfg = cfg;
      d->bus = 0, d->slot = (u8)slot, d->fn = (u8)fn;
      d->vendor = vendor;
      d->device = mmio_r16(cfg + 2);
      d->class_code = mmio_r32(cfg + 8) >> 8;
      u8 hdr = mmio_r8(cfg + 0x0e);
      if ((hdr & 0x7f) == 0) {  // type 0 header: endpoint
        d->irq_pin = mmio_r8(cfg + 0x3d);
        if (d->irq_pin >= 1 && d->irq_pin <= 4) d->irq = 32 + ((d->irq_pin - 1 + slot) % 4);
        if (d->class_code >> 8 != 0x0600) assign_bars(d);  // the host bridge needs nothing
      }
      if (kopts.verbose)
        kprintf("pci 00:%02x.%x %04x:%04x class %06x irq %u\n", slot, fn, d->vendor, d->device, d->class_code,
                d->irq);
      if (fn == 0 && !(hdr & 0x80)) break;  // single-function device
    }
  }
  return ndevs;
}

int pci_count(void) { return ndevs; }
struct pci_dev *pci_get(int i) { return i >= 0 && i < ndevs ? &devs[i] : NULL; }

struct pci_dev *pci_find(u16 vendor, u16 device, int nth) {
  for (int i = 0; i < ndevs; i++)
    if (devs[i].vendor == vendor && devs[i].device == device && nth-- == 0) return &devs[i];
  return NULL;
}
