package io.drydock.kernel.virtio;

import io.drydock.kernel.bus.BusRegion;
import io.drydock.kernel.testing.FakeGuestMemory;
import io.drydock.kernel.testing.VirtqueueDriver;
import io.drydock.kernel.testing.VirtqueueDriver.Buf;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.drydock.kernel.testing.VirtqueueDriver.F_INDIRECT;
import static io.drydock.kernel.testing.VirtqueueDriver.F_NEXT;
import static io.drydock.kernel.testing.VirtqueueDriver.F_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile guest (CONVENTIONS.md item 6): every malformed queue ends in DEVICE_NEEDS_RESET, one count of
 * {@code virtio.manual.needs_reset}, one machine fault naming the error, a configuration change interrupt
 * (virtio 1.2 §2.1.2) — and no exception out of the notification. A reset then brings the device back.
 */
class MalformedQueueTest {
    private static final long DRAM = FakeGuestMemory.DRAM_BASE;
    /** Reserved lazily (MAP_NORESERVE): room for two 2 GiB buffers whose total reaches 2^32. */
    private static final long RAM_SIZE = 3L << 30;
    private static final long NO_INDIRECT = 1 | VirtioFeatures.bit(VirtioFeatures.VERSION_1);

    private record Case(String name, VirtqueueError error, long features, Consumer<VirtqueueDriver> guest) {}

    private static Case c(String name, VirtqueueError error, Consumer<VirtqueueDriver> guest) {
        return new Case(name, error, -1, guest);
    }

    /** Publishes a chain whose descriptors the lambda wrote by hand, starting at {@code head}. */
    private static Consumer<VirtqueueDriver> raw(int head, Consumer<VirtqueueDriver> descs) {
        return d -> {
            descs.accept(d);
            d.publish(head);
        };
    }

    private static List<Case> cases() {
        long buf = DRAM + 0x200000;
        return List.of(
                c("self loop", VirtqueueError.DESCRIPTOR_LOOP, raw(0, d -> d.writeDesc(0, buf, 8, F_NEXT, 0))),
                c("two-descriptor loop", VirtqueueError.DESCRIPTOR_LOOP, raw(0, d -> {
                    d.writeDesc(0, buf, 8, F_NEXT, 1);
                    d.writeDesc(1, buf, 8, F_NEXT, 0);
                })),
                c("loop inside an indirect table", VirtqueueError.DESCRIPTOR_LOOP, raw(0, d -> {
                    long t = d.alloc(32);
                    d.writeDesc(t, 0, buf, 8, F_NEXT, 1);
                    d.writeDesc(t, 1, buf, 8, F_NEXT, 0);
                    d.writeDesc(0, t, 32, F_INDIRECT, 0);
                })),
                c("indirect table longer than the queue", VirtqueueError.CHAIN_TOO_LONG, raw(0, d -> {
                    long t = d.alloc(16 * 9);
                    d.writeDesc(0, t, 16 * 9, F_INDIRECT, 0);
                })),
                c("direct plus indirect longer than the queue", VirtqueueError.CHAIN_TOO_LONG, raw(0, d -> {
                    long t = d.alloc(16 * 8);
                    d.writeDesc(0, buf, 8, F_NEXT, 1);
                    d.writeDesc(1, t, 16 * 8, F_INDIRECT, 0);
                })),
                c("head out of range", VirtqueueError.DESCRIPTOR_INDEX_OUT_OF_RANGE, d -> d.publish(8)),
                c("next out of range", VirtqueueError.DESCRIPTOR_INDEX_OUT_OF_RANGE, raw(0, d -> d.writeDesc(0, buf, 8, F_NEXT, 200))),
                c("indirect next out of range", VirtqueueError.DESCRIPTOR_INDEX_OUT_OF_RANGE, raw(0, d -> {
                    long t = d.alloc(32);
                    d.writeDesc(t, 0, buf, 8, F_NEXT, 2);
                    d.writeDesc(0, t, 32, F_INDIRECT, 0);
                })),
                c("indirect length not a multiple of 16", VirtqueueError.INDIRECT_BAD_LENGTH, raw(0, d -> d.writeDesc(0, d.alloc(32), 17, F_INDIRECT, 0))),
                c("indirect length zero", VirtqueueError.INDIRECT_BAD_LENGTH, raw(0, d -> d.writeDesc(0, d.alloc(32), 0, F_INDIRECT, 0))),
                c("nested indirect", VirtqueueError.NESTED_INDIRECT, raw(0, d -> {
                    long t = d.alloc(16);
                    d.writeDesc(t, 0, t, 16, F_INDIRECT, 0);
                    d.writeDesc(0, t, 16, F_INDIRECT, 0);
                })),
                c("indirect with next", VirtqueueError.INDIRECT_WITH_NEXT, raw(0, d -> {
                    long t = d.alloc(16);
                    d.writeDesc(t, 0, buf, 8, 0, 0);
                    d.writeDesc(0, t, 16, F_INDIRECT | F_NEXT, 1);
                })),
                new Case("indirect not negotiated", VirtqueueError.INDIRECT_NOT_NEGOTIATED, NO_INDIRECT, raw(0, d -> {
                    long t = d.alloc(16);
                    d.writeDesc(t, 0, buf, 8, 0, 0);
                    d.writeDesc(0, t, 16, F_INDIRECT, 0);
                })),
                c("total length reaches 2^32", VirtqueueError.TOTAL_LENGTH_OVERFLOW, raw(0, d -> {
                    d.writeDesc(0, DRAM, 0x8000_0000L, F_NEXT, 1);
                    d.writeDesc(1, DRAM, 0x8000_0000L, F_WRITE, 0);
                })),
                c("buffer below RAM", VirtqueueError.ADDRESS_OUT_OF_RAM, raw(0, d -> d.writeDesc(0, 0x1000, 8, 0, 0))),
                c("buffer across the end of RAM", VirtqueueError.ADDRESS_OUT_OF_RAM, raw(0, d -> d.writeDesc(0, DRAM + RAM_SIZE - 4, 8, F_WRITE, 0))),
                c("buffer address wraps", VirtqueueError.ADDRESS_OUT_OF_RAM, raw(0, d -> d.writeDesc(0, -4, 8, 0, 0))),
                c("indirect table outside RAM", VirtqueueError.ADDRESS_OUT_OF_RAM, raw(0, d -> d.writeDesc(0, 0x1000_0000L, 32, F_INDIRECT, 0))),
                c("readable after writable", VirtqueueError.READABLE_AFTER_WRITABLE, raw(0, d -> {
                    d.writeDesc(0, buf, 8, F_WRITE | F_NEXT, 1);
                    d.writeDesc(1, buf, 8, 0, 0);
                })),
                c("readable after writable in an indirect table", VirtqueueError.READABLE_AFTER_WRITABLE, raw(0, d -> {
                    long t = d.alloc(32);
                    d.writeDesc(t, 0, buf, 8, F_WRITE | F_NEXT, 1);
                    d.writeDesc(t, 1, buf, 8, 0, 0);
                    d.writeDesc(0, t, 32, F_INDIRECT, 0);
                })),
                c("available index jumps past the queue size", VirtqueueError.AVAIL_INDEX_JUMP, d -> d.setAvailIdx(9)));
    }

    @TestFactory Stream<DynamicTest> everyMalformedChainNeedsReset() {
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            try (Bench b = new Bench(8, 1 | VirtioFeatures.RING_DEFAULT, RAM_SIZE)) {
                b.start(k.features() == -1 ? b.core.offeredFeatures() : k.features());
                int[] handled = {0};
                b.device.onNotify = q -> q.drain(ch -> { handled[0]++; return 0; });
                k.guest().accept(b.q0);
                b.core.notify(0); // must not throw

                assertEquals(0, handled[0]);
                assertNeedsReset(b, k.error(), true);
                assertTrue(b.queue(0).broken());
                assertTrue(b.queue(1).broken(), "NEEDS_RESET stops every queue");
                assertNull(b.queue(0).pop());
                b.core.notify(0);
                assertEquals(1, b.counter("virtio.manual.needs_reset"), "counted once per episode");
                recovers(b);
            }
        }));
    }

    private static void assertNeedsReset(Bench b, VirtqueueError error, boolean driverOk) {
        assertEquals(VirtioStatus.DEVICE_NEEDS_RESET, b.core.status() & VirtioStatus.DEVICE_NEEDS_RESET,
                "status " + VirtioStatus.describe(b.core.status()));
        assertEquals(driverOk, (b.core.status() & VirtioStatus.DRIVER_OK) != 0);
        assertEquals(1, b.counter("virtio.manual.needs_reset"));
        assertEquals(1, b.control.faults.size());
        assertEquals("manual", b.control.faults.getFirst().component());
        assertTrue(b.control.faults.getFirst().reason().contains(error.name()), b.control.faults.getFirst().reason());
        if (driverOk) {
            assertTrue(b.line.level(), "configuration change interrupt (§2.1.2)");
            assertEquals(2, b.core.readIsrAndClear());
        } else {
            assertFalse(b.line.level());
        }
        assertTrue(b.core.snapshot().toString().contains(error.name()));
    }

    /** After a reset the device works again. */
    private static void recovers(Bench b) {
        b.core.writeStatus(0);
        assertEquals(0, b.core.status());
        b.start();
        assertEquals(0x0f, b.core.status());
        long w = b.q0.alloc(4);
        b.q0.add(Buf.out(w, 4));
        Virtqueue q = b.queue(0);
        q.complete(q.pop(), 4);
        assertEquals(1, b.q0.pollUsed().size());
    }

    @Test void ringOutsideRamRefusesDriverOk() {
        try (Bench b = new Bench(8)) {
            b.layout();
            b.core.setQueueDesc(1, 0x1000);
            b.negotiate(b.core.offeredFeatures());
            b.core.writeStatus(0x0f);
            assertNeedsReset(b, VirtqueueError.RING_OUT_OF_RAM, false);
            assertEquals(List.of(), b.device.events, "never activated");
            recovers(b);
        }
    }

    @Test void misalignedRingRefusesDriverOk() {
        try (Bench b = new Bench(8)) {
            b.layout();
            b.core.setQueueUsed(0, b.q0.usedAddr() + 2);
            b.negotiate(b.core.offeredFeatures());
            b.core.writeStatus(0x0f);
            assertNeedsReset(b, VirtqueueError.RING_MISALIGNED, false);
        }
    }

    @Test void queueSizeNotAPowerOfTwoRefusesDriverOk() {
        try (Bench b = new Bench(8)) {
            b.layout();
            b.core.setQueueSize(0, 6);
            b.negotiate(b.core.offeredFeatures());
            b.core.writeStatus(0x0f);
            assertNeedsReset(b, VirtqueueError.QUEUE_SIZE_INVALID, false);
        }
    }

    @Test void driverOkWithoutFeaturesOk() {
        try (Bench b = new Bench(8)) {
            b.layout();
            b.core.writeStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER | VirtioStatus.DRIVER_OK);
            assertNeedsReset(b, VirtqueueError.DEVICE_ERROR, false);
        }
    }

    @Test void guestMemoryVanishingUnderAChainNeedsReset() {
        try (Bench b = new Bench(8).start()) {
            long w = b.q0.alloc(4);
            b.q0.add(Buf.out(w, 4));
            Virtqueue q = b.queue(0);
            DescriptorChain c = q.pop();
            BusRegion ram = b.ram.bus().regions().getFirst();
            b.ram.bus().detach(ram); // RAM gone (as a DAX range after REMOVEMAPPING)
            VirtqueueException e = assertThrows(VirtqueueException.class, () -> c.writer().write(new byte[4]));
            assertEquals(VirtqueueError.ADDRESS_OUT_OF_RAM, e.fault().error());
            assertEquals(1, b.counter("virtio.manual.needs_reset"));
            q.complete(c, 0); // dropped, no exception
            b.ram.bus().addRam("dram", DRAM, ((BusRegion.Ram) ram).region().backing());
        }
    }

    @Test void deviceErrorsFromTheDeviceNeedResetToo() {
        try (Bench b = new Bench(8).start()) {
            VirtqueueException e = b.device.context.deviceError("FUSE_INIT twice");
            assertEquals(VirtqueueFault.DEVICE, e.fault().queue());
            assertNeedsReset(b, VirtqueueError.DEVICE_ERROR, true);
        }
    }
}
