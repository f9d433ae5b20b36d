package org.example.mailbox;

import io.drydock.kernel.bus.BusDevice;
import io.drydock.kernel.bus.BusFault;
import io.drydock.kernel.irq.InterruptLine;
import io.drydock.kernel.metrics.Counter;

/**
 * A mailbox: five 32-bit little-endian registers a guest (or a script, through {@code machine.bus()})
 * reads and writes.
 *
 * <pre>
 * offset  name      access  meaning
 * 0x00    ID        R       0x4d424f58 ("MBOX")
 * 0x04    COUNTER   R       a count that increments after every read of it (0, 1, 2, ...)
 * 0x08    SCRATCH   RW      holds what was written
 * 0x0c    DOORBELL  RW      a write rings the bell: latches the value, sets STATUS.PENDING, raises the irq
 * 0x10    STATUS    RW      bit 0 PENDING; writing 1 to bit 0 acknowledges (clears it, lowers the irq)
 * </pre>
 *
 * Other offsets read as 0 and ignore writes; accesses other than 4 bytes are a {@link BusFault}.
 * Called on hart threads (several may access at once), so the state is guarded by this object.
 */
public final class MailboxDevice implements BusDevice {
    public static final long ID = 0x00, COUNTER = 0x04, SCRATCH = 0x08, DOORBELL = 0x0c, STATUS = 0x10;
    /** The region's size: one 4 KiB page, as most MMIO devices take. */
    public static final long SIZE = 0x1000;
    public static final int MAGIC = 0x4d424f58;

    private final InterruptLine irq;
    private final Counter doorbells;
    private int counter;
    private int scratch;
    private int doorbell;
    private boolean pending;

    /**
     * @param irq       raised while a doorbell is pending ({@link InterruptLine#none()} when not wired)
     * @param doorbells counts rings
     */
    public MailboxDevice(InterruptLine irq, Counter doorbells) {
        this.irq = irq;
        this.doorbells = doorbells;
    }

    @Override public synchronized long read(long offset, int size) {
        check(offset, size, false);
        int v = switch ((int) offset) {
            case (int) ID -> MAGIC;
            case (int) COUNTER -> counter++;
            case (int) SCRATCH -> scratch;
            case (int) DOORBELL -> doorbell;
            case (int) STATUS -> pending ? 1 : 0;
            default -> 0;
        };
        return v & 0xffff_ffffL;
    }

    @Override public void write(long offset, int size, long value) {
        check(offset, size, true);
        boolean raise = false, lower = false;
        synchronized (this) {
            switch ((int) offset) {
                case (int) SCRATCH -> scratch = (int) value;
                case (int) DOORBELL -> {
                    doorbell = (int) value;
                    pending = true;
                    doorbells.increment();
                    raise = true;
                }
                case (int) STATUS -> {
                    if ((value & 1) != 0 && pending) {
                        pending = false;
                        lower = true;
                    }
                }
                default -> { } // read-only or unused: ignored, as hardware does
            }
        }
        // Outside the lock: the interrupt controller may wake a hart, which must not wait for us.
        if (raise) irq.raise();
        if (lower) irq.lower();
    }

    private static void check(long offset, int size, boolean write) {
        if (size != 4 || (offset & 3) != 0) {
            throw new BusFault(offset, size, write, "mailbox decodes aligned 32-bit accesses only");
        }
    }

    /** The registers, for {@code :mailbox} and logs. */
    public synchronized String describe() {
        return String.format("counter=%d scratch=0x%08x doorbell=0x%08x pending=%b", counter, scratch, doorbell, pending);
    }
}
