package io.drydock.pci;

import io.drydock.kernel.bus.BusRegion;
import io.drydock.kernel.fdt.FdtBuilder;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.testing.EchoDevice;
import io.drydock.kernel.testing.TestBoard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fake guest enumerates the PCIe host through ECAM, sizes and programs BARs, walks capabilities. */
class PciHostTest {
    private Machine machine;

    private PciGuest build(boolean preassign, boolean express, EchoPart... devices) {
        MachineSpec spec = new MachineSpec().memory(64L << 20).add(new TestBoard()).add(new PciPart(preassign, express));
        for (EchoPart d : devices) spec.add(d);
        machine = spec.build();
        return new PciGuest(machine.bus());
    }

    private static EchoPart echo() { return new EchoPart(new EchoDevice(), "pci", OptionalInt.empty()); }

    @AfterEach void close() { if (machine != null) machine.close(); }

    @Test void hostBridgeAndDevicesEnumerateLikeQemu() {
        PciGuest g = build(false, false, echo(), echo());
        assertEquals(List.of(0, 1, 2), g.enumerate());
        assertEquals(0x0008_1b36, g.read32(0, 0x00));
        assertEquals(0x0600_0000, g.read32(0, 0x08), "class 060000, revision 0");
        assertEquals(0, g.read8(0, 0x0e), "header type 0, single function");
        assertEquals(0x1100_1af4, g.read32(0, 0x2c));
        assertEquals(List.of(), g.capabilities(0));

        assertEquals(0x1044_1af4, g.read32(1, 0x00), "virtio 1af4:1040+4");
        assertEquals(0x00ff_0001, g.read32(1, 0x08), "class 00ff00 (QEMU PCI_CLASS_OTHERS), revision 1");
        assertEquals(0x1100_1af4, g.read32(1, 0x2c), "subsystem as QEMU");
        assertEquals(1, g.read8(1, 0x3d), "INTA");
        assertEquals(0x10, g.read16(1, 0x06) & 0x10, "capability list");
    }

    @Test void absentFunctionsReadAllOnesAndIgnoreWrites() {
        PciGuest g = build(false, false, echo());
        assertEquals(-1, g.read32(5, 0));
        assertEquals(0xffff, g.read16(5, 0));
        assertEquals(-1, (int) g.bus.read(PciGuest.ecam(0, 1, 1, 0), 4), "function 1 of a single-function device");
        assertEquals(-1, (int) g.bus.read(PciGuest.ecam(1, 0, 0, 0), 4), "no bus 1");
        assertEquals(-1, g.read32(1, 0x100), "conventional function: extended space absent (QEMU)");
        g.write32(5, 0x04, 0xffff);
        assertEquals(0, g.read32(1, 0x30), "no expansion ROM: unimplemented registers read 0");
        assertEquals(0, g.read32(1, 0x28));
        assertEquals(-1L, g.bus.read(PciGuest.ecam(0, 7, 0, 0), 8), "8-byte ECAM access splits");
    }

    @Test void barsSizeByAllOnes() {
        PciGuest g = build(false, false, new EchoPart(new EchoDevice(256, 1 << 20), "pci", OptionalInt.empty()));
        List<PciGuest.SizedBar> bars = g.sizeBars(1);
        assertEquals(List.of(new PciGuest.SizedBar(2, 1 << 20, true, true), new PciGuest.SizedBar(4, 0x4000, true, true)), bars);
        assertEquals(0xc, g.read32(1, 0x20), "BAR 4 flags: 64-bit prefetchable memory, address cleared");
        assertEquals(0, g.read32(1, 0x10), "BAR 0 unimplemented");
        g.write32(1, 0x10, -1);
        assertEquals(0, g.read32(1, 0x10));
    }

    @Test void barAppearsMovesAndDisappearsWithDecoding() {
        PciGuest g = build(false, false, echo());
        PciHost host = machine.services().find(PciHost.class).orElseThrow();
        g.program(1, 4, 0x4000_0000L, true);
        assertNull(machine.bus().find(0x4000_0000L), "memory decoding still off");
        g.enableMemory(1);
        BusRegion r = machine.bus().find(0x4000_0000L);
        assertInstanceOf(BusRegion.Device.class, r);
        assertEquals(0x4000, r.size());
        assertEquals(0x4000_0000L, host.mappedBase(host.functions().get(1), 4));

        g.program(1, 4, 0x4001_0000L, true); // reprogrammed while decoding: moves
        assertNull(machine.bus().find(0x4000_0000L));
        assertNotNull(machine.bus().find(0x4001_0000L));

        g.program(1, 4, 0x4_0000_0000L, true); // into the 64-bit window
        assertNotNull(machine.bus().find(0x4_0000_0000L));

        g.write16(1, 0x04, 0); // decoding off: gone
        assertNull(machine.bus().find(0x4_0000_0000L));
        assertEquals(0x4_0000_000cL, Integer.toUnsignedLong(g.read32(1, 0x20)) | (long) g.read32(1, 0x24) << 32, "BAR keeps its value");

        g.program(1, 4, 0x1000_0000L, true); // outside both windows: unreachable from the CPU
        g.enableMemory(1);
        assertNull(machine.bus().find(0x1000_0000L));
        assertTrue(host.toString().contains("Region 4: Memory at 10000000 (64-bit, prefetchable) [size=16K] [unreachable]"), host.toString());
    }

    @Test void overlappingBarsStayUnmappedUntilFreed() {
        PciGuest g = build(false, false, echo(), echo());
        g.program(1, 4, 0x4000_0000L, true);
        g.enableMemory(1);
        g.program(2, 4, 0x4000_0000L, true);
        g.enableMemory(2);
        PciHost host = machine.services().find(PciHost.class).orElseThrow();
        assertEquals(-1, host.mappedBase(host.functions().get(2), 4));
        assertTrue(host.toString().contains("[conflict: "), host.toString());
        g.program(1, 4, 0x4010_0000L, true); // the first one moves away: the second one gets its place
        assertEquals(0x4000_0000L, host.mappedBase(host.functions().get(2), 4));
    }

    @Test void capabilityListMatchesQemuLayout() {
        PciGuest g = build(false, false, echo());
        List<int[]> caps = g.capabilities(1);
        assertEquals(List.of(0x84, 0x70, 0x60, 0x50, 0x40), caps.stream().map(c -> c[0]).toList());
        assertTrue(caps.stream().allMatch(c -> c[1] == 0x09));
        List<PciGuest.VirtioCap> v = g.virtioCaps(1);
        assertEquals(List.of(5, 2, 4, 3, 1), v.stream().map(PciGuest.VirtioCap::type).toList());
        PciGuest.VirtioCap notify = g.cap(1, 2);
        assertEquals(new PciGuest.VirtioCap(0x70, 2, 4, 0, 0x3000, 0x1000, 4), notify);
        assertEquals(new PciGuest.VirtioCap(0x40, 1, 4, 0, 0, 0x1000, 0), g.cap(1, 1));
        assertEquals(new PciGuest.VirtioCap(0x50, 3, 4, 0, 0x1000, 0x1000, 0), g.cap(1, 3));
        assertEquals(new PciGuest.VirtioCap(0x60, 4, 4, 0, 0x2000, 0x1000, 0), g.cap(1, 4));
        assertEquals(20, g.read8(1, 0x84 + 2), "PCI_CFG cap length");
    }

    @Test void sharedMemoryRegionsGetTheirOwnBarAndCapability() {
        EchoPart part = new EchoPart(new EchoDevice(256, 1 << 20), "pci", OptionalInt.empty());
        PciGuest g = build(false, false, part);
        PciGuest.VirtioCap shm = g.cap(1, 8);
        assertEquals(new PciGuest.VirtioCap(0x98, 8, 2, 0, 0, 1 << 20, 0), shm);
        assertEquals(24, g.read8(1, 0x98 + 2));
        Map<Integer, Long> at = g.assignBars(1, false);
        g.enableMemory(1);
        assertEquals(List.of(java.util.OptionalLong.of(at.get(2))), part.device.placements);
        g.write16(1, 0x04, 0);
        assertEquals(java.util.OptionalLong.empty(), part.device.placements.getLast());
    }

    @Test void expressOptionAddsAPcieCapabilityAndExtendedSpace() {
        PciGuest g = build(false, true, echo());
        List<int[]> caps = g.capabilities(1);
        assertEquals(0x10, caps.getFirst()[1]);
        assertEquals(0x0002, g.read16(1, caps.getFirst()[0] + 2), "version 2, Endpoint");
        assertEquals(0, g.read32(1, 0x100), "extended space present, no extended capabilities");
        assertEquals(-1, g.read32(0, 0x100), "the host bridge stays conventional");
    }

    @Test void preassignPlacesBarsAsFirmwareWould() {
        PciGuest g = build(true, false, echo(), echo());
        machine.services().find(PciHost.class).orElseThrow().preassign(); // what power-on runs
        assertEquals(0x6, g.read16(1, 0x04) & 0x6);
        long bar4 = Integer.toUnsignedLong(g.read32(1, 0x20)) & ~0xfL | (long) g.read32(1, 0x24) << 32;
        assertEquals(0x4_0000_0000L, bar4);
        assertNotNull(machine.bus().find(bar4));
        assertNotNull(machine.bus().find(0x4_0000_4000L), "the second device's BAR follows");
    }

    @Test void machineResetUnmapsBarsAndClearsCommand() {
        PciGuest g = build(false, false, echo());
        g.assignBars(1, true);
        g.enableMemory(1);
        g.write8(1, 0x3c, 33);
        assertNotNull(machine.bus().find(0x4000_0000L));
        machine.reset();
        assertNull(machine.bus().find(0x4000_0000L));
        assertEquals(0, g.read16(1, 0x04));
        assertEquals(0, g.read8(1, 0x3c));
        assertEquals(0xc, g.read32(1, 0x20));
    }

    @Test void slotsAreCheckedAndTheTransportMustExist() {
        assertThrows(MachineException.class, () -> build(false, false,
                new EchoPart(new EchoDevice(), "pci", OptionalInt.of(3)), new EchoPart(new EchoDevice(), "pci", OptionalInt.of(3))));
        MachineException e = assertThrows(MachineException.class,
                () -> new MachineSpec().add(new TestBoard()).add(echo()).build());
        assertTrue(e.getMessage().contains("add 'pci'"), e.getMessage());
    }

    @Test void deviceTreeNodeMatchesQemu() {
        build(false, false);
        FdtBuilder fdt = new FdtBuilder();
        fdt.root().child("soc");
        new PcieDeviceTree(PciWindows.virt(128L << 20)).contribute(fdt, 9);
        FdtBuilder.Node n = fdt.find("/soc/pci@30000000");
        assertNotNull(n);
        assertArrayEquals("pci-host-ecam-generic\0".getBytes(), n.property("compatible"));
        assertArrayEquals("pci\0".getBytes(), n.property("device_type"));
        assertArrayEquals(cells(0, 0xff), n.property("bus-range"));
        assertArrayEquals(new byte[0], n.property("dma-coherent"));
        assertArrayEquals(cells(0, 0x3000_0000, 0, 0x1000_0000), n.property("reg"));
        assertArrayEquals(cells(0x0100_0000, 0, 0, 0, 0x0300_0000, 0, 0x1_0000,
                0x0200_0000, 0, 0x4000_0000, 0, 0x4000_0000, 0, 0x4000_0000,
                0x0300_0000, 4, 0, 4, 0, 4, 0), n.property("ranges"));
        assertArrayEquals(cells(0x1800, 0, 0, 7), n.property("interrupt-map-mask"));
        byte[] map = n.property("interrupt-map");
        assertEquals(16 * 6 * 4, map.length);
        ByteBuffer b = ByteBuffer.wrap(map);
        // slot 1 INTA → 33, slot 1 INTD → 32, slot 3 INTA → 35 (reference: decoded on QEMU)
        assertArrayEquals(new int[]{0x800, 0, 0, 1, 9, 33}, entry(b, 4));
        assertArrayEquals(new int[]{0x800, 0, 0, 4, 9, 32}, entry(b, 7));
        assertArrayEquals(new int[]{0x1800, 0, 0, 1, 9, 35}, entry(b, 12));
    }

    @Test void mmio64WindowFollowsRamLikeQemu() {
        assertEquals(0x4_0000_0000L, PciWindows.virt(128L << 20).mmio64Base());
        assertEquals(0x8_0000_0000L, PciWindows.virt(16L << 30).mmio64Base());
    }

    private static int[] entry(ByteBuffer b, int i) {
        int[] e = new int[6];
        for (int k = 0; k < 6; k++) e[k] = b.getInt((i * 6 + k) * 4);
        return e;
    }

    private static byte[] cells(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4);
        for (int c : v) b.putInt(c);
        return b.array();
    }
}
