package io.drydock.riscv;

import static io.drydock.riscv.Op.*;

/**
 * Region formation: the instructions one translated {@link Block} covers, chosen from the decoded code page
 * before any bytecode is written. A region starts at a hot entry and takes the following instructions in
 * address order — across conditional branches (the taken side becomes an internal jump when its target is
 * in the region, else a side exit) and across unconditional jumps when a branch of the region lands after
 * them (if/else shapes). It ends before an instruction the translator does not handle (system, a CSR write
 * that is not quiet ({@link Csrs#quiet(long)}), illegal, page-crossing: the interpreter runs those), at the
 * end of the page, at {@link #max} instructions,
 * or at the first instruction nothing in the region reaches. A call (jal/jalr writing x1 or x5) neither ends it
 * nor jumps inside it: the instructions after it are where the callee returns to ({@link Block}, "Calls and
 * returns"; {@code -Ddrydock.jit.calls=0}: a call ends the region like any jump).
 *
 * <p>A branch back to an instruction of the region (the region's own start or an inner loop head) is a
 * back edge: the region is a JVM loop there, with the budget check of {@link Translator}.
 *
 * @param ws       the decoded words, in address order
 * @param offs     each instruction's byte offset from the region's start pc
 * @param target   for a branch or jal: the index of its target in the region, or -1 (an exit)
 * @param label    instructions that are the target of an internal jump (merge points)
 * @param used     integer registers read or written (bit r), loaded into JVM locals on entry
 * @param written  integer registers that may be written, stored back on every exit
 */
record Region(long[] ws, short[] offs, int[] target, boolean[] label, int used, int written) {
    /**
     * Instructions per region (at most; each runs at most once per pass through the region):
     * {@code -Ddrydock.jit.region=N}, 1–2048 (a page's worth of compressed instructions; a region ends at its
     * page's end), default 16. Chosen by measurement (docs/speed.md, "Regions across branches by default"): with
     * 16 the suite's translated-code workloads spent about a fifth less hart CPU than with basic blocks, with 24,
     * 32 and 96 less or nothing (a long region is a large method that C2 compiles later and never inlines into
     * the region that chains to it). Volatile only for the differential test, which also runs 96.
     */
    static volatile int max = JitProperty.integer("drydock.jit.region", 16, 1, 2048);
    /** {@code -Ddrydock.jit.regions=false|true|loops}, default true; any other value is an error ({@link JitProperty}). */
    private static final String REGIONS = JitProperty.choice("drydock.jit.regions", "true", "false", "true", "loops");
    /**
     * true (the default; {@code -Ddrydock.jit.regions=true}): regions run across branches, with loops inside,
     * up to {@link #max} instructions. {@code -Ddrydock.jit.regions=false}: a region ends after its first jump
     * or branch — one basic block, registers still in locals (the default until session 7: docs/speed.md).
     */
    static volatile boolean acrossBranches = !REGIONS.equals("false");
    /** With {@link #acrossBranches}: only regions that hold a loop ({@code -Ddrydock.jit.regions=loops}). */
    static volatile boolean loopsOnly = REGIONS.equals("loops");

    int count() { return ws.length; }

    /** The region starting at {@code pc} on {@code page} (decoding slots as needed), or null when empty. */
    static Region form(Mmu mmu, CodePage page, long pc, int max) {
        long[] ws = new long[max];
        short[] offs = new short[max];
        int n = 0, off = 0;
        int slot = (int) (pc & 0xfff) >>> 1;
        boolean across = acrossBranches;
        boolean calls = Block.callsInRegion();
        while (n < max && slot < 2048) {
            long w = page.ops[slot];
            if (w == 0) w = page.ops[slot] = mmu.decode(pc + off);
            // rv64gc.insn: not system, not interpreter-only; of the Zicsr accesses the quiet ones (no interrupt check due)
            if (!Insns.translatable(op(w)) && !(Insns.csr(op(w)) && Csrs.quiet(w))) break;
            ws[n] = w;
            offs[n++] = (short) off;
            off += len(w);
            slot += len(w) >>> 1;
            // a call goes on after itself: the callee returns into this region (Block, "Calls and returns")
            if (!across && Insns.jumps(op(w)) && !(calls && Block.isCall(w))) break;
        }
        if (n == 0) return null;
        // targets, then cut at the first instruction that nothing reaches (after a jal/jalr not jumped over)
        int[] target = new int[n];
        boolean[] reached = new boolean[n + 1];
        reached[0] = true;
        int cut = n;
        for (int i = 0; i < n; i++) {
            if (!reached[i]) { cut = i; break; }
            int op = op(ws[i]);
            target[i] = -1;
            boolean call = calls && Block.isCall(ws[i]);
            if (Insns.pcRelativeJump(op) && !call) {
                long t = offs[i] + (long) imm(ws[i]);
                target[i] = indexOf(offs, n, t);
                if (target[i] >= 0) reached[target[i]] = true;
            }
            if (!Insns.alwaysJumps(op) || call) reached[i + 1] = true;
        }
        if (across && loopsOnly) cut = loopCut(ws, target, cut);
        boolean[] label = new boolean[cut];
        int used = 0, written = 0;
        for (int i = 0; i < cut; i++) {
            if (target[i] >= cut) target[i] = -1; // beyond the cut: an exit
            if (target[i] >= 0) label[target[i]] = true;
            long w = ws[i];
            int reads = Insns.reads(w), writes = Insns.writes(w);
            used |= reads | writes;
            written |= writes;
        }
        used &= ~1;
        written &= ~1;
        return new Region(java.util.Arrays.copyOf(ws, cut), java.util.Arrays.copyOf(offs, cut),
                java.util.Arrays.copyOf(target, cut), label, used, written);
    }

    /**
     * Loops only: the region ends after its last back edge (a branch or jal to an instruction at or before it),
     * or, without one, after its first jump or branch (a basic block).
     */
    private static int loopCut(long[] ws, int[] target, int cut) {
        for (int i = cut - 1; i >= 0; i--) if (target[i] >= 0 && target[i] <= i) return i + 1;
        for (int i = 0; i < cut; i++) if (Insns.jumps(op(ws[i]))) return i + 1;
        return cut;
    }

    private static int indexOf(short[] offs, int n, long off) {
        for (int j = 0; j < n; j++) if (offs[j] == off) return j;
        return -1;
    }
}
