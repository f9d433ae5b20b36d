/* Integer ISA self-checks whose printed results are also compared with QEMU's. */
#include "lib.h"

static volatile i64 vals[] = { 0, 1, -1, 2, -2, 7, -7, 0x7fffffffffffffffL, (i64)0x8000000000000000UL,
                               0x7fffffffL, -0x80000000L, 0xffffffffL, 12345678901L, -98765 };
#define N (sizeof vals / sizeof vals[0])
static u64 h = 1469598103934665603UL;
static void mix(u64 v) { h = (h ^ v) * 1099511628211UL; }

int main(void) {
    int fails = 0;
    for (unsigned i = 0; i < N; i++) {
        for (unsigned j = 0; j < N; j++) {
            i64 a = vals[i], b = vals[j];
            i64 r[16];
            __asm__ volatile("div %0,%1,%2" : "=r"(r[0]) : "r"(a), "r"(b));
            __asm__ volatile("divu %0,%1,%2" : "=r"(r[1]) : "r"(a), "r"(b));
            __asm__ volatile("rem %0,%1,%2" : "=r"(r[2]) : "r"(a), "r"(b));
            __asm__ volatile("remu %0,%1,%2" : "=r"(r[3]) : "r"(a), "r"(b));
            __asm__ volatile("divw %0,%1,%2" : "=r"(r[4]) : "r"(a), "r"(b));
            __asm__ volatile("divuw %0,%1,%2" : "=r"(r[5]) : "r"(a), "r"(b));
            __asm__ volatile("remw %0,%1,%2" : "=r"(r[6]) : "r"(a), "r"(b));
            __asm__ volatile("remuw %0,%1,%2" : "=r"(r[7]) : "r"(a), "r"(b));
            __asm__ volatile("mulh %0,%1,%2" : "=r"(r[8]) : "r"(a), "r"(b));
            __asm__ volatile("mulhu %0,%1,%2" : "=r"(r[9]) : "r"(a), "r"(b));
            __asm__ volatile("mulhsu %0,%1,%2" : "=r"(r[10]) : "r"(a), "r"(b));
            __asm__ volatile("mulw %0,%1,%2" : "=r"(r[11]) : "r"(a), "r"(b));
            __asm__ volatile("sllw %0,%1,%2" : "=r"(r[12]) : "r"(a), "r"(b));
            __asm__ volatile("sraw %0,%1,%2" : "=r"(r[13]) : "r"(a), "r"(b));
            __asm__ volatile("srlw %0,%1,%2" : "=r"(r[14]) : "r"(a), "r"(b));
            __asm__ volatile("sra %0,%1,%2" : "=r"(r[15]) : "r"(a), "r"(b));
            for (int k = 0; k < 16; k++) mix((u64)r[k]);
        }
    }
    /* spec table 7.1 spot checks */
    i64 q, m;
    i64 mn = (i64)0x8000000000000000UL, m1 = -1, z = 0, sev = 7;
    __asm__ volatile("div %0,%1,%2" : "=r"(q) : "r"(mn), "r"(m1)); if (q != mn) fails++;
    __asm__ volatile("rem %0,%1,%2" : "=r"(m) : "r"(mn), "r"(m1)); if (m != 0) fails++;
    __asm__ volatile("div %0,%1,%2" : "=r"(q) : "r"(sev), "r"(z)); if (q != -1) fails++;
    __asm__ volatile("remu %0,%1,%2" : "=r"(m) : "r"(sev), "r"(z)); if (m != 7) fails++;
    /* misaligned loads and stores (emulated) */
    static volatile unsigned char buf[32];
    for (int i = 0; i < 32; i++) buf[i] = (unsigned char)(i * 17);
    u64 v = *(volatile u64 *)(buf + 3);
    mix(v);
    *(volatile u32 *)(buf + 5) = 0xdeadbeef;
    mix(*(volatile u64 *)(buf + 1));
    /* AMOs */
    static volatile i64 cell = 5;
    i64 old;
    __asm__ volatile("amoadd.d %0,%2,(%1)" : "=r"(old) : "r"(&cell), "r"(10L) : "memory"); mix(old);
    __asm__ volatile("amomaxu.d %0,%2,(%1)" : "=r"(old) : "r"(&cell), "r"(-1L) : "memory"); mix(old);
    __asm__ volatile("amomin.d %0,%2,(%1)" : "=r"(old) : "r"(&cell), "r"(-3L) : "memory"); mix(old);
    __asm__ volatile("amoswap.w %0,%2,(%1)" : "=r"(old) : "r"(&cell), "r"(0x80000000L) : "memory"); mix(old);
    mix(cell);
    /* LR/SC: success, then failure without a reservation */
    i64 rc1, rc2, val;
    __asm__ volatile("lr.d %0,(%1)" : "=r"(val) : "r"(&cell) : "memory");
    __asm__ volatile("sc.d %0,%2,(%1)" : "=r"(rc1) : "r"(&cell), "r"(val + 1) : "memory");
    __asm__ volatile("sc.d %0,%2,(%1)" : "=r"(rc2) : "r"(&cell), "r"(val + 2) : "memory");
    if (rc1 != 0 || rc2 == 0 || cell != val + 1) fails++;
    puts_("cmath hash "); puthex(h); puts_(" fails "); putdec(fails); putc_('\n');
    return fails;
}
