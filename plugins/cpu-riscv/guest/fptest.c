/*
 * Floating-point differential test: runs every F/D operation over special and ordinary operands in all
 * five rounding modes and hashes result bits and fflags per operation group. Drydock's output must equal
 * QEMU's (softfloat) line for line; the hashes localise a difference to one group.
 */
#include "lib.h"

static const u64 D[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000, 0x3ff8000000000000,
    0x4004000000000000, 0xc004000000000000, 0x3fb999999999999a, 0xbfd5555555555555, 0x7fefffffffffffff,
    0xffefffffffffffff, 0x0010000000000000, 0x8010000000000000, 0x0000000000000001, 0x800fffffffffffff,
    0x000fffffffffffff, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0x7ff4000000000000,
    0x4340000000000001, 0x43e0000000000000, 0xc3e0000000000000, 0x43f0000000000000, 0x41efffffffe00000,
    0xbfecccccccccccd, 0x3fe0000000000000, 0x3fefffffffffffff, 0x0360000000000000, 0x7fe0000000000001,
    0x41dfffffffc00000, 0xc1e0000000000000, 0x3ca0000000000001, 0x4415af1d78b58c40, 0x0000000000001234,
    0x36a0000000000000, 0x47efffffe0000000, 0x380fffffffffffff, 0x3810000000000000, 0xb690000000000001,
};
static const u32 F[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000, 0xc0200000, 0x3dcccccd,
    0xbeaaaaab, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000, 0x00000001, 0x807fffff, 0x007fffff,
    0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 0x4b800001, 0x4f000000, 0xcf000000, 0x5f800000,
    0x4f7fffff, 0xbf666666, 0x3f000000, 0x3f7fffff, 0x1b000000, 0x7f000001, 0x33800001, 0x0c000001,
    0x5effffff, 0xdf000000, 0x00400001, 0x3e800001,
};
static const i64 I[] = { 0, 1, -1, 3, -3, 0x7fffffff, -0x80000000L, 0xffffffffL, 0x7fffffffffffffffL,
                         (i64)0x8000000000000000UL, 0x20000000000001L, 0x1000001, 0x7ffffffffffffe00L,
                         -0x20000000000003L, 0x123456789abcdefL, (i64)0xfffffffffffff801UL };
#define ND (sizeof D / sizeof D[0])
#define NF (sizeof F / sizeof F[0])
#define NI (sizeof I / sizeof I[0])
static u64 h;
static void mix(u64 v) { h = (h ^ v) * 1099511628211UL; }
static void start(void) { h = 1469598103934665603UL; }
static void report(const char *name) { puts_(name); putc_(' '); puthex(h); putc_('\n'); }
static u64 boxf(u32 f) { return 0xffffffff00000000UL | f; }

#define FLAGS_R(v) __asm__ volatile("frflags %0" : "=r"(v))
#define BIN(name, insn) \
    static void name##_(u64 a, u64 b) { u64 r, f; __asm__ volatile( \
        "fmv.d.x ft0,%2\n\tfmv.d.x ft1,%3\n\tfsflags x0\n\t" insn " ft2,ft0,ft1\n\tfmv.x.d %0,ft2\n\tfrflags %1" \
        : "=r"(r), "=r"(f) : "r"(a), "r"(b) : "ft0", "ft1", "ft2"); mix(r); mix(f); }
#define BINX(name, insn) \
    static void name##_(u64 a, u64 b) { u64 r, f; __asm__ volatile( \
        "fmv.d.x ft0,%2\n\tfmv.d.x ft1,%3\n\tfsflags x0\n\t" insn " %0,ft0,ft1\n\tfrflags %1" \
        : "=r"(r), "=r"(f) : "r"(a), "r"(b) : "ft0", "ft1"); mix(r); mix(f); }
#define UN(name, insn) \
    static void name##_(u64 a) { u64 r, f; __asm__ volatile( \
        "fmv.d.x ft0,%2\n\tfsflags x0\n\t" insn " ft2,ft0\n\tfmv.x.d %0,ft2\n\tfrflags %1" \
        : "=r"(r), "=r"(f) : "r"(a) : "ft0", "ft2"); mix(r); mix(f); }
#define UNX(name, insn) \
    static void name##_(u64 a) { u64 r, f; __asm__ volatile( \
        "fmv.d.x ft0,%2\n\tfsflags x0\n\t" insn " %0,ft0\n\tfrflags %1" \
        : "=r"(r), "=r"(f) : "r"(a) : "ft0"); mix(r); mix(f); }
#define FROMX(name, insn) \
    static void name##_(u64 a) { u64 r, f; __asm__ volatile( \
        "fsflags x0\n\t" insn " ft2,%2\n\tfmv.x.d %0,ft2\n\tfrflags %1" \
        : "=r"(r), "=r"(f) : "r"(a) : "ft2"); mix(r); mix(f); }
#define TRI(name, insn) \
    static void name##_(u64 a, u64 b, u64 c) { u64 r, f; __asm__ volatile( \
        "fmv.d.x ft0,%2\n\tfmv.d.x ft1,%3\n\tfmv.d.x ft3,%4\n\tfsflags x0\n\t" insn " ft2,ft0,ft1,ft3\n\tfmv.x.d %0,ft2\n\tfrflags %1" \
        : "=r"(r), "=r"(f) : "r"(a), "r"(b), "r"(c) : "ft0", "ft1", "ft2", "ft3"); mix(r); mix(f); }

BIN(fadd_d, "fadd.d") BIN(fsub_d, "fsub.d") BIN(fmul_d, "fmul.d") BIN(fdiv_d, "fdiv.d") BIN(fmin_d, "fmin.d") BIN(fmax_d, "fmax.d") BIN(fsgnj_d, "fsgnj.d") BIN(fsgnjn_d, "fsgnjn.d") BIN(fsgnjx_d, "fsgnjx.d")
BIN(fadd_s, "fadd.s") BIN(fsub_s, "fsub.s") BIN(fmul_s, "fmul.s") BIN(fdiv_s, "fdiv.s") BIN(fmin_s, "fmin.s") BIN(fmax_s, "fmax.s") BIN(fsgnj_s, "fsgnj.s") BIN(fsgnjn_s, "fsgnjn.s") BIN(fsgnjx_s, "fsgnjx.s")
BINX(feq_d, "feq.d") BINX(flt_d, "flt.d") BINX(fle_d, "fle.d") BINX(feq_s, "feq.s") BINX(flt_s, "flt.s") BINX(fle_s, "fle.s")
UN(fsqrt_d, "fsqrt.d") UN(fsqrt_s, "fsqrt.s") UN(fcvt_s_d, "fcvt.s.d") UN(fcvt_d_s, "fcvt.d.s")
UNX(fcvt_w_d, "fcvt.w.d") UNX(fcvt_wu_d, "fcvt.wu.d") UNX(fcvt_l_d, "fcvt.l.d") UNX(fcvt_lu_d, "fcvt.lu.d")
UNX(fcvt_w_s, "fcvt.w.s") UNX(fcvt_wu_s, "fcvt.wu.s") UNX(fcvt_l_s, "fcvt.l.s") UNX(fcvt_lu_s, "fcvt.lu.s")
UNX(fclass_d, "fclass.d") UNX(fclass_s, "fclass.s") UNX(fmv_x_w, "fmv.x.w")
FROMX(fcvt_d_w, "fcvt.d.w") FROMX(fcvt_d_wu, "fcvt.d.wu") FROMX(fcvt_d_l, "fcvt.d.l") FROMX(fcvt_d_lu, "fcvt.d.lu")
FROMX(fcvt_s_w, "fcvt.s.w") FROMX(fcvt_s_wu, "fcvt.s.wu") FROMX(fcvt_s_l, "fcvt.s.l") FROMX(fcvt_s_lu, "fcvt.s.lu")
TRI(fmadd_d, "fmadd.d") TRI(fmsub_d, "fmsub.d") TRI(fnmadd_d, "fnmadd.d") TRI(fnmsub_d, "fnmsub.d") TRI(fmadd_s, "fmadd.s") TRI(fmsub_s, "fmsub.s") TRI(fnmadd_s, "fnmadd.s") TRI(fnmsub_s, "fnmsub.s")

#define SWEEP2(fn, arr, n, conv) do { for (unsigned i = 0; i < n; i++) for (unsigned j = 0; j < n; j++) fn(conv(arr[i]), conv(arr[j])); } while (0)
#define SWEEP1(fn, arr, n, conv) do { for (unsigned i = 0; i < n; i++) fn(conv(arr[i])); } while (0)
#define SWEEP3(fn, arr, n, conv) do { for (unsigned i = 0; i < n; i += 2) for (unsigned j = 1; j < n; j += 2) for (unsigned k = 0; k < n; k++) fn(conv(arr[i]), conv(arr[j]), conv(arr[k])); } while (0)
static u64 id(u64 v) { return v; }

int main(void) {
    for (int rm = 0; rm < 5; rm++) {
        __asm__ volatile("fsrm %0" :: "r"((u64)rm));
        putc_('r'); putdec(rm); putc_('\n');
        start(); SWEEP2(fadd_d_, D, ND, id); SWEEP2(fsub_d_, D, ND, id); report("add.d");
        start(); SWEEP2(fmul_d_, D, ND, id); report("mul.d");
        start(); SWEEP2(fdiv_d_, D, ND, id); report("div.d");
        start(); SWEEP1(fsqrt_d_, D, ND, id); report("sqrt.d");
        start(); SWEEP3(fmadd_d_, D, ND, id); SWEEP3(fmsub_d_, D, ND, id); report("fma.d");
        start(); SWEEP3(fnmadd_d_, D, ND, id); SWEEP3(fnmsub_d_, D, ND, id); report("fnma.d");
        start(); SWEEP1(fcvt_w_d_, D, ND, id); SWEEP1(fcvt_wu_d_, D, ND, id); report("cvt.w.d");
        start(); SWEEP1(fcvt_l_d_, D, ND, id); SWEEP1(fcvt_lu_d_, D, ND, id); report("cvt.l.d");
        start(); SWEEP1(fcvt_s_d_, D, ND, id); report("cvt.s.d");
        start(); SWEEP1(fcvt_d_w_, I, NI, id); SWEEP1(fcvt_d_wu_, I, NI, id); SWEEP1(fcvt_d_l_, I, NI, id); SWEEP1(fcvt_d_lu_, I, NI, id); report("cvt.d.int");
        start(); SWEEP1(fcvt_s_w_, I, NI, id); SWEEP1(fcvt_s_wu_, I, NI, id); SWEEP1(fcvt_s_l_, I, NI, id); SWEEP1(fcvt_s_lu_, I, NI, id); report("cvt.s.int");
        start(); SWEEP2(fadd_s_, F, NF, boxf); SWEEP2(fsub_s_, F, NF, boxf); report("add.s");
        start(); SWEEP2(fmul_s_, F, NF, boxf); report("mul.s");
        start(); SWEEP2(fdiv_s_, F, NF, boxf); report("div.s");
        start(); SWEEP1(fsqrt_s_, F, NF, boxf); report("sqrt.s");
        start(); SWEEP3(fmadd_s_, F, NF, boxf); SWEEP3(fmsub_s_, F, NF, boxf); report("fma.s");
        start(); SWEEP3(fnmadd_s_, F, NF, boxf); SWEEP3(fnmsub_s_, F, NF, boxf); report("fnma.s");
        start(); SWEEP1(fcvt_w_s_, F, NF, boxf); SWEEP1(fcvt_wu_s_, F, NF, boxf); report("cvt.w.s");
        start(); SWEEP1(fcvt_l_s_, F, NF, boxf); SWEEP1(fcvt_lu_s_, F, NF, boxf); report("cvt.l.s");
    }
    __asm__ volatile("fsrm x0");
    start(); SWEEP2(fmin_d_, D, ND, id); SWEEP2(fmax_d_, D, ND, id); report("minmax.d");
    start(); SWEEP2(fmin_s_, F, NF, boxf); SWEEP2(fmax_s_, F, NF, boxf); report("minmax.s");
    start(); SWEEP2(feq_d_, D, ND, id); SWEEP2(flt_d_, D, ND, id); SWEEP2(fle_d_, D, ND, id); report("cmp.d");
    start(); SWEEP2(feq_s_, F, NF, boxf); SWEEP2(flt_s_, F, NF, boxf); SWEEP2(fle_s_, F, NF, boxf); report("cmp.s");
    start(); SWEEP2(fsgnj_d_, D, ND, id); SWEEP2(fsgnjn_d_, D, ND, id); SWEEP2(fsgnjx_d_, D, ND, id); report("sgnj.d");
    start(); SWEEP2(fsgnj_s_, F, NF, boxf); SWEEP2(fsgnjn_s_, F, NF, boxf); SWEEP2(fsgnjx_s_, F, NF, boxf); report("sgnj.s");
    start(); SWEEP1(fclass_d_, D, ND, id); SWEEP1(fclass_s_, F, NF, boxf); SWEEP1(fcvt_d_s_, F, NF, boxf); report("class+widen");
    /* NaN-boxing: single-precision ops on improperly boxed inputs see the canonical NaN */
    start(); SWEEP2(fadd_s_, D, ND, id); SWEEP1(fclass_s_, D, ND, id); SWEEP1(fmv_x_w_, D, ND, id); SWEEP2(fsgnj_s_, D, ND, id); report("boxing");
    return 0;
}
