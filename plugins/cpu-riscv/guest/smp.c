/*
 * SMP check (run with 4 harts): every hart increments a shared counter with amoadd and, under an LR/SC
 * spinlock, a plain counter; hart 0 wakes the others with CLINT software interrupts (IPIs) and waits for
 * them. Prints the totals, which must be exact.
 */
#include "lib.h"
#define HARTS 4
#define ITER 20000
#define CLINT_MSIP ((volatile u32 *)0x2000000UL)

static volatile i64 atomic_count, locked_count, lock, done;
static volatile i64 started[HARTS];

static void acquire(void) {
    i64 tmp, one = 1;
    __asm__ volatile("1: lr.d %0, (%1)\n bnez %0, 1b\n sc.d %0, %2, (%1)\n bnez %0, 1b\n fence rw, rw"
                     : "=&r"(tmp) : "r"(&lock), "r"(one) : "memory");
}
static void release(void) { __asm__ volatile("fence rw, rw\n sd zero, 0(%0)" :: "r"(&lock) : "memory"); }

static void work(u64 id) {
    for (int i = 0; i < ITER; i++) {
        __asm__ volatile("amoadd.d zero, %1, (%0)" :: "r"(&atomic_count), "r"(1L) : "memory");
        acquire();
        locked_count = locked_count + 1;
        release();
    }
    __asm__ volatile("amoadd.d zero, %1, (%0)" :: "r"(&done), "r"(1L) : "memory");
    (void)id;
}

/* harts 1..3 enter here from crt.S's park loop? No: they come through secondary() below. */
void secondary(u64 id) __attribute__((noreturn));
void secondary(u64 id) {
    csr_write(mie, 1UL << 3);           /* MSIE: wait for hart 0's IPI */
    started[id] = 1;
    while ((csr_read(mip) & (1UL << 3)) == 0) __asm__ volatile("wfi");
    CLINT_MSIP[id] = 0;
    work(id);
    for (;;) __asm__ volatile("wfi");
}

int main(void) {
    for (int h = 1; h < HARTS; h++) while (!started[h]) { }
    for (int h = 1; h < HARTS; h++) CLINT_MSIP[h] = 1;  /* IPIs */
    work(0);
    while (done != HARTS) { }
    puts_("smp atomic "); putdec(atomic_count); puts_(" locked "); putdec(locked_count); putc_('\n');
    return atomic_count == HARTS * ITER && locked_count == HARTS * ITER ? 0 : 3;
}
