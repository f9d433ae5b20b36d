/*
 * Privileged-architecture checks, printed so that Drydock's output can be compared with QEMU's: synchronous
 * exceptions with their mcause/mtval, U- and S-mode entry through mret, Sv39 translation with page faults,
 * and machine timer and software interrupts.
 */
#include "lib.h"

static volatile u64 last_cause, last_tval, last_epc, count;
static u64 pt_root[512] __attribute__((aligned(4096)));
static u64 pt_l1[512] __attribute__((aligned(4096)));
static u64 pt_l0[512] __attribute__((aligned(4096)));
static volatile u64 ro_page[512] __attribute__((aligned(4096)));

void trap_entry(void);
__asm__(
    ".align 4\n"
    "trap_entry:\n"
    "  addi sp, sp, -128\n"
    "  sd ra, 0(sp)\n sd t0, 8(sp)\n sd t1, 16(sp)\n sd t2, 24(sp)\n sd a0, 32(sp)\n sd a1, 40(sp)\n"
    "  sd a2, 48(sp)\n sd a3, 56(sp)\n sd a4, 64(sp)\n sd a5, 72(sp)\n sd a6, 80(sp)\n sd a7, 88(sp)\n"
    "  sd t3, 96(sp)\n sd t4, 104(sp)\n sd t5, 112(sp)\n sd t6, 120(sp)\n"
    "  call handler\n"
    "  ld ra, 0(sp)\n ld t0, 8(sp)\n ld t1, 16(sp)\n ld t2, 24(sp)\n ld a0, 32(sp)\n ld a1, 40(sp)\n"
    "  ld a2, 48(sp)\n ld a3, 56(sp)\n ld a4, 64(sp)\n ld a5, 72(sp)\n ld a6, 80(sp)\n ld a7, 88(sp)\n"
    "  ld t3, 96(sp)\n ld t4, 104(sp)\n ld t5, 112(sp)\n ld t6, 120(sp)\n"
    "  addi sp, sp, 128\n"
    "  mret\n");

#define CLINT_MSIP ((volatile u32 *)0x2000000UL)
#define CLINT_MTIMECMP ((volatile u64 *)0x2004000UL)
#define CLINT_MTIME ((volatile u64 *)0x200bff8UL)

void handler(void) {
    u64 cause = csr_read(mcause), epc = csr_read(mepc);
    last_cause = cause;
    last_tval = csr_read(mtval);
    last_epc = epc;
    count++;
    if ((i64)cause < 0) {
        if ((cause & 0xff) == 7) *CLINT_MTIMECMP = ~0UL;
        if ((cause & 0xff) == 3) *CLINT_MSIP = 0;
        return;
    }
    if (cause == 8 || cause == 9) {
        /* ecall from U/S: come back in M-mode */
        u64 s = csr_read(mstatus);
        s |= 3UL << 11;
        csr_write(mstatus, s);
    }
    unsigned short insn = *(volatile unsigned short *)epc;
    csr_write(mepc, epc + ((insn & 3) == 3 ? 4 : 2));
}

static void show(const char *what) {
    puts_(what); puts_(": cause "); puthex(last_cause); puts_(" tval "); puthex(last_tval); putc_('\n');
    last_cause = last_tval = 0;
}

/* Enter mode `mpp` at the label after the mret (same address space). */
static void enter(u64 mpp) {
    u64 s = csr_read(mstatus);
    s = (s & ~(3UL << 11)) | (mpp << 11);
    csr_write(mstatus, s);
    __asm__ volatile("la t0, 1f\n csrw mepc, t0\n mret\n 1:" ::: "t0", "memory");
}

int main(void) {
    csr_write(mtvec, (u64)trap_entry);
    /* PMP: one NAPOT entry over everything, so S and U may access memory (QEMU enforces PMP) */
    csr_write(pmpaddr0, ~0UL >> 10);
    csr_write(pmpcfg0, 0x1f);

    __asm__ volatile("ecall"); show("ecall M");
    __asm__ volatile("ebreak"); show("ebreak");
    __asm__ volatile(".option push\n.option norvc\ncsrr a0, 0x7c0\n.option pop" ::: "a0"); show("illegal csr");
    __asm__ volatile(".option push\n.option norvc\n.word 0xffffffff\n.option pop"); show("illegal word");
    __asm__ volatile("ld a0, 0(zero)" ::: "a0"); show("load fault");
    __asm__ volatile("li a0, 0x1000000\n sd a0, 0(a0)" ::: "a0"); show("store fault");
    /* (a misaligned AMO raises cause 6 on Drydock, as the spec says; QEMU 7.2 reports 4: tested in JUnit instead) */
    { volatile u64 v[2]; __asm__ volatile("lr.d a0, (%0)" :: "r"((char *)v + 2) : "a0", "memory"); } show("lr misaligned");

    enter(0); __asm__ volatile("ecall"); show("ecall U");
    enter(0); __asm__ volatile("csrr a0, mstatus" ::: "a0"); show("U reads mstatus");
    __asm__ volatile("ecall"); show("back to M");
    enter(1); __asm__ volatile("ecall"); show("ecall S");
    enter(1); __asm__ volatile("mret"); show("S mret");

    /* Sv39: gigapage 0 (devices) and a 2 MiB-granular map of the first 1 GiB of DRAM; one read-only 4 KiB page */
    pt_root[0] = (0UL << 10) | 0xcf;                         /* V R W X A D, supervisor */
    pt_root[2] = (((u64)pt_l1 >> 12) << 10) | 1;              /* next level */
    for (int i = 0; i < 512; i++) pt_l1[i] = (((0x80000000UL + ((u64)i << 21)) >> 12) << 10) | 0xcf;
    u64 ro = (u64)ro_page;
    unsigned l1 = (unsigned)((ro - 0x80000000UL) >> 21);
    u64 base2m = 0x80000000UL + ((u64)l1 << 21);
    for (int i = 0; i < 512; i++) pt_l0[i] = (((base2m + ((u64)i << 12)) >> 12) << 10) | 0xcf;
    pt_l0[(ro >> 12) & 511] = ((ro >> 12) << 10) | 0x43;      /* V R A: read-only */
    pt_l1[l1] = (((u64)pt_l0 >> 12) << 10) | 1;
    csr_write(satp, (8UL << 60) | ((u64)pt_root >> 12));
    __asm__ volatile("sfence.vma");
    enter(1);
    ro_page[1] = ro_page[0] + 1; show("S store to read-only page");
    __asm__ volatile("li a0, 0xc0000000\n ld a0, 0(a0)" ::: "a0"); show("S load unmapped");
    __asm__ volatile("li a0, 1\n slli a0, a0, 40\n ld a0, 0(a0)" ::: "a0"); show("S load non-canonical");
    puts_("S-mode translated read "); puthex(ro_page[0] + 5); putc_('\n');
    __asm__ volatile("ecall"); show("ecall S (paged)");
    csr_write(satp, 0);
    puts_("dirty bit "); puthex((pt_l0[(ro >> 12) & 511] >> 7) & 1); puts_(" accessed "); puthex((pt_l0[(ro >> 12) & 511] >> 6) & 1); putc_('\n');

    /* interrupts */
    count = 0;
    *CLINT_MTIMECMP = *CLINT_MTIME + 1000;
    csr_write(mie, 1UL << 7);
    __asm__ volatile("csrsi mstatus, 8");
    while (count == 0) __asm__ volatile("wfi");
    __asm__ volatile("csrci mstatus, 8");
    show("timer interrupt");
    count = 0;
    csr_write(mie, 1UL << 3);
    *CLINT_MSIP = 1;
    __asm__ volatile("csrsi mstatus, 8");
    while (count == 0) __asm__ volatile("wfi");
    __asm__ volatile("csrci mstatus, 8");
    show("software interrupt");
    puts_("misa "); puthex(csr_read(misa) & ~(1UL << 7)); putc_('\n');
    puts_("traps done\n");
    return 0;
}
