package io.drydock.riscv.virt;

import io.drydock.kernel.clock.TimerScheduler;
import io.drydock.kernel.clock.VirtualClock;
import io.drydock.kernel.irq.InterruptLine;

/**
 * The goldfish RTC at 0x101000 on PLIC line 11 (QEMU hw/rtc/goldfish_rtc.c): TIME_LOW (0x00, latches
 * TIME_HIGH), TIME_HIGH (0x04) in ns since the epoch from the host wall clock; ALARM_LOW/HIGH (0x08/0x0c,
 * writing ALARM_LOW arms the alarm), IRQ_ENABLED (0x10), CLEAR_ALARM (0x14), ALARM_STATUS (0x18),
 * CLEAR_INTERRUPT (0x1c). Writing TIME sets an offset from the host clock.
 */
public final class GoldfishRtc extends RegisterFile32 {
    public static final long BASE = 0x10_1000L, SIZE = 0x1000;
    public static final int IRQ = 11;

    private final InterruptLine irq;
    private final VirtualClock clock;
    private final TimerScheduler timers;
    private long offset, alarm, latchedHigh;
    private int irqEnabled;
    private boolean alarmRunning, irqPending;
    private TimerScheduler.Timer timer;

    public GoldfishRtc(InterruptLine irq, VirtualClock clock, TimerScheduler timers) {
        this.irq = irq;
        this.clock = clock;
        this.timers = timers;
    }

    private long now() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano() + offset;
    }

    public synchronized void reset() {
        offset = alarm = latchedHigh = 0;
        irqEnabled = 0;
        alarmRunning = irqPending = false;
        if (timer != null) timer.cancel();
        irq.set(false);
    }

    @Override protected int readWord(long off) {
        return switch ((int) off) {
            case 0x00 -> {
                long t = now();
                latchedHigh = t >>> 32;
                yield (int) t;
            }
            case 0x04 -> (int) latchedHigh;
            case 0x08 -> (int) alarm;
            case 0x0c -> (int) (alarm >>> 32);
            case 0x10 -> irqEnabled;
            case 0x18 -> alarmRunning ? 1 : 0;
            default -> 0;
        };
    }

    @Override protected void writeWord(long off, int value, int mask) {
        switch ((int) off) {
            case 0x00 -> offset += ((now() & 0xffff_ffff_0000_0000L) | (value & 0xffff_ffffL)) - now();
            case 0x04 -> offset += (((long) value << 32) | (now() & 0xffff_ffffL)) - now();
            case 0x08 -> {
                alarm = (alarm & 0xffff_ffff_0000_0000L) | (value & 0xffff_ffffL);
                arm();
            }
            case 0x0c -> alarm = (alarm & 0xffff_ffffL) | ((long) value << 32);
            case 0x10 -> { irqEnabled = value & 1; updateIrq(); }
            case 0x14 -> { alarmRunning = false; if (timer != null) timer.cancel(); }
            case 0x1c -> { irqPending = false; updateIrq(); }
            default -> { }
        }
    }

    private void arm() {
        if (timer != null) timer.cancel();
        long delay = alarm - now();
        alarmRunning = true;
        if (delay <= 0) {
            fire();
            return;
        }
        timer = timers.schedule(clock.nanos() + delay, this::fireLocked);
    }

    private synchronized void fireLocked() { fire(); }

    private void fire() {
        alarmRunning = false;
        irqPending = true;
        updateIrq();
    }

    private void updateIrq() { irq.set(irqPending && irqEnabled != 0); }
}
