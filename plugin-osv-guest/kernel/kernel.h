// kernel.h — common definitions for the Drydock OSv-like guest kernel (riscv64, M-mode).
#ifndef KERNEL_H
#define KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t i64;
typedef int32_t i32;

#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((u64)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

// Exit codes reported through the sifive_test finisher (see README).
#define EXIT_BAD_CMDLINE 2
#define EXIT_NO_ROOTFS 3
#define EXIT_PANIC 99
#define EXIT_NOT_EXEC 126
#define EXIT_NO_APP 127

// MMIO helpers: QEMU virt / Drydock devices are little-endian, naturally aligned.
static inline u8 mmio_r8(u64 a) { return *(volatile u8 *)a; }
static inline u16 mmio_r16(u64 a) { return *(volatile u16 *)a; }
static inline u32 mmio_r32(u64 a) { return *(volatile u32 *)a; }
static inline u64 mmio_r64(u64 a) { return *(volatile u64 *)a; }
static inline void mmio_w8(u64 a, u8 v) { *(volatile u8 *)a = v; }
static inline void mmio_w16(u64 a, u16 v) { *(volatile u16 *)a = v; }
static inline void mmio_w32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline void mmio_w64(u64 a, u64 v) { *(volatile u64 *)a = v; }
#define mb() __asm__ volatile("fence iorw, iorw" ::: "memory")
#define wmb() __asm__ volatile("fence w, w" ::: "memory")
#define rmb() __asm__ volatile("fence r, r" ::: "memory")

#define csr_read(csr) ({ u64 __v; __asm__ volatile("csrr %0, " #csr : "=r"(__v)); __v; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"((u64)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"r"((u64)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"r"((u64)(v)))

// mstatus / mie bits (privileged spec 20211203 §3.1.6, §3.1.9)
#define MSTATUS_MIE (1UL << 3)
#define MSTATUS_MPIE (1UL << 7)
#define MSTATUS_MPP (3UL << 11)
#define MSTATUS_FS (3UL << 13)
#define MSTATUS_FS_INITIAL (1UL << 13)
#define MSTATUS_MPRV (1UL << 17)
#define MIE_MTIE (1UL << 7)
#define MIE_MEIE (1UL << 11)

// console.c / uart.c
void uart_init(void);
void uart_putc(char c);
int uart_getc_nowait(void);
void uart_enable_rx_irq(void);
void uart_irq(void);
void console_write(const char *s, size_t n);
long console_read(char *buf, size_t n, bool nonblock);  // canonical line discipline
bool console_line_ready(void);
void console_poll(void);

// printing
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void kputs(const char *s);
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void machine_exit(int code);

// timer.c (CLINT, privileged spec §3.2.1 mtime/mtimecmp)
extern u64 timebase_hz;
u64 timer_now(void);  // mtime ticks
u64 timer_ns(void);   // ns since reset
u64 rtc_boot_ns(void);  // goldfish RTC wall-clock at boot (ns since epoch)

// plic.c
void plic_init(void);
void plic_enable(u32 irq);
void plic_register(u32 irq, void (*handler)(void *), void *arg);
void plic_dispatch(void);  // claim/complete loop
void wait_for_interrupt(void);

// fdt.c
struct boot_info {
  u64 mem_base, mem_size;
  u64 dtb_addr, dtb_size;
  const char *bootargs;
  int harts;
  bool has_pci;  // the tree has a PCI host node (else no ECAM access at all)
  int nmmio;
  u64 mmio_base[8], mmio_size[8];
  u32 mmio_irq[8];  // virtio,mmio nodes: reg and interrupts
  u64 ecam_base, ecam_size;
  u64 mmio32_base, mmio32_size;
  u64 mmio64_base, mmio64_size;
};
extern struct boot_info boot_info;
void fdt_parse(const void *dtb);

// mm.c
void mm_init(u64 start, u64 end, u64 rsv_start, u64 rsv_end);
void *page_alloc(size_t npages);  // zeroed, physically contiguous
void *page_alloc_nozero(size_t npages);
void page_free(void *p, size_t npages);
size_t mm_free_pages(void);
size_t mm_total_pages(void);

// kernel options (main.c)
struct kopts {
  const char *rootfs;
  const char *tag;
  bool nodax, boot_time, poll, verbose, test_panic;
  int argc;
  char *argv[32];
};
extern struct kopts kopts;

// dax.c: an app page mapped with PTE_NOFREE was unmapped (vm.c); unpins a DAX window chunk
void dax_page_released(u64 pa);

// boot-time marks
extern u64 boot_mtime0;
void boot_mark_app_start(void);

#endif
