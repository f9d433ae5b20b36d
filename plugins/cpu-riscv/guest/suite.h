/*
 * The benchmark suite's frame (scripts/bench-cpu): every suite program runs its workload in rounds, first
 * `suite.warm=W` rounds (warm-up: the translator and the host JIT settle), then `suite.rounds=N` timed rounds,
 * both read from /chosen/bootargs (-append) of the device tree whose address the boot code leaves in a1.
 * With `suite.warmms=M` the warm-up goes on after W rounds until M ms of mtime have passed since the first
 * round: a JIT's steady state is reached after a time, not after a round count, so the suite measures its
 * steady state after such a warm-up (the same M on every engine; scripts/bench-cpu).
 * It prints
 *   NAME checksum H                      a hash of every round's result: the same on every engine for the
 *                                        same W and N without warmms (with it, the warm-up's length, and so
 *                                        the rounds' data, depend on the engine's speed)
 *   NAME warm rounds W ticks T           the warm-up rounds done and their mtime ticks
 *   NAME halves ticks A B                the timed rounds' first and second halves (B well under A: still
 *                                        warming up)
 *   NAME steady ticks T instructions I   mtime ticks (10 MHz) and minstret over the timed rounds only
 * Only the checksum is compared; on QEMU minstret is not an instruction count, and the ticks are each
 * engine's own time (the time CSR / CLINT mtime runs at 10 MHz of host time on both).
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

/* Prints the suite's lines (above) for a run whose timed rounds took `ticks` of mtime and `instructions`. */
static void suite_report(const char *name, u64 h, u64 warm, u64 warm_ticks, u64 half1, u64 half2, u64 ticks, u64 instructions) {
    puts_(name); puts_(" checksum "); puthex(h); putc_('\n');
    puts_(name); puts_(" warm rounds "); putdec((i64)warm); puts_(" ticks "); putdec((i64)warm_ticks); putc_('\n');
    puts_(name); puts_(" halves ticks "); putdec((i64)half1); putc_(' '); putdec((i64)half2); putc_('\n');
    puts_(name); puts_(" steady ticks "); putdec((i64)ticks);
    puts_(" instructions "); putdec((i64)instructions); putc_('\n');
}

/* Runs warm-up and timed rounds of `round_fn` and prints the suite lines; returns 0 (the exit code). */
static __attribute__((unused)) int suite_run(const char *name, const unsigned char *fdt, u64 warm_default, u64 rounds_default,
                     suite_round_fn round_fn) {
    u64 warm = suite_arg(fdt, "suite.warm=", warm_default);
    u64 rounds = suite_arg(fdt, "suite.rounds=", rounds_default);
    u64 warm_ticks = suite_arg(fdt, "suite.warmms=", 0) * 10000; /* mtime runs at 10 MHz */
    u64 h = 0xcbf29ce484222325UL;
    u64 r = 0, start = MTIME;
    for (; r < warm || MTIME - start < warm_ticks; r++) h = suite_mix(h, round_fn(r));
    warm = r;
    u64 t0 = MTIME, i0 = csr_read(minstret);
    for (; r < warm + rounds / 2; r++) h = suite_mix(h, round_fn(r));
    u64 th = MTIME;
    for (; r < warm + rounds; r++) h = suite_mix(h, round_fn(r));
    u64 t1 = MTIME, i1 = csr_read(minstret);
    suite_report(name, h, warm, t0 - start, th - t0, t1 - th, t1 - t0, i1 - i0);
    return 0;
}
#endif
