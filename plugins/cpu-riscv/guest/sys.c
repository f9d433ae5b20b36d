/*
 * The suite's system-heavy workload ("sys", scripts/bench-cpu): a tiny S-mode kernel under an M-mode
 * monitor, running two U-mode tasks in two Sv39 address spaces (ASIDs 1 and 2) that map the same user
 * addresses to different frames. Per round each task touches PAGES fresh pages (every first touch is a store
 * page fault served by the S-mode handler, which zeroes a frame, installs the PTE and fences that page),
 * yields to the other task every 8 pages (an ecall; the kernel switches satp to the other ASID without a
 * flush), makes an information syscall, and unmaps all its pages (sfence.vma by ASID) twice per round. The
 * M-mode monitor serves the S-mode timer (the SBI way: MTIP → STIP, an ecall to re-arm, 1 ms period) and
 * the time stamps. Traffic: U↔S traps, S↔M ecalls, timer interrupts, CSR reads and writes (scause, stval,
 * sepc, sscratch, satp, mip, mtimecmp), sfence.vma. The checksum covers what the tasks read back: a TLB entry
 * leaking across ASIDs or a lost fence changes it. Timer interrupts count host time, so their number is
 * not in the checksum.
 */
#include "suite.h"

#define PAGES 24
#define UVA 0xc0000000UL     /* the demand-paged user region (root index 3) */
#define UALIAS 0x40000000UL  /* DRAM seen from U-mode (root index 1, a U gigapage) */
#define KBASE 0x80000000UL   /* DRAM, identity-mapped for the kernel (root index 2) */
#define TICK 10000UL         /* timer period: 1 ms of mtime */
#define PTE_V 1UL
#define PTE_R 2UL
#define PTE_W 4UL
#define PTE_X 8UL
#define PTE_U 16UL
#define PTE_G 32UL
#define PTE_A 64UL
#define PTE_D 128UL
#define CLINT_MTIMECMP (*(volatile u64 *)0x2004000UL)

enum { SYS_YIELD = 1, SYS_INFO, SYS_UNMAP, SYS_DONE };          /* U → S */
enum { SBI_SET_TIMER = 0x10, SBI_STAMP, SBI_EXIT };              /* S → M */

struct space { u64 root[512], l1[512], l0[512]; };
static struct space spaces[2] __attribute__((aligned(4096)));
static unsigned char frames[2][PAGES][4096] __attribute__((aligned(4096)));
static u64 ustack[2][512] __attribute__((aligned(16)));
static u64 kstack[1024] __attribute__((aligned(16)));
static u64 mstack[512] __attribute__((aligned(16)));

/* A task's saved registers: x[1..31], sepc, and the kernel stack to run its traps on. */
struct frame { u64 x[32]; u64 sepc; u64 ksp; };
static struct frame tf[2];
static int cur;
static u64 round_no, warm, rounds, checksum, done_mask, results[2], t_start, i_start, ticks, faults;
static u64 warm_ticks, t_first, t_half, timing; /* suite.warmms (suite.h): warm-up by time as well */

/* ---- M-mode monitor ---- */

void m_trap(void);
__asm__(
    ".align 4\n"
    "m_trap:\n"
    "  csrrw sp, mscratch, sp\n"
    "  addi sp, sp, -128\n"          /* every caller-saved register: the handler is C */
    "  sd ra, 0(sp)\n sd t0, 8(sp)\n sd t1, 16(sp)\n sd a0, 24(sp)\n sd a1, 32(sp)\n sd a7, 40(sp)\n"
    "  sd t2, 48(sp)\n sd a2, 56(sp)\n sd a3, 64(sp)\n sd a4, 72(sp)\n sd a5, 80(sp)\n sd a6, 88(sp)\n"
    "  sd t3, 96(sp)\n sd t4, 104(sp)\n sd t5, 112(sp)\n sd t6, 120(sp)\n"
    "  mv a0, sp\n"
    "  call m_handler\n"
    "  ld ra, 0(sp)\n ld t0, 8(sp)\n ld t1, 16(sp)\n ld a0, 24(sp)\n ld a1, 32(sp)\n ld a7, 40(sp)\n"
    "  ld t2, 48(sp)\n ld a2, 56(sp)\n ld a3, 64(sp)\n ld a4, 72(sp)\n ld a5, 80(sp)\n ld a6, 88(sp)\n"
    "  ld t3, 96(sp)\n ld t4, 104(sp)\n ld t5, 112(sp)\n ld t6, 120(sp)\n"
    "  addi sp, sp, 128\n"
    "  csrrw sp, mscratch, sp\n"
    "  mret\n");

/* saved: ra t0 t1 a0 a1 a7 t2 a2 a3 a4 a5 a6 t3 t4 t5 t6; a0 and a1 are the results of an SBI call */
void m_handler(u64 *saved) {
    u64 cause = csr_read(mcause);
    if (cause == (1UL << 63 | 7)) {                  /* machine timer: hand it to S as STIP (priv §3.1.9) */
        CLINT_MTIMECMP = ~0UL;
        __asm__ volatile("csrs mip, %0" :: "r"(1UL << 5));
        return;
    }
    if (cause != 9) { puts_("sys: unexpected M trap "); puthex(cause); putc_('\n'); exit_code(3); }
    switch (saved[5]) {                              /* a7 */
        case SBI_SET_TIMER:
            CLINT_MTIMECMP = saved[3];
            __asm__ volatile("csrc mip, %0" :: "r"(1UL << 5));
            break;
        case SBI_STAMP:
            saved[3] = MTIME;
            saved[4] = csr_read(minstret);
            break;
        case SBI_EXIT:
            exit_code((int)saved[3]);
        default:
            puts_("sys: unknown SBI call\n"); exit_code(4);
    }
    csr_write(mepc, csr_read(mepc) + 4);
}

/* ---- S-mode kernel ---- */

static u64 sbi(u64 which, u64 arg, u64 *second) {
    register u64 a0 __asm__("a0") = arg;
    register u64 a1 __asm__("a1") = 0;
    register u64 a7 __asm__("a7") = which;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a7) : "memory");
    if (second) *second = a1;
    return a0;
}

static u64 satp_of(int t) { return 8UL << 60 | (u64)(t + 1) << 44 | (u64)spaces[t].root >> 12; }

void s_trap(void);
void s_return(struct frame *f) __attribute__((noreturn));
__asm__(
    ".align 4\n"
    "s_trap:\n"
    "  csrrw sp, sscratch, sp\n"            /* sp = the task's frame, sscratch = its sp */
    "  sd x1, 8(sp)\n sd x3, 24(sp)\n sd x4, 32(sp)\n sd x5, 40(sp)\n sd x6, 48(sp)\n sd x7, 56(sp)\n"
    "  sd x8, 64(sp)\n sd x9, 72(sp)\n sd x10, 80(sp)\n sd x11, 88(sp)\n sd x12, 96(sp)\n sd x13, 104(sp)\n"
    "  sd x14, 112(sp)\n sd x15, 120(sp)\n sd x16, 128(sp)\n sd x17, 136(sp)\n sd x18, 144(sp)\n"
    "  sd x19, 152(sp)\n sd x20, 160(sp)\n sd x21, 168(sp)\n sd x22, 176(sp)\n sd x23, 184(sp)\n"
    "  sd x24, 192(sp)\n sd x25, 200(sp)\n sd x26, 208(sp)\n sd x27, 216(sp)\n sd x28, 224(sp)\n"
    "  sd x29, 232(sp)\n sd x30, 240(sp)\n sd x31, 248(sp)\n"
    "  csrr t0, sscratch\n sd t0, 16(sp)\n"
    "  csrr t0, sepc\n sd t0, 256(sp)\n"
    "  mv a0, sp\n"
    "  ld sp, 264(sp)\n"
    "  call s_handler\n"                    /* returns the frame to resume */
    "s_return:\n"
    "  csrw sscratch, a0\n"
    "  ld t0, 256(a0)\n csrw sepc, t0\n"
    "  ld x1, 8(a0)\n ld x2, 16(a0)\n ld x3, 24(a0)\n ld x4, 32(a0)\n ld x5, 40(a0)\n ld x6, 48(a0)\n"
    "  ld x7, 56(a0)\n ld x8, 64(a0)\n ld x9, 72(a0)\n ld x11, 88(a0)\n ld x12, 96(a0)\n ld x13, 104(a0)\n"
    "  ld x14, 112(a0)\n ld x15, 120(a0)\n ld x16, 128(a0)\n ld x17, 136(a0)\n ld x18, 144(a0)\n"
    "  ld x19, 152(a0)\n ld x20, 160(a0)\n ld x21, 168(a0)\n ld x22, 176(a0)\n ld x23, 184(a0)\n"
    "  ld x24, 192(a0)\n ld x25, 200(a0)\n ld x26, 208(a0)\n ld x27, 216(a0)\n ld x28, 224(a0)\n"
    "  ld x29, 232(a0)\n ld x30, 240(a0)\n ld x31, 248(a0)\n"
    "  ld a0, 80(a0)\n"
    "  sret\n");

u64 user_task(u64 t, u64 round);

static void start_round(void) {
    for (int t = 0; t < 2; t++) {
        for (int i = 0; i < 32; i++) tf[t].x[i] = 0;
        tf[t].x[2] = (u64)&ustack[t][512] - KBASE + UALIAS;
        tf[t].x[10] = (u64)t;
        tf[t].x[11] = round_no;
        tf[t].sepc = (u64)user_task - KBASE + UALIAS;
        tf[t].ksp = (u64)&kstack[1024];
    }
    done_mask = 0;
    cur = 0;
    csr_write(satp, satp_of(0));
}

static void fail(const char *why, u64 v) {
    puts_("sys: "); puts_(why); putc_(' '); puthex(v); putc_('\n');
    sbi(SBI_EXIT, 5, 0);
}

/* Switches to task t (its address space by ASID: no flush) and returns its frame. */
static struct frame *switch_to(int t) {
    if (t != cur) { cur = t; csr_write(satp, satp_of(t)); }
    return &tf[t];
}

static struct frame *syscall(struct frame *f) {
    f->sepc += 4;
    struct space *s = &spaces[cur];
    switch (f->x[17]) {
        case SYS_YIELD:
            return done_mask & (1u << (cur ^ 1)) ? f : switch_to(cur ^ 1);
        case SYS_INFO: {
            u64 mapped = 0;
            for (int i = 0; i < PAGES; i++) mapped += s->l0[i] & PTE_V;
            f->x[10] = mapped << 8 | (u64)cur;
            return f;
        }
        case SYS_UNMAP: {
            for (int i = 0; i < PAGES; i++) s->l0[i] = 0;
            u64 asid = (u64)cur + 1;
            __asm__ volatile("sfence.vma zero, %0" :: "r"(asid) : "memory");
            return f;
        }
        case SYS_DONE:
            results[cur] = f->x[10];
            done_mask |= 1u << cur;
            if (done_mask != 3) return switch_to(cur ^ 1);
            checksum = suite_mix(suite_mix(checksum, results[0]), results[1]);
            round_no++;
            if (!timing && round_no >= warm && csr_read(time) - t_first >= warm_ticks) {
                warm = round_no;
                timing = 1;
                t_start = sbi(SBI_STAMP, 0, &i_start);
            }
            if (timing && round_no == warm + rounds / 2) t_half = rounds / 2 ? sbi(SBI_STAMP, 0, 0) : t_start;
            if (timing && round_no == warm + rounds) {
                u64 i_end, t_end = sbi(SBI_STAMP, 0, &i_end);
                suite_report("sys", checksum, warm, t_start - t_first, t_half - t_start, t_end - t_half, t_end - t_start, i_end - i_start);
                sbi(SBI_EXIT, 0, 0);
            }
            start_round();
            return &tf[0];
        default:
            fail("unknown syscall", f->x[17]);
            return f;
    }
}

struct frame *s_handler(struct frame *f) {
    u64 cause = csr_read(scause);
    if (cause == (1UL << 63 | 5)) {                  /* supervisor timer: count it, re-arm through the monitor */
        ticks++;
        sbi(SBI_SET_TIMER, csr_read(time) + TICK, 0);
        return f;
    }
    if (cause == 8) return syscall(f);
    if (cause == 13 || cause == 15) {                /* load/store page fault: map a zeroed frame (demand paging) */
        u64 va = csr_read(stval);
        u64 page = (va - UVA) >> 12;
        if (va < UVA || page >= PAGES || (spaces[cur].l0[page] & PTE_V)) fail("bad page fault at", va);
        u64 *frame = (u64 *)frames[cur][page];
        for (int i = 0; i < 512; i++) frame[i] = 0;
        spaces[cur].l0[page] = ((u64)frame >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D;
        u64 asid = (u64)cur + 1;
        __asm__ volatile("sfence.vma %0, %1" :: "r"(va), "r"(asid) : "memory");
        faults++;
        return f;
    }
    fail("unexpected S trap", cause);
    return f;
}

static void kmain(void) {
    for (int t = 0; t < 2; t++) {
        struct space *s = &spaces[t];
        s->root[0] = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G;                         /* devices */
        s->root[1] = (KBASE >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D; /* U alias */
        s->root[2] = (KBASE >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G; /* kernel */
        s->root[3] = ((u64)s->l1 >> 12) << 10 | PTE_V;
        s->l1[0] = ((u64)s->l0 >> 12) << 10 | PTE_V;
    }
    csr_write(stvec, (u64)s_trap);
    csr_write(scounteren, 2);                                   /* U may read time */
    csr_write(sie, 1UL << 5);                                   /* STIE */
    u64 st = csr_read(sstatus);
    st &= ~(1UL << 8);                                          /* SPP = U */
    st |= 1UL << 5;                                             /* SPIE: interrupts on in U */
    st &= ~(1UL << 1);                                          /* SIE off in the kernel */
    csr_write(sstatus, st);
    __asm__ volatile("sfence.vma" ::: "memory");
    sbi(SBI_SET_TIMER, csr_read(time) + TICK, 0);
    t_first = csr_read(time);
    if (warm == 0 && warm_ticks == 0) {
        timing = 1;
        t_start = sbi(SBI_STAMP, 0, &i_start);
        if (rounds / 2 == 0) t_half = t_start;
    }
    start_round();
    s_return(&tf[0]);
}

/* ---- U-mode tasks: run at the U alias of this image, so only pc-relative code (no tables, no pointers) ---- */

static inline u64 usys(u64 n, u64 arg) {
    register u64 a0 __asm__("a0") = arg;
    register u64 a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

u64 user_task(u64 t, u64 round) {
    u64 h = t * 7 + round;
    volatile u64 *region = (volatile u64 *)UVA;
    for (int pass = 0; pass < 2; pass++) {
        for (u64 p = 0; p < PAGES; p++) {
            region[p * 512 + (round + p) % 512] = h + p + t * 1000;       /* first touch: a page fault */
            h = suite_mix(h, region[p * 512 + (round + p * 3) % 512]);
            h = suite_mix(h, region[p * 512 + (round + p) % 512]);
            if ((p & 7) == 7) usys(SYS_YIELD, 0);
        }
        h = suite_mix(h, usys(SYS_INFO, 0));
        usys(SYS_UNMAP, 0);
        h = suite_mix(h, region == 0);
    }
    usys(SYS_DONE, h);
    for (;;) { }
}

int main(long hart, const unsigned char *fdt) {
    (void)hart;
    warm = suite_arg(fdt, "suite.warm=", 40);
    rounds = suite_arg(fdt, "suite.rounds=", 150);
    warm_ticks = suite_arg(fdt, "suite.warmms=", 0) * 10000;  /* mtime runs at 10 MHz */
    checksum = 0xcbf29ce484222325UL;
    /* PMP: one NAPOT entry over everything, so S and U may access memory (QEMU enforces PMP) */
    csr_write(pmpaddr0, ~0UL >> 10);
    csr_write(pmpcfg0, 0x1f);
    csr_write(mtvec, (u64)m_trap);
    csr_write(mscratch, (u64)&mstack[512]);
    csr_write(medeleg, 1UL << 8 | 1UL << 12 | 1UL << 13 | 1UL << 15);  /* U ecall, page faults → S */
    csr_write(mideleg, 1UL << 5);                                     /* S timer → S */
    csr_write(mcounteren, 2);                                         /* S and U may read time */
    CLINT_MTIMECMP = ~0UL;
    csr_write(mie, 1UL << 7);                                         /* MTIE */
    u64 s = csr_read(mstatus);
    s = (s & ~(3UL << 11)) | (1UL << 11);                             /* MPP = S */
    csr_write(mstatus, s);
    csr_write(mepc, (u64)kmain);
    __asm__ volatile("mret");
    return 1;
}
