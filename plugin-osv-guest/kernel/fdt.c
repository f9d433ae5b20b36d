// fdt.c — flattened device tree reader (Devicetree Specification v0.4 §5: header, structure
// block tokens FDT_BEGIN_NODE 1, FDT_END_NODE 2, FDT_PROP 3, FDT_NOP 4, FDT_END 9; big-endian).
// Extracts memory, /chosen/bootargs, hart count, timebase, the PCI ECAM host ranges (and whether
// there is a PCI host at all) and the virtio,mmio slots. Every
// offset and length is checked against the blob's totalsize.
#include "kernel.h"

struct boot_info boot_info;

static u32 be32(const u8 *p) { return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3]; }
static u64 cells(const u8 *p, int n) {
  u64 v = 0;
  for (int i = 0; i < n; i++) v = (v << 32) | be32(p + 4 * i);
  return v;
}

static bool starts(const char *name, const char *prefix) { return strncmp(name, prefix, strlen(prefix)) == 0; }

void fdt_parse(const void *dtb) {
  const u8 *b = dtb;
  // QEMU virt defaults, used for anything the tree does not say (virt-platform.md §1).
  boot_info.mem_base = 0x80000000;
  boot_info.mem_size = 128UL << 20;
  boot_info.harts = 1;
  boot_info.ecam_base = 0x30000000;
  boot_info.ecam_size = 0x10000000;
  boot_info.mmio32_base = 0x40000000;
  boot_info.mmio32_size = 0x40000000;
  boot_info.mmio64_base = 0x400000000UL;
  boot_info.mmio64_size = 0x400000000UL;
  boot_info.has_pci = true;  // without a tree: assume QEMU virt's PCIe host
  if (!b || be32(b) != 0xd00dfeed) {
    kprintf("fdt: no device tree at %p, using QEMU virt defaults\n", dtb);
    return;
  }
  u32 total = be32(b + 4), off_struct = be32(b + 8), off_strings = be32(b + 12);
  u32 size_strings = be32(b + 32), size_struct = be32(b + 36);
  boot_info.dtb_addr = (u64)dtb;
  boot_info.dtb_size = total;
  if (total > (64u << 20) || off_struct >= total || off_strings >= total || size_struct > total - off_struct ||
      size_strings > total - off_strings) {
    kprintf("fdt: inconsistent header, using defaults\n");
    return;
  }
  const u8 *p = b + off_struct, *end = p + size_struct;
  boot_info.has_pci = false;  // a tree says what exists: no pci node, no ECAM access
  int mmio_slot = -1;
  int depth = 0, harts = 0;
  int addr_cells = 2, size_cells = 2;
  char path[8][64];  // node names by depth
  while (p + 4 <= end) {
    u32 tok = be32(p);
    p += 4;
    if (tok == 1) {  // FDT_BEGIN_NODE: NUL-terminated name, padded to 4
      const char *name = (const char *)p;
      size_t n = strnlen(name, (size_t)(end - p));
      if (p + n >= end) break;
      if (depth < 8) {
        strncpy(path[depth], name, 63);
        path[depth][63] = 0;
      }
      depth++;
      if (depth == 3 && !strcmp(path[1], "cpus") && starts(path[2], "cpu@")) harts++;
      if (depth == 3 && !strcmp(path[1], "soc") && starts(path[2], "pci@")) boot_info.has_pci = true;
      mmio_slot = -1;
      if (depth == 3 && !strcmp(path[1], "soc") && starts(path[2], "virtio_mmio@") && boot_info.nmmio < 8)
        mmio_slot = boot_info.nmmio++;  // reg and interrupts follow as properties of this node
      p += ALIGN_UP(n + 1, 4);
    } else if (tok == 2) {
      if (depth > 0) depth--;
      mmio_slot = -1;
    } else if (tok == 3) {  // FDT_PROP: len, nameoff, value
      if (p + 8 > end) break;
      u32 len = be32(p), nameoff = be32(p + 4);
      p += 8;
      if (len > (u32)(end - p) || nameoff >= size_strings) break;
      const char *pname = (const char *)(b + off_strings + nameoff);
      const u8 *v = p;
      const char *node = depth >= 1 && depth <= 8 ? path[depth - 1] : "";
      if (depth == 1 && !strcmp(pname, "#address-cells") && len == 4) addr_cells = (int)be32(v);
      if (depth == 1 && !strcmp(pname, "#size-cells") && len == 4) size_cells = (int)be32(v);
      if (depth == 2 && starts(node, "memory") && !strcmp(pname, "reg") &&
          len >= (u32)(4 * (addr_cells + size_cells)) && addr_cells <= 2 && size_cells <= 2) {
        boot_info.mem_base = cells(v, addr_cells);
        boot_info.mem_size = cells(v + 4 * addr_cells, size_cells);
      }
      if (depth == 2 && !strcmp(node, "chosen") && !strcmp(pname, "bootargs") && len > 0 && v[len - 1] == 0)
        boot_info.bootargs = (const char *)v;
      if (depth == 2 && !strcmp(node, "cpus") && !strcmp(pname, "timebase-frequency") && len == 4)
        timebase_hz = be32(v);
      // virtio,mmio (virtio 1.2 §4.2; DT binding virtio/mmio.yaml): reg = <base size>, interrupts = <irq>
      if (depth == 3 && mmio_slot >= 0 && starts(node, "virtio_mmio@")) {
        if (!strcmp(pname, "reg") && len >= 16) {
          boot_info.mmio_base[mmio_slot] = cells(v, 2);
          boot_info.mmio_size[mmio_slot] = cells(v + 8, 2);
        }
        if (!strcmp(pname, "interrupts") && len >= 4) boot_info.mmio_irq[mmio_slot] = be32(v);
      }
      if (depth == 3 && !strcmp(path[1], "soc") && starts(node, "pci@")) {
        // reg = <ECAM base, size> (2+2 cells); ranges = (3 child, 2 parent, 2 size) cells each
        if (!strcmp(pname, "reg") && len >= 16) {
          boot_info.ecam_base = cells(v, 2);
          boot_info.ecam_size = cells(v + 8, 2);
        }
        if (!strcmp(pname, "ranges")) {
          for (u32 o = 0; o + 28 <= len; o += 28) {
            u32 space = (be32(v + o) >> 24) & 3;  // PCI binding: ss = 1 I/O, 2 MEM32, 3 MEM64
            u64 cpu = cells(v + o + 12, 2), sz = cells(v + o + 20, 2);
            if (space == 2) boot_info.mmio32_base = cpu, boot_info.mmio32_size = sz;
            if (space == 3) boot_info.mmio64_base = cpu, boot_info.mmio64_size = sz;
          }
        }
      }
      p += ALIGN_UP(len, 4);
    } else if (tok == 4) {
      continue;
    } else {
      break;  // FDT_END or garbage
    }
  }
  if (harts > 0) boot_info.harts = harts;
}
