package io.drydock.riscv.virt;

import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.irq.InterruptLine;
import io.drydock.riscv.Hart;

import java.util.List;

/**
 * The SiFive PLIC at 0xc000000 (QEMU 7.2 virt; RISC-V PLIC spec 1.0.0): 96 sources (1..95), 3-bit
 * priorities at +4·i, pending bits at +0x1000, per-context enables at +0x2000 + 0x80·ctx, threshold at
 * +0x200000 + 0x1000·ctx and claim/complete 4 bytes after it. Context 2h is hart h's M-mode (MEIP), 2h+1
 * its S-mode (SEIP). Sources are level-triggered: a source is pending while its line is high and it is not
 * claimed; completing it re-arms it.
 *
 * <p>The board offers it as the kernel {@link InterruptController}; lines are safe from any thread.
 */
public final class Plic extends RegisterFile32 implements InterruptController {
    public static final long BASE = 0xc00_0000L, SIZE = 0x60_0000L;
    public static final int SOURCES = 96;
    private static final long MEIP = 1L << 11, SEIP = 1L << 9;

    private final List<Hart> harts;
    private final int contexts;
    private final int[] priority = new int[SOURCES];
    private final boolean[] level = new boolean[SOURCES];
    private final boolean[] claimed = new boolean[SOURCES];
    private final int[][] enable;
    private final int[] threshold;

    public Plic(List<Hart> harts) {
        this.harts = harts;
        this.contexts = 2 * harts.size();
        this.enable = new int[contexts][SOURCES / 32];
        this.threshold = new int[contexts];
    }

    @Override public String name() { return "plic"; }

    @Override public int sources() { return SOURCES; }

    @Override public InterruptLine line(int source) {
        if (source < 1 || source >= SOURCES) throw new IllegalArgumentException("plic: no source " + source + " (1.." + (SOURCES - 1) + ")");
        return asserted -> setLevel(source, asserted);
    }

    private synchronized void setLevel(int source, boolean asserted) {
        if (level[source] == asserted) return;
        level[source] = asserted;
        update();
    }

    public synchronized void reset() {
        java.util.Arrays.fill(priority, 0);
        java.util.Arrays.fill(claimed, false);
        for (int[] e : enable) java.util.Arrays.fill(e, 0);
        java.util.Arrays.fill(threshold, 0);
        update();
    }

    private boolean pending(int s) { return level[s] && !claimed[s]; }

    private boolean enabled(int ctx, int s) { return ((enable[ctx][s >> 5] >>> (s & 31)) & 1) != 0; }

    /** The best pending, enabled source above the threshold (ties: the lowest id), or 0. */
    private int best(int ctx) {
        int best = 0, bestPrio = threshold[ctx];
        for (int s = 1; s < SOURCES; s++) {
            if (pending(s) && enabled(ctx, s) && priority[s] > bestPrio) {
                best = s;
                bestPrio = priority[s];
            }
        }
        return best;
    }

    private void update() {
        for (int ctx = 0; ctx < contexts; ctx++) {
            harts.get(ctx >> 1).setInterrupt((ctx & 1) == 0 ? MEIP : SEIP, best(ctx) != 0);
        }
    }

    @Override protected int readWord(long off) {
        if (off < 0x1000) return priority[(int) (off >> 2) % SOURCES];
        if (off >= 0x1000 && off < 0x1000 + SOURCES / 8) {
            int w = (int) ((off - 0x1000) >> 2), bits = 0;
            for (int b = 0; b < 32; b++) if (w * 32 + b < SOURCES && pending(w * 32 + b)) bits |= 1 << b;
            return bits;
        }
        if (off >= 0x2000 && off < 0x2000 + 0x80L * contexts) {
            int ctx = (int) ((off - 0x2000) / 0x80), w = (int) (((off - 0x2000) % 0x80) >> 2);
            return w < enable[ctx].length ? enable[ctx][w] : 0;
        }
        if (off >= 0x200000 && off < 0x200000 + 0x1000L * contexts) {
            int ctx = (int) ((off - 0x200000) >> 12);
            int reg = (int) (off & 0xfff);
            if (reg == 0) return threshold[ctx];
            if (reg == 4) { // claim
                int s = best(ctx);
                if (s != 0) claimed[s] = true;
                update();
                return s;
            }
        }
        return 0;
    }

    @Override protected void writeWord(long off, int value, int mask) {
        if (off < 0x1000) {
            int s = (int) (off >> 2);
            if (s > 0 && s < SOURCES) priority[s] = merge(priority[s], value, mask) & 7;
        } else if (off >= 0x2000 && off < 0x2000 + 0x80L * contexts) {
            int ctx = (int) ((off - 0x2000) / 0x80), w = (int) (((off - 0x2000) % 0x80) >> 2);
            if (w < enable[ctx].length) enable[ctx][w] = merge(enable[ctx][w], value, mask) & (w == 0 ? ~1 : -1);
        } else if (off >= 0x200000 && off < 0x200000 + 0x1000L * contexts) {
            int ctx = (int) ((off - 0x200000) >> 12);
            int reg = (int) (off & 0xfff);
            if (reg == 0) threshold[ctx] = merge(threshold[ctx], value, mask) & 7;
            else if (reg == 4) { // complete: ignored unless the source is enabled for this context (PLIC spec §9)
                int s = value;
                if (s > 0 && s < SOURCES && enabled(ctx, s)) claimed[s] = false;
            }
        }
        update();
    }
}
