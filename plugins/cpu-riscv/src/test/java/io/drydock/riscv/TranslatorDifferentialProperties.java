package io.drydock.riscv;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.metrics.MetricsRegistry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test of the translator against the interpreter (issue #16, item 6): a random valid RV64IMAFDC
 * sequence ({@link RandomProgram}) runs once on a fresh hart — every block boundary is entered at most once,
 * below the translation threshold, so that run is the interpreter alone — and {@link #PASSES} times
 * (the threshold {@code Interpreter.HOT} + 8: 32 + 8 in the module's tests, which set -Ddrydock.jit.hot=32; every
 * entry interprets at least one instruction, so HOT entries reach a heat of HOT instructions)
 * on another hart from the same initial state each time, so that from the threshold on the same path runs
 * through translated blocks. The last pass must leave exactly
 * what the interpreter left: x1–x31 (x31 is minstret at the end or at the trap vector, i.e. the retired
 * count), f0–f31, fcsr, mscratch, mstatus, mcause, mepc, mtval (the trap: cause, pc, tval), mie, sscratch,
 * sepc, scause, stval, pc, and every
 * byte of the scratch page and the page after it. The property also checks that the translated hart did
 * translate blocks (else it would compare the interpreter with itself).
 *
 * <p>Each sequence runs in one of the translator's modes, chosen from its seed: basic blocks, loop regions or
 * regions across branches ({@code Region}; the default), each with chained exits off or up to 8 deep
 * ({@code Block.chain}), regions of at most 16 instructions (the default) or 96.
 *
 * <p>CI: the fixed seed and {@code jqwik.tries.default} (src/test/resources/junit-platform.properties). A
 * larger run by hand, e.g. 20,000 sequences:
 * {@code mvn -o -pl plugins/cpu-riscv test -Dtest=TranslatorDifferentialProperties -Djqwik.tries.default=20000};
 * {@code -Ddrydock.difftest.salt=N} is mixed into every sequence's seed, for other sequences than CI's.
 */
class TranslatorDifferentialProperties {
    static final long BASE = 0x8000_0000L, VECTOR = BASE + 0x800, SCRATCH = BASE + 0x8000;
    /** The other place a sequence starts: 96 bytes before the end of a page. */
    static final long STRADDLE = BASE + 0x1000 - 96;
    static final int PASSES = Interpreter.HOT + 8;
    static final int MAX_LENGTH = 48;
    static final long SALT = Long.getLong("drydock.difftest.salt", 0);
    static final int MSTATUS = 0x300, MTVEC = 0x305, MSCRATCH = 0x340, MEPC = 0x341, MCAUSE = 0x342, MTVAL = 0x343, FCSR = 0x003,
            MIE = 0x304, SSCRATCH = 0x140, SEPC = 0x141, SCAUSE = 0x142, STVAL = 0x143;
    static final int CSRR_X31_MINSTRET = Asm.csrrs(31, 0xb02, 0), SPIN = 0x6f; // jal x0, 0

    @Property(seed = "16016", shrinking = ShrinkingMode.OFF)
    void translatedCodeLeavesWhatTheInterpreterLeaves(@ForAll long seed) throws Exception {
        RandomProgram p = RandomProgram.generate(seed ^ SALT, MAX_LENGTH);
        // every other sequence straddles a page boundary, so exits chain across pages (Block, "Chained exits")
        long code = ((seed ^ SALT) >>> 8 & 1) == 0 ? BASE : STRADDLE;
        List<Integer> hw = new ArrayList<>();
        p.encode(code, hw);
        long budget = hw.size() + 40;

        Map<String, String> interpreted, translated;
        int blocks;
        try (Machine ref = new Machine(hw, code)) {
            ref.load(p);
            ref.h.step(budget);
            interpreted = ref.state();
        }
        int mode = (int) Math.floorMod(seed ^ SALT, 6L);
        boolean wasAcross = Region.acrossBranches, wasLoops = Region.loopsOnly;
        int wasChain = Block.chain, wasMax = Region.max;
        Region.acrossBranches = mode % 3 != 0;
        Region.loopsOnly = mode % 3 == 1;
        Block.chain = mode < 3 ? 0 : 8;
        // regions of the default size (16) or of 96, longer than any sequence (MAX_LENGTH)
        Region.max = ((seed ^ SALT) >>> 9 & 1) == 0 ? 16 : 96;
        Statistics.label("mode").collect(List.of("blocks", "loops", "across").get(mode % 3) + (mode < 3 ? "" : "+chain")
                + (mode % 3 == 0 ? "" : " " + Region.max));
        try (Machine jit = new Machine(hw, code)) {
            for (int pass = 0; pass < PASSES; pass++) {
                jit.load(p);
                jit.h.step(budget);
            }
            translated = jit.state();
            blocks = jit.translatedBlocks(hw.size());
        } finally {
            Region.acrossBranches = wasAcross;
            Region.loopsOnly = wasLoops;
            Block.chain = wasChain;
            Region.max = wasMax;
        }
        Statistics.label("translated blocks").collect(blocks > 0);
        if (!interpreted.equals(translated)) {
            StringBuilder sb = new StringBuilder("translated code differs from the interpreter (seed " + seed + ", salt " + SALT
                    + ", mode " + mode + ")\n");
            interpreted.forEach((k, v) -> {
                if (!v.equals(translated.get(k))) sb.append("  ").append(k).append(": interpreter ").append(v)
                        .append(", translated ").append(translated.get(k)).append('\n');
            });
            sb.append(p.listing(code));
            fail(sb.toString());
        }
        Statistics.label("translated blocks").coverage(c -> c.check(true).percentage(pct -> pct > 50.0));
    }

    /** A bare hart over 64 KiB of RAM with the sequence at {@code code} (BASE or STRADDLE), its end and the trap vector. */
    static final class Machine implements AutoCloseable {
        final SystemBus bus = new SystemBus(new MetricsRegistry());
        final Hart h;
        final long code;

        Machine(List<Integer> hw, long code) throws java.io.IOException {
            this.code = code;
            bus.addRam("dram", BASE, MemoryBacking.anonymous(64 * 1024));
            h = new Hart(0, bus, () -> 0);
            long a = code;
            for (int v : hw) { bus.write(a, 2, v); a += 2; }
            bus.write(a, 4, CSRR_X31_MINSTRET);       // the end: the retired count into x31, then spin
            bus.write(a + 4, 4, SPIN);
            bus.write(VECTOR, 4, CSRR_X31_MINSTRET);  // the trap vector: the same
            bus.write(VECTOR + 4, 4, SPIN);
        }

        /** The program's initial state (again): registers, CSRs, scratch memory, pc; no reservation. */
        void load(RandomProgram p) {
            for (int i = 1; i < 32; i++) h.setX(i, p.x()[i]);
            h.setX(2, SCRATCH);
            h.setX(30, SCRATCH + 2048);
            for (int i = 0; i < 32; i++) h.setF(i, p.f()[i]);
            h.setCsr(MSTATUS, 3L << 13);              // FS = Dirty, MIE = 0
            h.setCsr(FCSR, p.fcsr());
            h.setCsr(MSCRATCH, p.mscratch());
            h.setCsr(MTVEC, VECTOR);
            h.setCsr(MEPC, 0);
            h.setCsr(MCAUSE, 0);
            h.setCsr(MTVAL, 0);
            for (int csr : new int[] {MIE, SSCRATCH, SEPC, SCAUSE, STVAL}) h.setCsr(csr, 0);
            h.reservation = -1;
            h.instret = 0;
            h.cycleBias = 0;                          // a sequence may write mcycle
            byte[] s = p.scratch();
            for (int i = 0; i < s.length; i++) bus.write(SCRATCH + i, 1, s[i]);
            for (int i = 0; i < 4096; i += 8) bus.write(SCRATCH + 4096 + i, 8, 0);
            h.setPc(code);
        }

        Map<String, String> state() {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 1; i < 32; i++) m.put(Disassembler.xName(i), Long.toHexString(h.x(i)));
            for (int i = 0; i < 32; i++) m.put(Disassembler.fName(i), Long.toHexString(h.f(i)));
            m.put("fcsr", Long.toHexString(h.csr(FCSR)));
            m.put("mscratch", Long.toHexString(h.csr(MSCRATCH)));
            m.put("mstatus", Long.toHexString(h.csr(MSTATUS)));
            m.put("mcause", Long.toHexString(h.csr(MCAUSE)));
            m.put("mepc", Long.toHexString(h.csr(MEPC)));
            m.put("mtval", Long.toHexString(h.csr(MTVAL)));
            for (int csr : new int[] {MIE, SSCRATCH, SEPC, SCAUSE, STVAL}) m.put("csr " + Integer.toHexString(csr), Long.toHexString(h.csr(csr)));
            m.put("pc", Long.toHexString(h.pc()));
            for (long a = SCRATCH; a < SCRATCH + 8192; a += 8) m.put("mem " + Long.toHexString(a), Long.toHexString(bus.read(a, 8)));
            return m;
        }

        /**
         * Translated blocks that start inside the sequence (not its end's spin loop); the one place that knows
         * where the translator keeps them.
         */
        int translatedBlocks(int halfwords) {
            int n = 0;
            for (int slot = 0; slot < halfwords; slot++) {
                long a = code + 2L * slot;
                if (h.mmu.codePage(a).blocks[(int) (a & 0xfff) >>> 1] != null) n++;
            }
            return n;
        }

        @Override public void close() { bus.closeAll(); }
    }

    @Property(seed = "16016", tries = 20)
    void generatedSequencesAreValidForTheDecoder(@ForAll long seed) {
        // every generated halfword sequence decodes without falling off its end: the last instruction ends exactly there
        RandomProgram p = RandomProgram.generate(seed, MAX_LENGTH);
        List<Integer> hw = new ArrayList<>();
        p.encode(BASE, hw);
        int i = 0;
        while (i < hw.size()) i += (hw.get(i) & 3) == 3 ? 2 : 1;
        assertEquals(hw.size(), i);
    }
}
