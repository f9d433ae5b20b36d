/*
 * The suite's floating-point workload ("fp", scripts/bench-cpu): F and D together — a single-precision
 * matrix-vector product with fused multiply-adds, a double-precision n-body step with sqrt and division, a
 * Horner polynomial, conversions between int, float and double, min/max/sign injection and compares. The
 * result hashes the bits of every value, so each rounding must equal QEMU's (softfloat).
 */
#include "suite.h"

#define MV 48
static float fm[MV][MV], fv[MV], fr[MV];
#define NB 32
static double px[NB], py[NB], pz[NB], vx[NB], vy[NB], vz[NB];

/* fmax.s / fmin.d (IEEE 754-2008 maxNum/minNum): gcc calls libm for these without -ffinite-math-only */
static float fmax_s(float a, float b) { float r; __asm__("fmax.s %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static double fmin_d(double a, double b) { double r; __asm__("fmin.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static u64 fbits(float f) { u32 b; __builtin_memcpy(&b, &f, 4); return b; }
static u64 dbits(double d) { u64 b; __builtin_memcpy(&b, &d, 8); return b; }

static u64 matvec(u64 r) {
    for (int i = 0; i < MV; i++) {
        fv[i] = (float)(i + (int)(r & 15)) * 0.37f - 3.0f;
        for (int j = 0; j < MV; j++) fm[i][j] = (float)((i * 7 + j * 13) % 31) * 0.125f - 1.5f;
    }
    u64 h = 0;
    for (int pass = 0; pass < 4; pass++) {
        for (int i = 0; i < MV; i++) {
            float s = 0.0f;
            for (int j = 0; j < MV; j++) s = __builtin_fmaf(fm[i][j], fv[j], s);
            fr[i] = s;
        }
        float n = 0.0f;
        for (int i = 0; i < MV; i++) n = fmax_s(n, __builtin_fabsf(fr[i]));
        for (int i = 0; i < MV; i++) fv[i] = fr[i] / (n + 1.0f);
        h = suite_mix(h, fbits(n));
    }
    return h;
}

static u64 nbody(u64 r) {
    for (int i = 0; i < NB; i++) {
        px[i] = (double)(i * 3 % 17) + 0.5 * (double)(r & 3);
        py[i] = (double)(i * 5 % 13) - 2.25;
        pz[i] = (double)(i % 7) * 1.5;
        vx[i] = vy[i] = vz[i] = 0.0;
    }
    for (int step = 0; step < 3; step++) {
        for (int i = 0; i < NB; i++) {
            double ax = 0, ay = 0, az = 0;
            for (int j = 0; j < NB; j++) {
                double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
                double d2 = dx * dx + dy * dy + dz * dz + 0.01;
                double inv = 1.0 / (d2 * __builtin_sqrt(d2));
                ax += dx * inv; ay += dy * inv; az += dz * inv;
            }
            vx[i] += ax * 0.01; vy[i] += ay * 0.01; vz[i] += az * 0.01;
        }
        for (int i = 0; i < NB; i++) { px[i] += vx[i]; py[i] += vy[i]; pz[i] += vz[i]; }
    }
    double e = 0;
    for (int i = 0; i < NB; i++) e += vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i];
    return dbits(e);
}

static u64 scalar(u64 r) {
    u64 h = 0;
    double x = -2.0 + (double)(r & 255) / 64.0;
    for (int i = 0; i < 400; i++) {
        double p = ((((0.125 * x - 0.5) * x + 1.25) * x - 3.0) * x + 0.75);   /* Horner */
        float f = (float)p;
        long n = (long)(p * 1000.0);
        int k = (int)f;
        double back = (double)n / 1000.0 + (double)k;
        float g = __builtin_copysignf(__builtin_sqrtf(__builtin_fabsf(f)), -f);
        double m = fmin_d(back, (double)g);
        h = suite_mix(h, dbits(m) ^ fbits(g) ^ (u64)n ^ (u64)(p < back) << 63);
        x += 0.01171875;
    }
    return h;
}

static u64 round_(u64 r) {
    u64 h = matvec(r);
    h = suite_mix(h, nbody(r));
    return suite_mix(h, scalar(r));
}

int main(long hart, const unsigned char *fdt) {
    (void)hart;
    return suite_run("fp", fdt, 70, 280, round_);
}
