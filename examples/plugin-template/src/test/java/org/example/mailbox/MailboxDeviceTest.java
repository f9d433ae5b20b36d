package org.example.mailbox;

import io.drydock.kernel.bus.BusFault;
import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The device driven the way a guest drives it: through the system bus, at its base address. */
class MailboxDeviceTest {
    static final long BASE = 0x1000_2000L;

    final MetricsRegistry metrics = new MetricsRegistry();
    final SystemBus bus = new SystemBus(metrics);
    final List<Boolean> irq = new ArrayList<>();

    @BeforeEach void map() {
        bus.addDevice("mailbox", BASE, MailboxDevice.SIZE,
                new MailboxDevice(irq::add, metrics.counter("mailbox.doorbells", "doorbell rings")));
    }

    @Test void identifiesItself() {
        assertEquals(0x4d424f58L, bus.read(BASE + MailboxDevice.ID, 4));
    }

    @Test void theCounterIncrementsOnEveryRead() {
        assertEquals(0, bus.read(BASE + MailboxDevice.COUNTER, 4));
        assertEquals(1, bus.read(BASE + MailboxDevice.COUNTER, 4));
        assertEquals(2, bus.read(BASE + MailboxDevice.COUNTER, 4));
        bus.write(BASE + MailboxDevice.COUNTER, 4, 99); // read-only: ignored
        assertEquals(3, bus.read(BASE + MailboxDevice.COUNTER, 4));
    }

    @Test void scratchHoldsWhatWasWritten() {
        bus.write(BASE + MailboxDevice.SCRATCH, 4, 0xdead_beefL);
        assertEquals(0xdead_beefL, bus.read(BASE + MailboxDevice.SCRATCH, 4));
    }

    @Test void theDoorbellRaisesTheLineUntilAcknowledged() {
        bus.write(BASE + MailboxDevice.DOORBELL, 4, 7);
        assertEquals(List.of(true), irq);
        assertEquals(1, bus.read(BASE + MailboxDevice.STATUS, 4));
        assertEquals(7, bus.read(BASE + MailboxDevice.DOORBELL, 4));
        bus.write(BASE + MailboxDevice.STATUS, 4, 1);
        assertEquals(List.of(true, false), irq);
        assertEquals(0, bus.read(BASE + MailboxDevice.STATUS, 4));
        bus.write(BASE + MailboxDevice.STATUS, 4, 1); // nothing pending: no edge
        assertEquals(2, irq.size());
        assertEquals(1L, metrics.numbers().get("mailbox.doorbells"));
        assertEquals(3L, metrics.numbers().get("mmio.mailbox.writes"), "the bus counts MMIO writes per device");
    }

    @Test void onlyAligned32BitAccessesAreDecoded() {
        assertThrows(BusFault.class, () -> bus.read(BASE + MailboxDevice.SCRATCH, 2));
        assertThrows(BusFault.class, () -> bus.write(BASE + 2, 4, 1));
        assertEquals(0, bus.read(BASE + 0x100, 4), "unused offsets read as zero");
    }
}
