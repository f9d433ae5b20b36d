/*
 * The suite's integer workload ("int", scripts/bench-cpu): a deterministic mix of integer arithmetic (matrix
 * multiply), load/store and branches (sieve, quicksort), bit manipulation (CRC32) and a little
 * double-precision FP (n-body-like kernel). One round is about 8.2 million instructions; by default 15
 * warm-up and 60 timed rounds (see suite.h for the output and the parameters).
 */
#include "suite.h"

#define N 64
static i64 A[N][N], B[N][N], C[N][N];
static unsigned char sieve[65536];
static u32 crcbuf[16384];
static i64 arr[2048];
static double px[64], py[64], vx[64], vy[64];

static u64 seed = 88172645463325252UL;
static u64 rnd(void) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed; }

static u64 matmul(void) {
    for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { A[i][j] = (i64)(rnd() & 0xffff); B[i][j] = (i64)(rnd() & 0xffff); }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            i64 s = 0;
            for (int k = 0; k < N; k++) s += A[i][k] * B[k][j];
            C[i][j] = s;
        }
    u64 h = 0;
    for (int i = 0; i < N; i++) h += (u64)C[i][i] * (u64)(i + 1);
    return h;
}

static u64 primes(void) {
    unsigned n = sizeof sieve;
    for (unsigned i = 0; i < n; i++) sieve[i] = 1;
    sieve[0] = sieve[1] = 0;
    for (unsigned i = 2; i * i < n; i++)
        if (sieve[i]) for (unsigned j = i * i; j < n; j += i) sieve[j] = 0;
    u64 c = 0;
    for (unsigned i = 0; i < n; i++) c += sieve[i];
    return c;
}

static u32 crc32(void) {
    for (unsigned i = 0; i < 16384; i++) crcbuf[i] = (u32)rnd();
    const unsigned char *p = (const unsigned char *)crcbuf;
    u32 c = 0xffffffffu;
    for (unsigned i = 0; i < sizeof crcbuf; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

static void qsort_(i64 *a, int lo, int hi) {
    while (lo < hi) {
        i64 p = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { i64 t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { qsort_(a, lo, j); lo = i; } else { qsort_(a, i, hi); hi = j; }
    }
}

static u64 sort(void) {
    for (int i = 0; i < 2048; i++) arr[i] = (i64)(rnd() % 100000);
    qsort_(arr, 0, 2047);
    u64 h = 0;
    for (int i = 0; i < 2048; i++) h = h * 31 + (u64)arr[i];
    return h;
}

static double nbody(void) {
    for (int i = 0; i < 64; i++) { px[i] = (double)(rnd() % 1000) / 10.0; py[i] = (double)(rnd() % 1000) / 10.0; vx[i] = vy[i] = 0; }
    for (int step = 0; step < 4; step++) {
        for (int i = 0; i < 64; i++) {
            double ax = 0, ay = 0;
            for (int j = 0; j < 64; j++) {
                double dx = px[j] - px[i], dy = py[j] - py[i];
                double d2 = dx * dx + dy * dy + 0.01;
                double inv = 1.0 / (d2 * __builtin_sqrt(d2));
                ax += dx * inv; ay += dy * inv;
            }
            vx[i] += ax * 0.001; vy[i] += ay * 0.001;
        }
        for (int i = 0; i < 64; i++) { px[i] += vx[i]; py[i] += vy[i]; }
    }
    double e = 0;
    for (int i = 0; i < 64; i++) e += vx[i] * vx[i] + vy[i] * vy[i];
    return e;
}

static u64 round_(u64 r) {
    (void)r;
    u64 h = matmul();
    h = h * 1000003 + primes();
    h = h * 1000003 + crc32();
    h = h * 1000003 + sort();
    double e = nbody();
    u64 eb; __builtin_memcpy(&eb, &e, 8);
    return h * 1000003 + eb;
}

int main(long hart, const unsigned char *fdt) {
    (void)hart;
    return suite_run("int", fdt, 15, 60, round_);
}
