// pci.h — PCI Express configuration over ECAM (PCI Firmware Spec 3.2 §4.1; PCI Local Bus 3.0 §6).
#ifndef PCI_H
#define PCI_H
#include "kernel.h"

struct pci_dev {
  u8 bus, slot, fn;
  u16 vendor, device;
  u32 class_code;  // class << 16 | subclass << 8 | prog-if
  u8 irq_pin;      // 1 = INTA .. 4 = INTD, 0 = none
  u32 irq;         // PLIC source
  u64 bar[6], bar_size[6];
  bool bar_is64[6], bar_io[6];
  u64 cfg;  // ECAM base of this function
};

int pci_enumerate(void);
int pci_count(void);
struct pci_dev *pci_get(int i);
struct pci_dev *pci_find(u16 vendor, u16 device, int nth);
u8 pci_r8(struct pci_dev *d, u32 off);
u16 pci_r16(struct pci_dev *d, u32 off);
u32 pci_r32(struct pci_dev *d, u32 off);
void pci_w16(struct pci_dev *d, u32 off, u16 v);
void pci_w32(struct pci_dev *d, u32 off, u32 v);
#endif
