package io.drydock.riscv.virt;

import io.drydock.kernel.clock.TimerScheduler;
import io.drydock.kernel.clock.VirtualClock;
import io.drydock.riscv.Hart;

import java.util.List;

/**
 * The SiFive CLINT at 0x2000000 (QEMU 7.2 virt): per-hart msip (+0, 4 bytes each), mtimecmp (+0x4000,
 * 8 bytes each) and mtime (+0xBFF8) counting at 10 MHz from the machine's virtual clock. Drives each hart's
 * MSIP and MTIP; a timer armed in the kernel's scheduler raises MTIP when mtime reaches mtimecmp.
 */
public final class Clint extends RegisterFile32 {
    public static final long BASE = 0x200_0000L, SIZE = 0x1_0000L;
    public static final long FREQUENCY = 10_000_000L;
    private static final long MSIP = 1L << 3, MTIP = 1L << 7;

    private final List<Hart> harts;
    private final VirtualClock clock;
    private final TimerScheduler timers;
    private final int[] msip;
    private final long[] mtimecmp;
    private final TimerScheduler.Timer[] armed;
    private long offset;

    /** @param harts filled by the board after construction (the harts read mtime from this CLINT) */
    public Clint(List<Hart> harts, int count, VirtualClock clock, TimerScheduler timers) {
        this.harts = harts;
        this.clock = clock;
        this.timers = timers;
        this.msip = new int[count];
        this.mtimecmp = new long[count];
        this.armed = new TimerScheduler.Timer[count];
        reset();
    }

    /** mtime: 10 MHz ticks of virtual time. Any thread. */
    public long mtime() { return clock.nanos() / 100 + offset; }

    public synchronized void reset() {
        offset = 0;
        for (int h = 0; h < msip.length; h++) {
            msip[h] = 0;
            mtimecmp[h] = -1L; // QEMU resets mtimecmp to all ones: no timer interrupt until programmed
            if (armed[h] != null) armed[h].cancel();
            armed[h] = null;
            if (h < harts.size()) harts.get(h).setInterrupt(MSIP | MTIP, false);
        }
    }

    @Override protected int readWord(long off) {
        if (off < 0x4000) {
            int h = (int) (off >> 2);
            return h < msip.length ? msip[h] : 0;
        }
        if (off >= 0x4000 && off < 0xBFF8) {
            int h = (int) ((off - 0x4000) >> 3);
            if (h >= mtimecmp.length) return 0;
            return (off & 4) == 0 ? (int) mtimecmp[h] : (int) (mtimecmp[h] >>> 32);
        }
        if (off == 0xBFF8) return (int) mtime();
        if (off == 0xBFFC) return (int) (mtime() >>> 32);
        return 0;
    }

    @Override protected void writeWord(long off, int value, int mask) {
        if (off < 0x4000) {
            int h = (int) (off >> 2);
            if (h >= msip.length) return;
            msip[h] = merge(msip[h], value, mask) & 1;
            harts.get(h).setInterrupt(MSIP, msip[h] != 0);
        } else if (off >= 0x4000 && off < 0xBFF8) {
            int h = (int) ((off - 0x4000) >> 3);
            if (h >= mtimecmp.length) return;
            long v = mtimecmp[h];
            if ((off & 4) == 0) v = (v & 0xffff_ffff_0000_0000L) | (merge((int) v, value, mask) & 0xffff_ffffL);
            else v = (v & 0xffff_ffffL) | ((long) merge((int) (v >>> 32), value, mask) << 32);
            mtimecmp[h] = v;
            update(h);
        } else if (off == 0xBFF8 || off == 0xBFFC) {
            long now = mtime();
            long v = off == 0xBFF8 ? (now & 0xffff_ffff_0000_0000L) | (merge((int) now, value, mask) & 0xffff_ffffL)
                    : (now & 0xffff_ffffL) | ((long) merge((int) (now >>> 32), value, mask) << 32);
            offset += v - now;
            for (int h = 0; h < mtimecmp.length; h++) update(h);
        }
    }

    /** MTIP = mtime ≥ mtimecmp (unsigned); otherwise arm a timer for the deadline. */
    private synchronized void update(int h) {
        if (armed[h] != null) armed[h].cancel();
        armed[h] = null;
        long now = mtime();
        long cmp = mtimecmp[h];
        if (Long.compareUnsigned(now, cmp) >= 0) {
            harts.get(h).setInterrupt(MTIP, true);
            return;
        }
        harts.get(h).setInterrupt(MTIP, false);
        long ticks = cmp - offset;
        if (ticks < 0 || ticks > Long.MAX_VALUE / 100) return; // beyond any reachable time
        armed[h] = timers.schedule(ticks * 100, () -> update(h));
    }
}
