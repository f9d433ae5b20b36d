// main.c — boot sequence: console, device tree, memory, interrupts, PCI, virtio-fs root, app.
#include <picolibc.h>
#include <picotls.h>
#include "proc.h"
#include "syscall.h"
#include "vfs.h"

const char osv_version[] = "drydock-osv 0.1 riscv64";
u64 boot_mtime0, boot_app_mtime, boot_app_instret, boot_app_cycles;
extern char __kernel_end[], __tls_size[];
extern char *kenv[];
extern int kenvc;
int cmdline_parse(const char *args);
void proc_init_stdio(struct proc *p);
void sched_init_boot_hart(void);

// Reset to the first instruction of the app: mtime counts from reset (QEMU and Drydock start it
// at 0), minstret/mcycle count from reset too. Printed with --boot-time and kept in /proc/boot-time.
void boot_mark_app_start(void) {
  boot_app_instret = csr_read(minstret);
  boot_app_cycles = csr_read(mcycle);
  boot_app_mtime = timer_now();
  if (kopts.boot_time)
    kprintf("boot: reset to app entry %lu.%03lu ms (mtime), %lu instructions (minstret), %lu cycles\n",
            (unsigned long)(boot_app_mtime * 1000 / timebase_hz),
            (unsigned long)(boot_app_mtime * 1000000 / timebase_hz % 1000), (unsigned long)boot_app_instret,
            (unsigned long)boot_app_cycles);
}

static const char *errname(int e) {
  switch (-e) {
    case ENOENT: return "no such file or directory";
    case ENOEXEC: return "not an executable (ELF riscv64 static) file";
    case EACCES: return "permission denied / not a regular file";
    case ENOMEM: return "out of memory";
    case EIO: return "I/O error";
    case ENOTDIR: return "not a directory";
    default: return "error";
  }
}

void kmain(u64 hartid, const void *dtb) {
  (void)hartid;
  boot_mtime0 = timer_now();
  if ((u64)__tls_size > sizeof(cpus[0].tls)) machine_exit(EXIT_PANIC);
  _init_tls(cpus[0].tls);
  _set_tls(cpus[0].tls);
  uart_init();
  fdt_parse(dtb);
  sched_init_boot_hart();
  if (cmdline_parse(boot_info.bootargs) < 0) machine_exit(EXIT_BAD_CMDLINE);
  if (kopts.verbose)
    kprintf("osv: %s, %lu MiB RAM at %lx, %d hart(s), bootargs '%s'\n", osv_version,
            (unsigned long)(boot_info.mem_size >> 20), (unsigned long)boot_info.mem_base, boot_info.harts,
            boot_info.bootargs ? boot_info.bootargs : "");
  if (kopts.test_panic) {  // exercise the fatal-trap path: a store to an unmapped address
    volatile u64 *bad = (volatile u64 *)(boot_info.mem_base + boot_info.mem_size + 0x1000);
    *bad = 1;
  }
  mm_init((u64)__kernel_end, boot_info.mem_base + boot_info.mem_size, boot_info.dtb_addr,
          boot_info.dtb_addr + boot_info.dtb_size);
  plic_init();
  if (!kopts.poll) uart_enable_rx_irq();
  int npci = boot_info.has_pci ? pci_enumerate() : 0;  // a tree without a PCI host: no ECAM access
  int nfs = virtiofs_probe_all();
  if (nfs == 0) {
    if (boot_info.has_pci)
      kprintf("osv: no virtio-fs device found (%d PCI function(s), %d virtio-mmio slot(s) looked at); cannot mount "
              "the root filesystem\n", npci, boot_info.nmmio);
    else
      kprintf("osv: no virtio-fs device found (no PCI host in the device tree, %d virtio-mmio slot(s) looked at); "
              "cannot mount the root filesystem\n", boot_info.nmmio);
    machine_exit(EXIT_NO_ROOTFS);
  }
  if (!virtiofs_mount(kopts.tag, "/")) {
    kprintf("osv: cannot mount virtio-fs tag '%s' as / ; devices present:\n", kopts.tag ? kopts.tag : "(any)");
    virtiofs_list();
    machine_exit(EXIT_NO_ROOTFS);
  }
  ramfs_mount("/tmp");
  procfs_mount("/proc");
  devfs_mount("/dev");
  if (kopts.argc == 0) {
    kprintf("osv: no application on the command line (e.g. '--rootfs=virtiofs /cli')\n");
    machine_exit(EXIT_BAD_CMDLINE);
  }
  static char *envp[20];
  int envc = 0;
  envp[envc++] = "PATH=/";
  envp[envc++] = "HOME=/";
  envp[envc++] = "TERM=vt100";
  for (int i = 0; i < kenvc && envc < 16; i++) envp[envc++] = kenv[i];
  struct thread *t;
  int r = proc_spawn(kopts.argv[0], kopts.argc, kopts.argv, envc, envp, NULL, &t);
  if (r < 0) {
    kprintf("osv: cannot run '%s': %s (%d)\n", kopts.argv[0], errname(r), r);
    machine_exit(r == -ENOENT ? EXIT_NO_APP : EXIT_NOT_EXEC);
  }
  proc_init_stdio(t->proc);
  thread_make_runnable(t);  // the other harts are still parked: no lock needed yet
  sched_start_harts();
  scheduler();  // hart 0 joins the others
}
