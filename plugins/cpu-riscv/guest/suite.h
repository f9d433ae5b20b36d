/*
 * The benchmark suite's frame (scripts/bench-cpu): every suite program runs its workload in rounds, first
 * `suite.warm=W` rounds (warm-up: the translator and the host JIT settle), then `suite.rounds=N` timed rounds,
 * both read from /chosen/bootargs (-append) of the device tree whose address the boot code leaves in a1.
 * It prints
 *   NAME checksum H                      a hash of every round's result: must be the same on every engine
 *   NAME steady ticks T instructions I   mtime ticks (10 MHz) and minstret over the timed rounds only
 * Only the checksum is compared; on QEMU minstret is not an instruction count, and the ticks are each
 * engine's own steady-state time (the time CSR / CLINT mtime runs at 10 MHz of host time on both).
 */
#ifndef GUEST_SUITE_H
#define GUEST_SUITE_H
#include "lib.h"

#define MTIME (*(volatile u64 *)0x200bff8UL)

static inline u32 fdt_be32(const unsigned char *p) {
    return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/*
 * The decimal value after `key` (e.g. "suite.rounds=") in the device tree blob, or `dflt`. The blob is
 * searched as bytes (the bootargs string is stored inline in the structure block), bounded by its header's
 * totalsize and by 64 KiB, so a missing or odd tree only means the default.
 */
static u64 suite_arg(const unsigned char *fdt, const char *key, u64 dflt) {
    if (fdt == 0 || fdt_be32(fdt) != 0xd00dfeedu) return dflt;
    u32 size = fdt_be32(fdt + 4);
    if (size > 65536) size = 65536;
    int klen = 0;
    while (key[klen]) klen++;
    for (u32 i = 0; i + (u32)klen < size; i++) {
        int k = 0;
        while (k < klen && fdt[i + k] == (unsigned char)key[k]) k++;
        if (k < klen) continue;
        u64 v = 0;
        int digits = 0;
        for (u32 j = i + (u32)klen; j < size && fdt[j] >= '0' && fdt[j] <= '9' && digits < 12; j++, digits++)
            v = v * 10 + (u64)(fdt[j] - '0');
        return digits ? v : dflt;
    }
    return dflt;
}

static inline u64 suite_mix(u64 h, u64 v) { return (h ^ v) * 0x100000001b3UL + (h >> 29); }

/* One round of the workload: deterministic, returns its result (folded into the checksum). */
typedef u64 (*suite_round_fn)(u64 round);

/* Prints the suite's two lines for a run whose timed rounds took `ticks` of mtime and `instructions`. */
static void suite_report(const char *name, u64 h, u64 ticks, u64 instructions) {
    puts_(name); puts_(" checksum "); puthex(h); putc_('\n');
    puts_(name); puts_(" steady ticks "); putdec((i64)ticks);
    puts_(" instructions "); putdec((i64)instructions); putc_('\n');
}

/* Runs warm-up and timed rounds of `round_fn` and prints the suite lines; returns 0 (the exit code). */
static __attribute__((unused)) int suite_run(const char *name, const unsigned char *fdt, u64 warm_default, u64 rounds_default,
                     suite_round_fn round_fn) {
    u64 warm = suite_arg(fdt, "suite.warm=", warm_default);
    u64 rounds = suite_arg(fdt, "suite.rounds=", rounds_default);
    u64 h = 0xcbf29ce484222325UL;
    u64 r = 0;
    for (; r < warm; r++) h = suite_mix(h, round_fn(r));
    u64 t0 = MTIME, i0 = csr_read(minstret);
    for (; r < warm + rounds; r++) h = suite_mix(h, round_fn(r));
    u64 t1 = MTIME, i1 = csr_read(minstret);
    suite_report(name, h, t1 - t0, i1 - i0);
    return 0;
}
#endif
