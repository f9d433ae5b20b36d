// plic.c — SiFive PLIC at 0xC000000 (virt-platform.md §1; RISC-V PLIC spec 1.0.0 §3-§7):
// priority at +4*i, enables at +0x2000 + 0x80*ctx, threshold at +0x200000 + 0x1000*ctx,
// claim/complete at threshold + 4. Context 0 = hart 0 M-mode.
#include "kernel.h"

#define PLIC_BASE 0xC000000UL
#define PLIC_CTX 0
#define NSRC 96

static struct {
  void (*fn)(void *);
  void *arg;
} handlers[NSRC];
static u64 irq_counts[NSRC];

void plic_init(void) {
  mmio_w32(PLIC_BASE + 0x200000 + 0x1000 * PLIC_CTX, 0);  // threshold 0: every priority > 0 passes
  for (u32 w = 0; w < NSRC / 32; w++) mmio_w32(PLIC_BASE + 0x2000 + 0x80 * PLIC_CTX + 4 * w, 0);
  csr_set(mie, MIE_MEIE);
}

void plic_register(u32 irq, void (*fn)(void *), void *arg) {
  if (irq >= NSRC) panic("plic: irq %u out of range", irq);
  handlers[irq].fn = fn;
  handlers[irq].arg = arg;
}

void plic_enable(u32 irq) {
  mmio_w32(PLIC_BASE + 4 * irq, 1);
  u64 en = PLIC_BASE + 0x2000 + 0x80 * PLIC_CTX + 4 * (irq / 32);
  mmio_w32(en, mmio_r32(en) | (1u << (irq % 32)));
}

void plic_dispatch(void) {
  u64 claim = PLIC_BASE + 0x200000 + 0x1000 * PLIC_CTX + 4;
  for (;;) {
    u32 irq = mmio_r32(claim);
    if (irq == 0) break;
    if (irq < NSRC) {
      irq_counts[irq]++;
      if (handlers[irq].fn) handlers[irq].fn(handlers[irq].arg);
    }
    mmio_w32(claim, irq);  // complete
  }
}

u64 plic_irq_count(u32 irq) { return irq < NSRC ? irq_counts[irq] : 0; }

// Kernel code runs with mstatus.MIE = 0: wfi still wakes on any interrupt enabled in mie
// (privileged spec §3.3.3), then pending sources are claimed here.
void wait_for_interrupt(void) {
  __asm__ volatile("wfi");
  if (csr_read(mip) & (1UL << 11)) plic_dispatch();
}
