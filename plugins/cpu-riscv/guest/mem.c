/*
 * The suite's memory workload ("mem", scripts/bench-cpu): copies between two 128 KiB buffers by bytes, by
 * 64-bit words and unrolled by 4 words, an overlapping move, a fill, and checksum loops over the result
 * (Adler-32 over bytes, Fletcher-64 over 32-bit words, a 64-bit xor-rotate hash). Load/store throughput with
 * the TLB check on every access; every byte written is read back into the result.
 */
#include "suite.h"

#define SIZE (128 * 1024)
static unsigned char src[SIZE] __attribute__((aligned(64)));
static unsigned char dst[SIZE] __attribute__((aligned(64)));

static void copy_bytes(unsigned char *d, const unsigned char *s, unsigned n) {
    for (unsigned i = 0; i < n; i++) d[i] = s[i];
}

static void copy_words(u64 *d, const u64 *s, unsigned n) {
    for (unsigned i = 0; i < n; i++) d[i] = s[i];
}

static void copy_unrolled(u64 *d, const u64 *s, unsigned n) {
    for (unsigned i = 0; i + 4 <= n; i += 4) {
        u64 a = s[i], b = s[i + 1], c = s[i + 2], e = s[i + 3];
        d[i] = a; d[i + 1] = b; d[i + 2] = c; d[i + 3] = e;
    }
}

/* memmove with overlap, backwards by 32-bit words */
static void move_back(u32 *d, const u32 *s, unsigned n) {
    for (unsigned i = n; i > 0; i--) d[i - 1] = s[i - 1];
}

static void fill(u64 *d, u64 v, unsigned n) {
    for (unsigned i = 0; i < n; i++) d[i] = v + i;
}

static u64 adler32(const unsigned char *p, unsigned n) {
    u32 a = 1, b = 0;
    for (unsigned i = 0; i < n; i++) {
        a += p[i];
        if (a >= 65521) a -= 65521;
        b += a;
        if (b >= 65521) b -= 65521;
    }
    return (u64)b << 16 | a;
}

static u64 fletcher64(const u32 *p, unsigned n) {
    u64 a = 0, b = 0;
    for (unsigned i = 0; i < n; i++) { a = (a + p[i]) % 0xffffffffu; b = (b + a) % 0xffffffffu; }
    return b << 32 | a;
}

static u64 xorrot(const u64 *p, unsigned n) {
    u64 h = 0;
    for (unsigned i = 0; i < n; i++) h = ((h << 7) | (h >> 57)) ^ p[i];
    return h;
}

static u64 round_(u64 r) {
    u64 s = 0x1234567 + r;
    for (unsigned i = 0; i < SIZE / 8; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; ((u64 *)src)[i] = s; }
    u64 h = 0;
    copy_bytes(dst, src + (r & 7), SIZE - 8);
    h = suite_mix(h, adler32(dst, SIZE));
    copy_words((u64 *)dst, (const u64 *)src, SIZE / 8);
    h = suite_mix(h, fletcher64((const u32 *)dst, SIZE / 4));
    copy_unrolled((u64 *)src, (const u64 *)dst + 1, SIZE / 8 - 4);
    move_back((u32 *)src + 3, (const u32 *)src, SIZE / 4 - 3);
    h = suite_mix(h, xorrot((const u64 *)src, SIZE / 8));
    fill((u64 *)dst, r, SIZE / 8);
    h = suite_mix(h, xorrot((const u64 *)dst, SIZE / 8));
    return h;
}

int main(long hart, const unsigned char *fdt) {
    (void)hart;
    return suite_run("mem", fdt, 45, 180, round_);
}
