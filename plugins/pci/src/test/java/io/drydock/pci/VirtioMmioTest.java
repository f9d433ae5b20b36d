package io.drydock.pci;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.fdt.FdtBuilder;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.testing.EchoDevice;
import io.drydock.kernel.testing.TestBoard;
import io.drydock.kernel.testing.VirtqueueDriver;
import io.drydock.kernel.testing.VirtqueueDriver.Buf;
import io.drydock.kernel.virtio.VirtioFeatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The echo device driven end to end over virtio-mmio version 2 (virtio 1.2 §4.2). */
class VirtioMmioTest {
    private static final long RAM = TestBoard.DRAM_BASE;
    private Machine machine;
    private TestBoard board;

    private SystemBus build(EchoPart... parts) {
        board = new TestBoard();
        MachineSpec spec = new MachineSpec().memory(32L << 20).add(board).add(new VirtioMmioWord.Part(VirtioMmioWord.DEFAULT_SHM_BASE));
        for (EchoPart p : parts) spec.add(p);
        machine = spec.build();
        return machine.bus();
    }

    @AfterEach void close() { if (machine != null) machine.close(); }

    private static long slot(int n) { return 0x1000_1000L + 0x1000L * n; }

    private static int r(SystemBus bus, long base, int off) { return (int) bus.read(base + off, 4); }

    private static void w(SystemBus bus, long base, int off, long v) { bus.write(base + off, 4, v); }

    @Test void emptySlotsReadLikeQemu() {
        SystemBus bus = build();
        for (int i = 0; i < 8; i++) {
            assertEquals(0x74726976, r(bus, slot(i), 0x000), "magic 'virt'");
            assertEquals(2, r(bus, slot(i), 0x004));
            assertEquals(0, r(bus, slot(i), 0x008), "no device");
            assertEquals(0x554d4551, r(bus, slot(i), 0x00c));
            assertEquals(0, r(bus, slot(i), 0x034));
        }
        w(bus, slot(0), 0x070, 1);
        assertEquals(0, r(bus, slot(0), 0x070));
    }

    @Test void devicesFillTheHighestSlotFirst() {
        EchoPart a = new EchoPart(new EchoDevice(), "mmio", OptionalInt.empty());
        EchoPart b = new EchoPart(new EchoDevice(), "mmio", OptionalInt.empty());
        EchoPart c = new EchoPart(new EchoDevice(), "mmio", OptionalInt.of(0));
        SystemBus bus = build(a, b, c);
        assertEquals("0x10008000 irq 8", a.attached.location());
        assertEquals("0x10007000 irq 7", b.attached.location());
        assertEquals("0x10001000 irq 1", c.attached.location());
        assertEquals(4, r(bus, slot(7), 0x008));
        assertEquals(0, r(bus, slot(5), 0x008));
        assertEquals("echo-2", b.attached.inspect().name());
    }

    @Test void driverInitQueuesAndInterrupts() {
        EchoPart part = new EchoPart(new EchoDevice(), "mmio", OptionalInt.empty());
        SystemBus bus = build(part);
        long base = slot(7);
        assertEquals(2, r(bus, base, 0x004));
        // virtio 1.2 §3.1.1 over the MMIO registers
        w(bus, base, 0x070, 0);
        w(bus, base, 0x070, 1);
        w(bus, base, 0x070, 3);
        w(bus, base, 0x014, 0);
        long features = Integer.toUnsignedLong(r(bus, base, 0x010));
        w(bus, base, 0x014, 1);
        features |= (long) r(bus, base, 0x010) << 32;
        assertEquals(1 | VirtioFeatures.RING_DEFAULT, features);
        w(bus, base, 0x024, 0);
        w(bus, base, 0x020, features);
        w(bus, base, 0x024, 1);
        w(bus, base, 0x020, features >>> 32);
        w(bus, base, 0x070, 0xb);
        assertEquals(0xb, r(bus, base, 0x070));

        VirtqueueDriver[] q = {
                new VirtqueueDriver(machine.memory(), 8, RAM + 0x10000, RAM + 0x100000, 0x100000),
                new VirtqueueDriver(machine.memory(), 8, RAM + 0x20000, RAM + 0x200000, 0x100000)};
        for (int i = 0; i < 2; i++) {
            w(bus, base, 0x030, i);
            assertEquals(0, r(bus, base, 0x044));
            assertEquals(256, r(bus, base, 0x034));
            w(bus, base, 0x038, 8);
            w(bus, base, 0x080, q[i].descAddr());
            w(bus, base, 0x084, q[i].descAddr() >>> 32);
            w(bus, base, 0x090, q[i].availAddr());
            w(bus, base, 0x094, 0);
            w(bus, base, 0x0a0, q[i].usedAddr());
            w(bus, base, 0x0a4, 0);
            w(bus, base, 0x044, 1);
        }
        w(bus, base, 0x030, 2);
        assertEquals(0, r(bus, base, 0x034), "no queue 2");
        w(bus, base, 0x070, 0xf);
        assertEquals(0xf, r(bus, base, 0x070));

        long in = q[1].allocWith(new byte[]{7, 8, 9});
        long out = q[1].alloc(3);
        int head = q[1].add(Buf.in(in, 3), Buf.out(out, 3));
        w(bus, base, 0x050, 1);
        assertEquals(List.of(new VirtqueueDriver.Used(head, 3)), q[1].pollUsed());
        assertArrayEquals(new byte[]{9, 8, 7}, q[1].read(out, 3));
        assertTrue(board.interrupts().test(8).level(), "PLIC source 1 + slot");
        assertEquals(1, r(bus, base, 0x060));
        w(bus, base, 0x064, 1);
        assertFalse(board.interrupts().test(8).level());
        assertEquals(1, machine.metrics().numbers().get("virtq.echo.1.notifications"));

        // configuration space at 0x100, any width; generation at 0xfc
        bus.write(base + 0x100, 2, 0xbeef);
        assertEquals(0xbeef, bus.read(base + 0x100, 4));
        int gen = r(bus, base, 0x0fc);
        part.device.changeConfig();
        assertEquals(gen + 1, r(bus, base, 0x0fc));
        assertEquals(2, r(bus, base, 0x060));

        // control registers are 32-bit only
        assertEquals(0, bus.read(base + 0x070, 1));
        bus.write(base + 0x070, 2, 0);
        assertEquals(0xf, r(bus, base, 0x070));

        // a malformed chain: NEEDS_RESET, config interrupt, the machine runs on
        w(bus, base, 0x064, 3);
        q[0].reserve(0);
        q[0].writeDesc(0, 0x1000, 8, VirtqueueDriver.F_WRITE, 0);
        q[0].publish(0);
        w(bus, base, 0x050, 0);
        assertEquals(0x4f, r(bus, base, 0x070));
        assertEquals(2, r(bus, base, 0x060));
        assertTrue(machine.faults().getFirst().reason().contains("ADDRESS_OUT_OF_RAM"));
        w(bus, base, 0x070, 0);
        assertEquals(0, r(bus, base, 0x070));
        assertFalse(board.interrupts().test(8).level());
    }

    @Test void sharedMemoryRegionsAreAnnouncedThroughShmRegisters() {
        EchoPart part = new EchoPart(new EchoDevice(256, 1 << 20), "mmio", OptionalInt.of(3));
        SystemBus bus = build(part);
        long base = slot(3);
        w(bus, base, 0x0ac, 0);
        assertEquals(1 << 20, r(bus, base, 0x0b0));
        assertEquals(0, r(bus, base, 0x0b4));
        long at = Integer.toUnsignedLong(r(bus, base, 0x0b8)) | (long) r(bus, base, 0x0bc) << 32;
        assertEquals(VirtioMmioWord.DEFAULT_SHM_BASE, at);
        assertEquals(List.of(OptionalLong.of(at)), part.device.placements);
        w(bus, base, 0x0ac, 1);
        assertEquals(-1, r(bus, base, 0x0b0), "absent region: length -1");
        assertEquals(-1, r(bus, base, 0x0b4));
    }

    @Test void deviceTreeHasEightSlots() {
        build();
        FdtBuilder fdt = new FdtBuilder();
        machine.services().find(VirtioMmioBus.class).orElseThrow().contribute(fdt, 3);
        for (int i = 0; i < 8; i++) {
            FdtBuilder.Node n = fdt.find(String.format("/soc/virtio_mmio@%x", slot(i)));
            assertNotNull(n);
            assertArrayEquals("virtio,mmio\0".getBytes(), n.property("compatible"));
            assertArrayEquals(new byte[]{0, 0, 0, (byte) (1 + i)}, n.property("interrupts"));
            assertArrayEquals(new byte[]{0, 0, 0, 3}, n.property("interrupt-parent"));
        }
    }

    @Test void machineResetResetsTheDevice() {
        EchoPart part = new EchoPart(new EchoDevice(), "mmio", OptionalInt.empty());
        SystemBus bus = build(part);
        w(bus, slot(7), 0x070, 1);
        machine.reset();
        assertEquals(0, r(bus, slot(7), 0x070));
    }
}
