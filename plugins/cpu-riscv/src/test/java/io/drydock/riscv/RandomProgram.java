package io.drydock.riscv;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random valid RV64IMAFDC instruction sequence for {@link TranslatorDifferentialProperties}, generated from a
 * seed. Conventions that keep it inside the test's world: x30 points at the middle of the scratch page and x2
 * (sp) at its start, so every load, store and AMO lands in it (some misaligned); x28 and x29 are address
 * temporaries for AMOs and JALR; x31 receives minstret at the end or at the trap vector; none of them is
 * a random destination. Branches and jumps only go forward, inside the sequence or to its end, except the
 * return of a call (a subroutine placed after its call site and jumped over: {@code Gen.call}). A few
 * instructions trap (ECALL, EBREAK, illegal words, an unknown CSR, a write of a read-only counter, a load from address 0, an F/D instruction
 * with a reserved rounding mode); the first trap ends the run at the vector.
 *
 * <p>Encodings: unpriv 20191213 §2.2–2.5 (base formats), ch. 7 (M), 8 (A), 11–12 (F, D), 16 (C).
 */
record RandomProgram(List<Insn> insns, List<Integer> starts, long[] x, long[] f, int fcsr, long mscratch, byte[] scratch) {
    /**
     * One instruction: its encoding (2 or 4 bytes) or, for a jump, how to encode it once addresses are known;
     * {@code target} is a logical instruction index (see {@code starts}), n meaning the end.
     */
    record Insn(int bits, int size, Kind kind, int target, int a, int b) {
        static Insn word(int w) { return new Insn(w, 4, Kind.FIXED, -1, 0, 0); }
        static Insn half(int h) { return new Insn(h & 0xffff, 2, Kind.FIXED, -1, 0, 0); }
    }

    enum Kind { FIXED, BRANCH, JAL, CJ, CBZ, JALR_PAIR }

    static final int SCRATCH_SIZE = 4096;
    static final int[] RD = {1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27};

    static RandomProgram generate(long seed, int maxLength) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(maxLength);
        List<Insn> out = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        Gen g = new Gen(r, out, n);
        for (int i = 0; i < n; i++) { starts.add(out.size()); g.one(i); }
        starts.add(out.size());
        long[] x = new long[32];
        for (int i = 1; i < 32; i++) x[i] = value(r);
        long[] f = new long[32];
        for (int i = 0; i < 32; i++) {
            long v = value(r);
            f[i] = r.nextInt(3) == 0 ? 0xffff_ffff_0000_0000L | (v & 0xffff_ffffL) : r.nextInt(4) == 0 ? fpSpecial(r) : v;
        }
        int frm = r.nextInt(20) == 0 ? 5 + r.nextInt(3) : r.nextInt(5);
        byte[] scratch = new byte[SCRATCH_SIZE];
        r.nextBytes(scratch);
        return new RandomProgram(out, starts, x, f, frm << 5 | r.nextInt(32), value(r), scratch);
    }

    private static long value(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextInt(9) - 4;
            case 1 -> Long.MIN_VALUE + r.nextInt(3) - 1;
            case 2 -> (long) r.nextInt();
            case 3 -> 0x7fff_ffffL + r.nextInt(3) - 1;
            default -> r.nextLong();
        };
    }

    private static long fpSpecial(Random r) {
        long[] d = {0, 0x8000_0000_0000_0000L, 0x7ff0_0000_0000_0000L, 0xfff0_0000_0000_0000L, 0x7ff8_0000_0000_0000L,
                0x7ff4_0000_0000_0000L, 0x0000_0000_0000_0001L, 0x3ff0_0000_0000_0000L, 0x43e0_0000_0000_0000L,
                0xffff_ffff_7fc0_0000L, 0xffff_ffff_7f80_0000L, 0xffff_ffff_0000_0001L, 0xffff_ffff_4f00_0000L};
        return d[r.nextInt(d.length)];
    }

    /** Lays the sequence out from {@code base} as halfwords, resolving jumps (logical targets to addresses). */
    void encode(long base, List<Integer> halfwords) {
        int m = insns.size();
        long[] addr = new long[m + 1];
        long a = base;
        for (int i = 0; i < m; i++) { addr[i] = a; a += insns.get(i).size(); }
        addr[m] = a;
        for (int i = 0; i < m; i++) {
            Insn k = insns.get(i);
            long to = k.target() < 0 ? 0 : addr[starts.get(k.target())];
            int off = (int) (to - addr[i]);
            int w = switch (k.kind()) {
                case FIXED -> k.bits();
                case BRANCH -> b(off, k.a(), k.b(), k.bits());
                case JAL -> j(k.a(), off);
                case CJ -> cj(off);
                case CBZ -> cbz(k.bits(), k.a(), off);
                case JALR_PAIR -> Asm.i((int) (to - addr[i - 1]) & 0xfff, 29, 0, k.a(), 0x67); // after auipc x29, 0
            };
            halfwords.add(w & 0xffff);
            if (k.size() == 4) halfwords.add(w >>> 16);
        }
    }

    String listing(long base) {
        StringBuilder sb = new StringBuilder();
        List<Integer> hw = new ArrayList<>();
        encode(base, hw);
        long pc = base;
        for (int i = 0; i < hw.size(); ) {
            int lo = hw.get(i);
            boolean c = (lo & 3) != 3;
            int bits = c ? lo : lo | hw.get(i + 1) << 16;
            sb.append(String.format("  %x: %08x  %s%n", pc, bits, Disassembler.disassemble(pc, bits)));
            pc += c ? 2 : 4;
            i += c ? 1 : 2;
        }
        return sb.toString();
    }

    // ---- encoders for the formats the unit tests' Asm does not have ----

    static int b(int off, int rs1, int rs2, int f3) {
        return ((off >> 12) & 1) << 31 | ((off >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
                | ((off >> 1) & 0xf) << 8 | ((off >> 11) & 1) << 7 | 0x63;
    }

    static int j(int rd, int off) {
        return ((off >> 20) & 1) << 31 | ((off >> 1) & 0x3ff) << 21 | ((off >> 11) & 1) << 20 | ((off >> 12) & 0xff) << 12
                | rd << 7 | 0x6f;
    }

    static int cj(int off) {
        int v = ((off >> 11) & 1) << 12 | ((off >> 4) & 1) << 11 | ((off >> 8) & 3) << 9 | ((off >> 10) & 1) << 8
                | ((off >> 6) & 1) << 7 | ((off >> 7) & 1) << 6 | ((off >> 1) & 7) << 3 | ((off >> 5) & 1) << 2;
        return 0b101 << 13 | v | 1;
    }

    static int cbz(int f3, int rs1p, int off) {
        int v = ((off >> 8) & 1) << 12 | ((off >> 3) & 3) << 10 | ((off >> 6) & 3) << 5 | ((off >> 1) & 3) << 3
                | ((off >> 5) & 1) << 2;
        return f3 << 13 | v | rs1p << 7 | 1;
    }

    /** The generator's state: which instruction comes next. */
    private record Gen(Random r, List<Insn> out, int n) {
        int rd() { return r.nextInt(12) == 0 ? 0 : RD[r.nextInt(RD.length)]; }
        int rs() { return r.nextInt(32); }
        int fr() { return r.nextInt(32); }
        int rm() {
            int k = r.nextInt(40);
            return k == 0 ? 5 + r.nextInt(2) : k < 8 ? 7 : r.nextInt(5);
        }
        int cr() { return r.nextInt(8); } // x8..x15 as a 3-bit field
        int forward(int i) { return i + 1 + r.nextInt(n - i); }

        void add(int w) { out.add(Insn.word(w)); }
        void addHalf(int h) { out.add(Insn.half(h)); }

        /** A load/store offset from x30 (the page middle) for an access of {@code size}; 1 in 12 is misaligned. */
        int off(int size) {
            int o = r.nextInt(4096 - size + 1) - 2048;
            return r.nextInt(12) == 0 ? o : o & ~(size - 1);
        }

        void one(int i) {
            int k = r.nextInt(100);
            if (k < 22) alu();
            else if (k < 32) memory();
            else if (k < 40) branch(i);
            else if (k < 46) atomic();
            else if (k < 68) fp();
            else if (k < 85) compressed(i);
            else if (k < 88) call();
            else if (k < 93) csr();
            else if (k < 96) upper();
            else trap();
        }

        void alu() {
            int rd = rd(), rs1 = rs(), rs2 = rs();
            switch (r.nextInt(6)) {
                case 0 -> {
                    int[][] ops = {{0, 0}, {0x20, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0x20, 5}, {0, 6}, {0, 7},
                            {1, 0}, {1, 1}, {1, 2}, {1, 3}, {1, 4}, {1, 5}, {1, 6}, {1, 7}};
                    int[] o = ops[r.nextInt(ops.length)];
                    add(Asm.op(o[0], o[1], rd, rs1, rs2));
                }
                case 1 -> {
                    int[][] ops = {{0, 0}, {0x20, 0}, {0, 1}, {0, 5}, {0x20, 5}, {1, 0}, {1, 4}, {1, 5}, {1, 6}, {1, 7}};
                    int[] o = ops[r.nextInt(ops.length)];
                    add(Asm.op32(o[0], o[1], rd, rs1, rs2));
                }
                case 2, 3 -> {
                    int[] f3s = {0, 2, 3, 4, 6, 7};
                    add(Asm.i(r.nextInt(4096), rs1, f3s[r.nextInt(f3s.length)], rd, 0x13));
                }
                case 4 -> {
                    int sh = r.nextInt(64);
                    switch (r.nextInt(3)) {
                        case 0 -> add(Asm.i(sh, rs1, 1, rd, 0x13));
                        case 1 -> add(Asm.i(sh, rs1, 5, rd, 0x13));
                        default -> add(Asm.i(0x400 | sh, rs1, 5, rd, 0x13));
                    }
                }
                default -> {
                    int sh = r.nextInt(32);
                    switch (r.nextInt(4)) {
                        case 0 -> add(Asm.i(r.nextInt(4096), rs1, 0, rd, 0x1b));
                        case 1 -> add(Asm.i(sh, rs1, 1, rd, 0x1b));
                        case 2 -> add(Asm.i(sh, rs1, 5, rd, 0x1b));
                        default -> add(Asm.i(0x400 | sh, rs1, 5, rd, 0x1b));
                    }
                }
            }
        }

        void memory() {
            if (r.nextBoolean()) {
                int f3 = r.nextInt(7), size = 1 << (f3 & 3);
                add(Asm.i(off(size) & 0xfff, 30, f3, rd(), 0x03));
            } else {
                int f3 = r.nextInt(4);
                add(Asm.s(off(1 << f3), rs(), 30, f3, 0x23));
            }
        }

        void branch(int i) {
            int t = forward(i);
            switch (r.nextInt(5)) {
                case 0 -> out.add(new Insn(0, 4, Kind.JAL, t, rd(), 0));
                case 1 -> { // auipc x29, 0; jalr rd, off(x29): the target is counted from the auipc
                    add(0x17 | 29 << 7);
                    out.add(new Insn(0, 4, Kind.JALR_PAIR, t, rd(), 0));
                }
                default -> {
                    int[] f3s = {0, 1, 4, 5, 6, 7};
                    out.add(new Insn(f3s[r.nextInt(f3s.length)], 4, Kind.BRANCH, t, rs(), rs()));
                }
            }
        }

        /**
         * An AMO, LR or SC on x28 = x30 + an offset (unpriv ch. 8); 1 in 16 misaligned (LR: cause 4, SC/AMO: 6),
         * and 1 in 3 an LR/SC pair on one address with an instruction between, so SC succeeds when the value
         * LR read is still there (a store between may change it) and fails otherwise.
         */
        void atomic() {
            boolean d = r.nextBoolean();
            int o = off(8) & ~7;
            if (r.nextInt(16) == 0) o += 1 + r.nextInt(d ? 7 : 3);
            add(Asm.addi(28, 30, o));
            int f3 = d ? 3 : 2;
            if (r.nextInt(3) == 0) {
                add(Asm.r(2 << 2 | r.nextInt(4), 0, 28, f3, rd(), 0x2f));   // lr
                if (r.nextBoolean()) alu(); else memory();
                add(Asm.r(3 << 2 | r.nextInt(4), rs(), 28, f3, rd(), 0x2f)); // sc
                return;
            }
            int aqrl = r.nextInt(4);
            int[] f5s = {0, 1, 4, 8, 0xc, 0x10, 0x14, 0x18, 0x1c, 2, 3, 2, 3};
            int f5 = f5s[r.nextInt(f5s.length)];
            int rs2 = f5 == 2 ? 0 : rs();
            add(Asm.r(f5 << 2 | aqrl, rs2, 28, f3, rd(), 0x2f));
        }

        void fp() {
            int fmt = r.nextInt(2), rd = fr(), rs1 = fr(), rs2 = fr();
            switch (r.nextInt(12)) {
                case 0 -> add(Asm.i(off(4 << fmt) & 0xfff, 30, 2 + fmt, rd, 0x07));
                case 1 -> add(Asm.s(off(4 << fmt), rs2, 30, 2 + fmt, 0x27));
                case 2, 3 -> add(Asm.r(r.nextInt(4) << 2 | fmt, rs2, rs1, rm(), rd, 0x53));   // add sub mul div
                case 4 -> add(Asm.r(0xb << 2 | fmt, 0, rs1, rm(), rd, 0x53));                // sqrt
                case 5 -> add(Asm.r(4 << 2 | fmt, rs2, rs1, r.nextInt(3), rd, 0x53));        // sgnj, n, x
                case 6 -> add(Asm.r(5 << 2 | fmt, rs2, rs1, r.nextInt(2), rd, 0x53));        // min max
                case 7 -> add(Asm.r(0x14 << 2 | fmt, rs2, rs1, r.nextInt(3), rd(), 0x53));   // fle flt feq
                case 8 -> add(Asm.r(0x1c << 2 | fmt, 0, rs1, r.nextInt(2), rd(), 0x53));     // fmv.x, fclass
                case 9 -> { // fcvt int<->fp, fmv from x, fcvt.s.d / d.s
                    switch (r.nextInt(4)) {
                        case 0 -> add(Asm.r(0x18 << 2 | fmt, r.nextInt(4), rs1, rm(), rd(), 0x53));
                        case 1 -> add(Asm.r(0x1a << 2 | fmt, r.nextInt(4), rs(), rm(), rd, 0x53));
                        case 2 -> add(Asm.r(0x1e << 2 | fmt, 0, rs(), 0, rd, 0x53));
                        default -> add(Asm.r(0x08 << 2 | fmt, 1 - fmt, rs1, rm(), rd, 0x53));
                    }
                }
                default -> { // fmadd fmsub fnmsub fnmadd
                    int[] opc = {0x43, 0x47, 0x4b, 0x4f};
                    add(fr() << 27 | fmt << 25 | rs2 << 20 | rs1 << 15 | rm() << 12 | rd << 7 | opc[r.nextInt(4)]);
                }
            }
        }

        void compressed(int i) {
            int rd = RD[r.nextInt(RD.length)], imm = r.nextInt(64), rs2 = RD[r.nextInt(RD.length)];
            switch (r.nextInt(17)) {
                case 0 -> addHalf(0b000 << 13 | (imm >> 5) << 12 | rd << 7 | (imm & 31) << 2 | 1);            // c.addi
                case 1 -> addHalf(0b010 << 13 | (imm >> 5) << 12 | rd << 7 | (imm & 31) << 2 | 1);            // c.li
                case 2 -> addHalf(0b011 << 13 | (imm >> 5) << 12 | rd << 7 | ((imm == 0 ? 1 : imm) & 31) << 2 | 1); // c.lui
                case 3 -> addHalf(0b001 << 13 | (imm >> 5) << 12 | rd << 7 | (imm & 31) << 2 | 1);            // c.addiw
                case 4 -> addHalf(0b100 << 13 | (imm >> 5) << 12 | r.nextInt(3) << 10 | cr() << 7 | (imm & 31) << 2 | 1); // srli srai andi
                case 5 -> addHalf(0b100 << 13 | 0b011 << 10 | cr() << 7 | r.nextInt(4) << 5 | cr() << 2 | 1); // sub xor or and
                case 6 -> addHalf(0b100 << 13 | 1 << 12 | 0b011 << 10 | cr() << 7 | r.nextInt(2) << 5 | cr() << 2 | 1); // subw addw
                case 7 -> addHalf(0b000 << 13 | (imm >> 5) << 12 | rd << 7 | ((imm == 0 ? 1 : imm) & 31) << 2 | 2); // c.slli
                case 8 -> addHalf(0b100 << 13 | rd << 7 | rs2 << 2 | 2);                                      // c.mv
                case 9 -> addHalf(0b100 << 13 | 1 << 12 | rd << 7 | rs2 << 2 | 2);                            // c.add
                case 10 -> { int o = r.nextInt(64) << 3; addHalf(0b011 << 13 | ((o >> 5) & 1) << 12 | rd << 7 | ((o >> 3) & 3) << 5 | ((o >> 6) & 7) << 2 | 2); } // c.ldsp
                case 11 -> { int o = r.nextInt(64) << 2; addHalf(0b010 << 13 | ((o >> 5) & 1) << 12 | rd << 7 | ((o >> 2) & 7) << 4 | ((o >> 6) & 3) << 2 | 2); } // c.lwsp
                case 12 -> { int o = r.nextInt(64) << 3; addHalf((r.nextBoolean() ? 0b111 : 0b101) << 13 | ((o >> 3) & 7) << 10 | ((o >> 6) & 7) << 7 | rs() << 2 | 2); } // c.sdsp, c.fsdsp
                case 13 -> { int o = r.nextInt(64) << 2; addHalf(0b110 << 13 | ((o >> 2) & 15) << 9 | ((o >> 6) & 3) << 7 | rs() << 2 | 2); } // c.swsp
                case 14 -> { int o = r.nextInt(64) << 3; addHalf(0b001 << 13 | ((o >> 5) & 1) << 12 | fr() << 7 | ((o >> 3) & 3) << 5 | ((o >> 6) & 7) << 2 | 2); } // c.fldsp
                case 15 -> { int o = (1 + r.nextInt(255)) << 2; // c.addi4spn rd' = sp + o
                    addHalf(((o >> 4) & 3) << 11 | ((o >> 6) & 15) << 7 | ((o >> 2) & 1) << 6 | ((o >> 3) & 1) << 5 | cr() << 2); }
                default -> {
                    int t = Math.min(forward(i), i + 30); // c.beqz/c.bnez reach ±256 bytes
                    if (r.nextBoolean()) out.add(new Insn(0, 2, Kind.CJ, t, 0, 0));
                    else out.add(new Insn(r.nextBoolean() ? 0b110 : 0b111, 2, Kind.CBZ, t, cr(), 0));
                }
            }
        }

        /**
         * A Zicsr access (priv 1.12 ch. 2): of a quiet CSR (scratch/epc/cause/tval, FP: translated), a read (counters
         * at this instruction's retired count, status, ids, satp: translated), a write of mie (not quiet: ends a
         * region) or of a read-only counter (illegal: the trap).
         */
        void csr() {
            int[] quiet = {0x001, 0x002, 0x003, 0x340, 0x341, 0x342, 0x343, 0x140, 0x141, 0x142, 0x143};
            int[] readable = {0xc00, 0xc01, 0xc02, 0xb00, 0xb02, 0x300, 0x301, 0xf14, 0x304, 0x344, 0x180, 0x100};
            int f3 = 1 + r.nextInt(3) + (r.nextBoolean() ? 4 : 0);
            switch (r.nextInt(5)) {
                case 0, 1 -> add(Asm.i(quiet[r.nextInt(quiet.length)], f3 >= 5 ? r.nextInt(32) : rs(), f3, rd(), 0x73));
                case 2, 3 -> add(Asm.i(readable[r.nextInt(readable.length)], 0, 2 + r.nextInt(2) + (f3 >= 5 ? 4 : 0), rd(), 0x73));
                default -> add(Asm.i(r.nextBoolean() ? 0x304 : readable[r.nextInt(5)], f3 >= 5 ? r.nextInt(32) : rs(), f3, rd(), 0x73));
            }
        }

        /**
         * A call and its return (unpriv §2.5.1: jal/jalr writing x1 or x5 push the return-address stack, jalr x0 from
         * it pops it), so that a translated caller's region goes on after the callee returns (Block, "Calls and
         * returns"), all in 4-byte words at fixed offsets:
         * <pre>
         *   call:  jal link, f         (or auipc x29, 0; jalr link, 16(x29))
         *          one instruction     (where the callee returns to)
         *          jal x0, end
         *   f:     1-3 instructions    (none writes the link register; maybe a forward branch inside f)
         *          jalr x0, 0(link)    (the return; 1 in 6 returns to the instruction after the return point
         *                               instead: a return address the caller does not expect)
         *   end:
         * </pre>
         */
        void call() {
            int link = r.nextBoolean() ? 1 : 5;
            int body = 1 + r.nextInt(3);
            boolean pair = r.nextInt(3) == 0;
            boolean branchInside = body >= 2 && r.nextBoolean();
            // words after the call instruction up to f: return point, jal over f
            if (pair) {
                add(0x17 | 29 << 7);                                // auipc x29, 0
                add(Asm.i(16, 29, 0, link, 0x67));                  // jalr link, 16(x29): f is 4 words after the auipc
            } else {
                add(j(link, 12));                                   // jal link, f (3 words on)
            }
            int back = r.nextInt(6) == 0 ? 4 : 0;                  // a return past the expected address
            add(safeAlu(link));                                     // the return point
            add(j(0, 4 * (body + 2)));                              // over f and its return
            for (int k = 0; k < body; k++) {
                if (branchInside && k == 0) {
                    int[] f3s = {0, 1, 4, 5, 6, 7};                 // skip the next instruction when taken
                    add(b(8, rs(), rs(), f3s[r.nextInt(f3s.length)]));
                } else {
                    add(r.nextBoolean() ? safeAlu(link) : safeLoad(link));
                }
            }
            add(Asm.i(back, link, 0, 0, 0x67));                     // jalr x0, back(link)
        }

        /** A destination register for a subroutine: neither the link register nor x28-x31 (the test's). */
        private int safeRd(int link) {
            int rd;
            do rd = RD[r.nextInt(RD.length)]; while (rd == link);
            return rd;
        }

        private int safeAlu(int link) {
            int[][] ops = {{0, 0}, {0x20, 0}, {0, 4}, {0, 6}, {0, 7}, {1, 0}, {0, 1}, {0, 5}};
            int[] o = ops[r.nextInt(ops.length)];
            return Asm.op(o[0], o[1], safeRd(link), rs(), rs());
        }

        private int safeLoad(int link) {
            int f3 = r.nextInt(7), size = 1 << (f3 & 3);
            return Asm.i(off(size) & 0xfff, 30, f3, safeRd(link), 0x03);
        }

        void upper() {
            add(r.nextInt(1 << 20) << 12 | rd() << 7 | (r.nextBoolean() ? 0x37 : 0x17));
        }

        void trap() {
            switch (r.nextInt(8)) {
                case 0 -> add(Asm.ECALL);
                case 1 -> add(0x0010_0073);                         // ebreak
                case 2 -> add(0xffff_ffff);                         // illegal
                case 3 -> addHalf(0);                               // c.illegal
                case 4 -> add(Asm.csrrs(rd(), 0x7c0, 0));           // no such CSR
                case 5 -> add(Asm.ld(rd(), 0, 8));                  // load from address 8: access fault
                case 6 -> addHalf(0x9002);                          // c.ebreak
                default -> add(Asm.r(0, fr(), fr(), 5 + r.nextInt(2), fr(), 0x53)); // fadd.s with a reserved rm
            }
        }
    }
}
