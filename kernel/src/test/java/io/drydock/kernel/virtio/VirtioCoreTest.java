package io.drydock.kernel.virtio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status state machine, feature negotiation and configuration access (virtio 1.2 §2.1–§2.5, §3.1). */
class VirtioCoreTest {
    private static final long V1 = VirtioFeatures.bit(VirtioFeatures.VERSION_1);

    @Test void offersVersion1AndOnlyImplementedTransportBits() {
        try (Bench b = new Bench(8, 1 | VirtioFeatures.bit(VirtioFeatures.RING_PACKED) | VirtioFeatures.bit(VirtioFeatures.EVENT_IDX))) {
            assertEquals(1 | V1 | VirtioFeatures.bit(VirtioFeatures.EVENT_IDX), b.core.offeredFeatures());
            assertEquals(1 | (1 << VirtioFeatures.EVENT_IDX), b.core.deviceFeatures(0));
            assertEquals(1, b.core.deviceFeatures(1));
            assertEquals(0, b.core.deviceFeatures(2));
        }
    }

    @Test void featuresOkRequiresVersion1() {
        try (Bench b = new Bench(8)) {
            b.layout();
            int status = b.negotiate(1);
            assertEquals(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER, status, "FEATURES_OK refused");
        }
    }

    @Test void featuresOkRefusesBitsNotOffered() {
        try (Bench b = new Bench(8)) {
            b.layout();
            int status = b.negotiate(V1 | 2);
            assertEquals(0, status & VirtioStatus.FEATURES_OK);
            assertEquals(0, b.counter("virtio.manual.needs_reset"), "a refused negotiation is not a fault");
        }
    }

    @Test void fullInitialisationActivatesAndResetDeactivates() {
        try (Bench b = new Bench(8).start(V1 | 1)) {
            assertEquals(0x0f, b.core.status());
            assertTrue(b.core.lifecycle() instanceof DeviceLifecycle.Active);
            assertEquals(V1 | 1, b.device.context.features());
            assertEquals(2, b.device.context.queues().size());
            // driver features are frozen after FEATURES_OK; queue registers after DRIVER_OK
            b.core.setDriverFeatures(0, 0);
            assertEquals(V1 | 1, b.core.driverFeatures());
            b.core.setQueueSize(0, 4);
            assertEquals(8, b.core.queueSize(0));
            // the driver cannot clear bits or set NEEDS_RESET
            b.core.writeStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DEVICE_NEEDS_RESET);
            assertEquals(0x0f, b.core.status());

            b.core.writeStatus(0);
            assertEquals(0, b.core.status());
            assertTrue(b.core.lifecycle() instanceof DeviceLifecycle.Inactive);
            assertEquals(256, b.core.queueSize(0), "queue_size reads the maximum after reset (§4.1.4.3.2)");
            assertFalse(b.core.queueReady(0));
            assertEquals(0, b.core.driverFeatures());
        }
    }

    @Test void onlyEnabledQueuesAreActivated() {
        try (Bench b = new Bench(8)) {
            b.layout();
            b.core.setQueueReady(1, false);
            b.negotiate(b.core.offeredFeatures());
            b.core.writeStatus(0x0f);
            assertEquals(1, b.device.context.queues().size());
            assertEquals(null, b.device.context.queue(1));
            b.core.notify(1); // counted, ignored
            assertEquals(1, b.counter("virtq.manual.1.notifications"));
        }
    }

    @Test void absentQueuesReadZeroAndIgnoreWrites() {
        try (Bench b = new Bench(8)) {
            assertEquals(0, b.core.queueMaxSize(2));
            assertEquals(0, b.core.queueSize(-1));
            b.core.setQueueDesc(7, 0x1234);
            assertEquals(0, b.core.queueDesc(7));
            b.core.notify(9);
        }
    }

    @Test void configReadsAreBoundsCheckedAndGenerationFollowsChanges() {
        try (Bench b = new Bench(8).start()) {
            assertEquals(0x11223344L, b.core.readConfig(0, 4));
            assertEquals(0x22, b.core.readConfig(2, 1));
            assertEquals(0, b.core.readConfig(2, 4), "crosses the end");
            assertEquals(0, b.core.readConfig(-1, 1));
            int gen = b.core.configGeneration();
            b.device.context.configChanged();
            assertEquals(gen + 1, b.core.configGeneration());
            assertTrue(b.line.level());
            assertEquals(2, b.core.isr());
            b.core.ackIsr(2);
            assertFalse(b.line.level());
            assertEquals(1, b.counter("virtio.manual.config_interrupts"));
        }
    }

    @Test void aContextKeptPastResetDoesNothing() {
        try (Bench b = new Bench(8).start()) {
            ActiveContext stale = b.device.context;
            b.core.writeStatus(0);
            b.start();
            int gen = b.core.configGeneration();
            assertFalse(stale.current());
            stale.configChanged();
            stale.deviceError("late");
            assertEquals(gen, b.core.configGeneration());
            assertFalse(b.line.level());
            assertEquals(0x0f, b.core.status());
            assertTrue(b.device.context.current());
        }
    }

    @Test void snapshotShowsStatusFeaturesAndQueues() {
        try (Bench b = new Bench(8).start()) {
            String s = b.core.toString();
            assertTrue(s.contains("status 0x0f ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK"), s);
            assertTrue(s.contains("VERSION_1 EVENT_IDX INDIRECT_DESC"), s);
            assertTrue(s.contains("queue 1: size 8 (max 256) enabled"), s);
            assertTrue(s.contains(String.format("desc 0x%x", b.q1.descAddr())), s);
        }
    }
}
