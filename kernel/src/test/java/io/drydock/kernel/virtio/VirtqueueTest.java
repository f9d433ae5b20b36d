package io.drydock.kernel.virtio;

import io.drydock.kernel.testing.VirtqueueDriver;
import io.drydock.kernel.testing.VirtqueueDriver.Buf;
import io.drydock.kernel.testing.VirtqueueDriver.Used;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Split virtqueues (virtio 1.2 §2.7) against the test driver: well-formed traffic and suppression. */
class VirtqueueTest {
    private static final long NO_EVENT_IDX = 1 | VirtioFeatures.bit(VirtioFeatures.VERSION_1) | VirtioFeatures.bit(VirtioFeatures.INDIRECT_DESC);

    @Test void plainChainIsParsedCompletedAndInterrupts() {
        try (Bench b = new Bench(8).start(NO_EVENT_IDX)) {
            long req = b.q0.allocWith("hello".getBytes(StandardCharsets.US_ASCII));
            long resp = b.q0.alloc(16);
            int head = b.q0.add(Buf.in(req, 5), Buf.out(resp, 16));

            DescriptorChain c = b.queue(0).pop();
            assertEquals(head, c.head());
            assertEquals(List.of(new GuestRange(req, 5)), c.readable());
            assertEquals(List.of(new GuestRange(resp, 16)), c.writable());
            byte[] in = new byte[5];
            c.reader().readFully(in);
            assertEquals("hello", new String(in, StandardCharsets.US_ASCII));
            ChainWriter w = c.writer();
            w.write("HI".getBytes(StandardCharsets.US_ASCII));
            b.queue(0).complete(c, w.written());

            assertEquals(List.of(new Used(head, 2)), b.q0.pollUsed());
            assertEquals("HI", new String(b.q0.read(resp, 2), StandardCharsets.US_ASCII));
            assertTrue(b.line.level());
            assertEquals(1, b.core.readIsrAndClear());
            assertFalse(b.line.level());
            assertNull(b.queue(0).pop());
            assertEquals(1, b.counter("virtq.manual.0.chains"));
            assertEquals(1, b.counter("virtq.manual.0.interrupts"));
            assertEquals(5, b.counter("virtq.manual.0.bytes_read"));
            assertEquals(2, b.counter("virtq.manual.0.bytes_written"));
        }
    }

    @Test void chainedBuffersReadAndWriteAcrossSegments() {
        try (Bench b = new Bench(8).start(NO_EVENT_IDX)) {
            long r1 = b.q0.allocWith(new byte[]{1, 2, 3});
            long r2 = b.q0.allocWith(new byte[]{4, 5, 6, 7, 8});
            long r3 = b.q0.allocWith(new byte[]{9, 10});
            long w1 = b.q0.alloc(3), w2 = b.q0.alloc(4);
            b.q0.add(Buf.in(r1, 3), Buf.in(r2, 5), Buf.in(r3, 2), Buf.out(w1, 3), Buf.out(w2, 4));

            DescriptorChain c = b.queue(0).pop();
            assertEquals(3, c.readable().size());
            assertEquals(10, c.readableLength());
            assertEquals(7, c.writableLength());
            ChainReader r = c.reader();
            assertEquals(0x0201, r.read16());
            assertEquals(0x06050403, r.read32());
            byte[] rest = new byte[4];
            r.readFully(rest);
            assertArrayEquals(new byte[]{7, 8, 9, 10}, rest);
            assertEquals(0, r.remaining());
            assertThrows(IndexOutOfBoundsException.class, () -> c.reader().skip(11));

            ChainWriter w = c.writer();
            w.write32(0x44332211);
            w.fill(3, (byte) 0x55);
            assertEquals(7, w.written());
            assertArrayEquals(new byte[]{0x11, 0x22, 0x33}, b.q0.read(w1, 3));
            assertArrayEquals(new byte[]{0x44, 0x55, 0x55, 0x55}, b.q0.read(w2, 4));
            b.queue(0).complete(c, 7);
            assertEquals(7, b.q0.pollUsed().getFirst().len());
        }
    }

    @Test void indirectTablesAndDirectThenIndirect() {
        try (Bench b = new Bench(8).start(NO_EVENT_IDX)) {
            long r = b.q0.allocWith(new byte[]{1, 2, 3, 4});
            long w = b.q0.alloc(8);
            int head = b.q0.addIndirect(List.of(Buf.in(r, 2), Buf.in(r + 2, 2), Buf.out(w, 8)));
            b.q0.publish(head);
            DescriptorChain c = b.queue(0).pop();
            assertEquals(head, c.head());
            assertEquals(List.of(new GuestRange(r, 2), new GuestRange(r + 2, 2)), c.readable());
            assertEquals(List.of(new GuestRange(w, 8)), c.writable());
            b.queue(0).complete(c, 0);

            // a direct readable descriptor followed by an indirect table (virtio 1.2 §2.7.5.3.2)
            long table = b.q0.alloc(16);
            b.q0.writeDesc(table, 0, w, 8, VirtqueueDriver.F_WRITE, 0);
            b.q0.reserve(5);
            b.q0.reserve(6);
            b.q0.writeDesc(5, r, 4, VirtqueueDriver.F_NEXT, 6);
            b.q0.writeDesc(6, table, 16, VirtqueueDriver.F_INDIRECT | VirtqueueDriver.F_WRITE, 0);
            b.q0.publish(5);
            DescriptorChain d = b.queue(0).pop();
            assertEquals(List.of(new GuestRange(r, 4)), d.readable());
            assertEquals(List.of(new GuestRange(w, 8)), d.writable());
            assertEquals(0, b.control.faults.size());
        }
    }

    @Test void indicesWrapAround16Bits() {
        try (Bench b = new Bench(4).start(NO_EVENT_IDX)) {
            long buf = b.q0.alloc(8);
            Virtqueue q = b.queue(0);
            for (int i = 0; i < 65536 + 10; i++) {
                b.q0.add(Buf.out(buf, 8));
                DescriptorChain c = q.pop();
                q.addUsed(c, i & 7);
                List<Used> used = b.q0.pollUsed();
                assertEquals(1, used.size());
                assertEquals(i & 7, used.getFirst().len());
            }
            assertEquals(10, b.q0.availIdx());
            assertEquals(10, b.q0.usedIdx());
            assertNull(q.pop());
            assertEquals(0, b.control.faults.size());
        }
    }

    @Test void availFlagNoInterruptSuppressesInterrupts() {
        try (Bench b = new Bench(8).start(NO_EVENT_IDX)) {
            long buf = b.q0.alloc(8);
            b.q0.setNoInterrupt(true);
            b.q0.add(Buf.out(buf, 8));
            Virtqueue q = b.queue(0);
            q.complete(q.pop(), 1);
            assertFalse(b.line.level());
            b.q0.setNoInterrupt(false);
            b.q0.add(Buf.out(buf, 8));
            q.complete(q.pop(), 1);
            assertTrue(b.line.level());
            assertEquals(1, b.counter("virtq.manual.0.interrupts"));
        }
    }

    @Test void usedFlagNoNotifySuppressesNotifications() {
        try (Bench b = new Bench(8).start(NO_EVENT_IDX)) {
            Virtqueue q = b.queue(0);
            long buf = b.q0.alloc(8);
            assertTrue(b.q0.shouldNotify(false, 0, 1));
            q.disableNotifications();
            assertTrue(b.q0.noNotify());
            assertFalse(b.q0.shouldNotify(false, 0, 1));
            b.q0.add(Buf.out(buf, 8));
            assertTrue(q.enableNotifications(), "a chain arrived while notifications were off");
            assertFalse(b.q0.noNotify());
            assertTrue(q.pop() != null);
            assertFalse(q.enableNotifications());
        }
    }

    @Test void eventIdxSuppressesInterruptsUntilUsedEventIsPassed() {
        try (Bench b = new Bench(8).start()) {
            assertTrue(b.device.context.hasFeature(VirtioFeatures.EVENT_IDX));
            Virtqueue q = b.queue(0);
            long buf = b.q0.alloc(8);
            b.q0.setNoInterrupt(true); // ignored with EVENT_IDX (§2.7.7)
            b.q0.setUsedEvent(0);
            b.q0.add(Buf.out(buf, 8));
            q.complete(q.pop(), 0);          // used idx 1 crosses used_event 0
            assertEquals(1, b.counter("virtq.manual.0.interrupts"));
            b.q0.setUsedEvent(3);            // interrupt me once used idx passes 3
            for (int i = 0; i < 2; i++) {
                b.q0.add(Buf.out(buf, 8));
                q.complete(q.pop(), 0);      // used idx 2, 3: no interrupt
            }
            assertEquals(1, b.counter("virtq.manual.0.interrupts"));
            b.q0.add(Buf.out(buf, 8));
            q.complete(q.pop(), 0);          // used idx 4 passes 3
            assertEquals(2, b.counter("virtq.manual.0.interrupts"));
            b.q0.add(Buf.out(buf, 8));
            q.complete(q.pop(), 0);          // used idx 5: event 3 already passed, no new interrupt
            assertEquals(2, b.counter("virtq.manual.0.interrupts"));
        }
    }

    @Test void eventIdxSuppressesNotificationsThroughAvailEvent() {
        try (Bench b = new Bench(8).start()) {
            Virtqueue q = b.queue(0);
            long buf = b.q0.alloc(8);
            assertTrue(b.q0.shouldNotify(true, 0, 1)); // avail_event 0
            b.q0.add(Buf.out(buf, 8));
            assertTrue(q.pop() != null);
            assertEquals(1, b.q0.availEvent(), "the device asks for a notification after slot 1");
            q.disableNotifications();                  // avail_event stays at 1
            b.q0.add(Buf.out(buf, 8));
            assertTrue(b.q0.shouldNotify(true, 1, 2));  // crosses 1: the driver notifies once more
            b.q0.add(Buf.out(buf, 8));
            assertFalse(b.q0.shouldNotify(true, 2, 3)); // suppressed
            assertTrue(q.enableNotifications());       // chains are waiting
            assertEquals(1, b.q0.availEvent());
            int drained = 0;
            while (q.pop() != null) drained++;
            assertEquals(2, drained);
            assertEquals(3, b.q0.availEvent());
        }
    }

    @Test void drainHandlesEverythingAndInterruptsOnce() {
        try (Bench b = new Bench(8).start(NO_EVENT_IDX)) {
            long buf = b.q0.alloc(8);
            for (int i = 0; i < 5; i++) b.q0.add(Buf.out(buf, 8));
            b.device.onNotify = q -> q.drain(c -> 3);
            b.core.notify(0);
            assertEquals(5, b.q0.pollUsed().size());
            assertEquals(1, b.counter("virtq.manual.0.notifications"));
            assertEquals(1, b.counter("virtq.manual.0.interrupts"));
            assertEquals(5, b.counter("virtq.manual.0.chains"));
            assertFalse(b.q0.noNotify());
        }
    }

    @Test void completingAfterResetIsDropped() {
        try (Bench b = new Bench(8).start(NO_EVENT_IDX)) {
            long buf = b.q0.alloc(8);
            b.q0.add(Buf.out(buf, 8));
            Virtqueue q = b.queue(0);
            DescriptorChain c = q.pop();
            b.core.writeStatus(0);
            assertEquals(List.of("activate", "reset"), b.device.events);
            q.complete(c, 8);
            assertEquals(0, b.q0.usedIdx());
            assertNull(q.pop());
        }
    }

    @Test void usedLengthBeyondTheWritableBytesIsADeviceBug() {
        try (Bench b = new Bench(8).start(NO_EVENT_IDX)) {
            long buf = b.q0.alloc(8);
            b.q0.add(Buf.out(buf, 8));
            Virtqueue q = b.queue(0);
            DescriptorChain c = q.pop();
            assertThrows(IllegalArgumentException.class, () -> q.complete(c, 9));
        }
    }

    @Test void needEventMatchesTheSpecFormula() {
        assertTrue(Virtqueue.needEvent(0, 1, 0));
        assertFalse(Virtqueue.needEvent(5, 5, 4));
        assertTrue(Virtqueue.needEvent(5, 6, 4));
        assertTrue(Virtqueue.needEvent(0xffff, 0, 0xfffe)); // wraps
        assertFalse(Virtqueue.needEvent(10, 3, 1));
    }
}
