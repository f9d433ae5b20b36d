package io.drydock.pci;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.testing.EchoDevice;
import io.drydock.kernel.testing.TestBoard;
import io.drydock.kernel.testing.TestLine;
import io.drydock.kernel.testing.VirtqueueDriver;
import io.drydock.kernel.testing.VirtqueueDriver.Buf;
import io.drydock.kernel.virtio.VirtioFeatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The echo device driven end to end over virtio-pci modern: init, queues, INTx through the ISR, config. */
class VirtioPciTest {
    private static final long RAM = TestBoard.DRAM_BASE;

    private Machine machine;
    private TestBoard board;
    private EchoPart part;
    private VirtioPciDriver drv;
    private VirtqueueDriver q0, q1;
    private long notify0, notify1;

    @BeforeEach void boot() {
        board = new TestBoard();
        part = new EchoPart(new EchoDevice(), "pci", OptionalInt.of(2));
        machine = new MachineSpec().memory(32L << 20).add(board).add(new PciPart(false, false)).add(part).build();
        drv = new VirtioPciDriver(new PciGuest(machine.bus()), 2);
        q0 = new VirtqueueDriver(machine.memory(), 16, RAM + 0x10000, RAM + 0x100000, 0x100000);
        q1 = new VirtqueueDriver(machine.memory(), 16, RAM + 0x20000, RAM + 0x200000, 0x100000);
    }

    @AfterEach void close() { machine.close(); }

    private TestLine intx() { return board.interrupts().test(IntxRouter.source(2, 1)); }

    private void start() {
        long offered = drv.deviceFeatures();
        assertEquals(0x0b, drv.negotiate(offered));
        notify0 = drv.setupQueue(0, q0);
        notify1 = drv.setupQueue(1, q1);
        drv.driverOk();
        assertEquals(0x0f, drv.status());
    }

    @Test void featuresAndQueuesAsTheDriverSeesThem() {
        assertEquals(1 | VirtioFeatures.RING_DEFAULT, drv.deviceFeatures());
        assertEquals(2, drv.numQueues());
        drv.bus.write(drv.common + 0x16, 2, 5); // absent queue
        assertEquals(0, drv.bus.read(drv.common + 0x18, 2));
        assertEquals(0xffff, drv.bus.read(drv.common + 0x10, 2), "config_msix_vector: no MSI-X");
        drv.bus.write(drv.common + 0x16, 2, 1);
        assertEquals(256, drv.bus.read(drv.common + 0x18, 2));
        assertEquals(1, drv.bus.read(drv.common + 0x1e, 2), "queue_notify_off = index");
    }

    @Test void refusedFeaturesLeaveFeaturesOkClear() {
        assertEquals(0x03, drv.negotiate(1), "no VERSION_1");
        assertEquals(0x03, drv.negotiate(VirtioFeatures.bit(VirtioFeatures.VERSION_1) | 2), "bit 1 was not offered");
    }

    @Test void rngQueueFillsBuffersAndInterruptsThroughIntx() {
        start();
        long buf = q0.alloc(16);
        int head = q0.add(Buf.out(buf, 16));
        assertFalse(intx().level());
        drv.kick(notify0, 0);
        assertEquals(List.of(new VirtqueueDriver.Used(head, 16)), q0.pollUsed());
        assertArrayEquals(new byte[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, q0.read(buf, 16));
        assertTrue(intx().level(), "INTA of slot 2 → source 34");
        assertEquals(34, IntxRouter.source(2, 1));
        assertEquals(0x08, drv.pci.read16(2, 0x06) & 0x08, "Interrupt Status");
        assertEquals(1, drv.readIsr());
        assertFalse(intx().level(), "reading the ISR de-asserts INTx");
        assertEquals(0, drv.readIsr());
        assertEquals(1, machine.metrics().numbers().get("virtq.echo.0.notifications"));
        assertEquals(1, machine.metrics().numbers().get("virtq.echo.0.interrupts"));
        assertEquals(1, machine.metrics().numbers().get("virtq.echo.0.chains"));
        assertEquals(16, machine.metrics().numbers().get("virtq.echo.0.bytes_written"));
    }

    @Test void echoQueueWithIndirectDescriptors() {
        start();
        long in = q1.allocWith(new byte[]{1, 2, 3, 4, 5});
        long out = q1.alloc(8);
        int head = q1.addIndirect(List.of(Buf.in(in, 2), Buf.in(in + 2, 3), Buf.out(out, 8)));
        q1.publish(head);
        drv.kick(notify1, 1);
        assertEquals(List.of(new VirtqueueDriver.Used(head, 5)), q1.pollUsed());
        assertArrayEquals(new byte[]{5, 4, 3, 2, 1}, q1.read(out, 5));
    }

    @Test void interruptDisableMasksIntxButNotTheStatusBit() {
        start();
        drv.pci.write16(2, 0x04, drv.pci.read16(2, 0x04) | 0x400);
        q0.add(Buf.out(q0.alloc(4), 4));
        drv.kick(notify0, 0);
        assertFalse(intx().level());
        assertEquals(0x08, drv.pci.read16(2, 0x06) & 0x08);
        drv.pci.write16(2, 0x04, drv.pci.read16(2, 0x04) & ~0x400);
        assertTrue(intx().level());
    }

    @Test void deviceConfigAndGeneration() {
        start();
        assertEquals(0, drv.bus.read(drv.device, 4));
        drv.bus.write(drv.device, 4, 0xcafe);
        assertEquals(0xcafe, drv.bus.read(drv.device, 4));
        assertEquals(0xfe, drv.bus.read(drv.device, 1));
        assertEquals(0, drv.bus.read(drv.device + 8, 4), "beyond the device's 8 bytes");
        int gen = drv.generation();
        part.device.changeConfig();
        assertEquals(gen + 1, drv.generation());
        assertEquals(1, drv.bus.read(drv.device + 4, 4));
        assertEquals(2, drv.readIsr(), "configuration change (ISR bit 1)");
    }

    @Test void pciCfgWindowReachesTheBar() {
        PciGuest g = drv.pci;
        int cap = g.cap(2, 5).offset();
        g.write8(2, cap + 4, 4);        // bar
        g.write32(2, cap + 8, 0x04);    // common cfg device_feature
        g.write32(2, cap + 12, 4);      // length
        g.write32(2, 0x10 + 0, 0);      // unrelated write
        assertEquals((int) (1 | VirtioFeatures.RING_DEFAULT), g.read32(2, cap + 16));
        g.write32(2, cap + 8, 0x14);    // device_status, 1 byte
        g.write32(2, cap + 12, 1);
        g.write32(2, cap + 16, 1);      // ACKNOWLEDGE through the window
        assertEquals(1, drv.status());
        g.write32(2, cap + 8, 0x14);    // misaligned for 4 bytes: ignored (§4.1.4.9.1)
        g.write32(2, cap + 12, 2);
        g.write32(2, cap + 8, 0x15);
        g.write32(2, cap + 16, 0);
        assertEquals(1, drv.status(), "the misaligned write did not reset the device");
    }

    @Test void malformedQueueOverPciNeedsResetAndKeepsTheMachine() {
        start();
        q0.writeDesc(0, RAM + 0x300000, 8, VirtqueueDriver.F_NEXT, 0); // a loop
        q0.reserve(0);
        q0.publish(0);
        drv.kick(notify0, 0);
        assertEquals(0x4f, drv.status(), "DEVICE_NEEDS_RESET");
        assertEquals(2, drv.readIsr(), "configuration change notification (§2.1.2)");
        assertEquals(1, machine.faults().size());
        assertTrue(machine.faults().getFirst().reason().contains("DESCRIPTOR_LOOP"));
        assertEquals(1, machine.metrics().numbers().get("virtio.echo.needs_reset"));
        drv.setStatus(0);
        assertEquals(0, drv.status());
        q0 = new VirtqueueDriver(machine.memory(), 16, RAM + 0x10000, RAM + 0x100000, 0x100000);
        start();
        q0.add(Buf.out(q0.alloc(4), 4));
        drv.kick(notify0, 0);
        assertEquals(1, q0.pollUsed().size());
    }

    @Test void inspectionShowsTheDeviceAndItsQueues() {
        start();
        q0.add(Buf.out(q0.alloc(4), 4));
        drv.kick(notify0, 0);
        String lspci = machine.services().find(PciHost.class).orElseThrow().toString();
        assertTrue(lspci.contains("00:02.0 Unclassified device [00ff]: Red Hat, Inc. Virtio RNG (1.0) [1af4:1044] (rev 01)"), lspci);
        assertTrue(lspci.contains("Region 4: Memory at 400000000 (64-bit, prefetchable) [size=16K]"), lspci);
        assertTrue(lspci.contains("Capabilities: [70] Vendor Specific Information: VirtIO: Notify"), lspci);
        assertTrue(lspci.contains("cfg_type=2 BAR=4 offset=00003000 size=00001000 multiplier=00000004"), lspci);
        assertTrue(lspci.contains("Interrupt: pin A routed to IRQ 34"), lspci);
        String virtio = part.attached.toString();
        assertTrue(virtio.contains("virtio-pci 00:02.0"), virtio);
        assertTrue(virtio.contains("status 0x0f"), virtio);
        assertTrue(virtio.contains("queue 0: size 16 (max 256) enabled"), virtio);
        assertTrue(virtio.contains("avail idx 1, last seen 0, used idx 1, in flight 0"), virtio);
    }
}
