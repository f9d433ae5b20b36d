package io.drydock.pci;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.testing.TestBoard;
import io.drydock.kernel.testing.VirtqueueDriver;
import io.drydock.kernel.testing.VirtqueueDriver.Buf;
import io.drydock.virtiofs.device.VirtioFsWord;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The virtio-fs device as a guest finds it on the PCI bus: 1af4:105a, class 0x018000, virtio-pci modern
 * capabilities, its tag in the device configuration, FUSE requests on request queue 1 notified through the
 * notify capability, and the completion interrupt on INTx — every access an MMIO access on the system bus.
 * (The package is the PCI plugin's, to use its guest-side test fixtures.)
 */
class VirtioFsOverPciTest {
    private static final long RAM = TestBoard.DRAM_BASE;
    @TempDir Path share;
    private Machine machine;
    private final Arena arena = Arena.ofConfined();

    @AfterEach void close() {
        if (machine != null) machine.close();
        arena.close();
    }

    @Test
    void enumeratedConfiguredAndServingFuseOverPci() throws Exception {
        Files.writeString(share.resolve("motd"), "hello over pci\n");
        TestBoard board = new TestBoard();
        var fs = new VirtioFsWord().create(new Options("virtioFs", Map.of("tag", "myfs", "dir", share.toString(), "slot", 3)), List.of());
        machine = new MachineSpec().memory(32L << 20).add(board).add(new PciPart(false, false)).add(fs).build();
        PciGuest pci = new PciGuest(machine.bus());
        assertEquals(0x105a1af4L, machine.bus().read(PciGuest.ecam(0, 3, 0, 0), 4), "vendor 1af4, device 0x1040 + 26");
        assertEquals(0x018000L, machine.bus().read(PciGuest.ecam(0, 3, 0, 8), 4) >>> 8, "class: mass storage, other");

        VirtioPciDriver drv = new VirtioPciDriver(pci, 3);
        StringBuilder tag = new StringBuilder();
        for (int i = 0; i < 36; i++) {
            int c = (int) drv.bus.read(drv.device + i, 1);
            if (c != 0) tag.append((char) c);
        }
        assertEquals("myfs", tag.toString());
        assertEquals(1, drv.bus.read(drv.device + 36, 4), "num_request_queues");
        assertEquals(2, drv.numQueues(), "hiprio + one request queue");

        assertEquals(0x0b, drv.negotiate(drv.deviceFeatures()));
        VirtqueueDriver hiprio = new VirtqueueDriver(machine.memory(), 16, RAM + 0x10000, RAM + 0x100000, 0x100000);
        VirtqueueDriver req = new VirtqueueDriver(machine.memory(), 16, RAM + 0x20000, RAM + 0x200000, 0x100000);
        drv.setupQueue(0, hiprio);
        long notify = drv.setupQueue(1, req);
        drv.driverOk();

        ByteBuffer init = send(drv, req, notify, FuseRequest.of(FuseOpcode.INIT, 0).unique(1).struct(FuseInit.InitIn.SIZE,
                (s, o) -> new FuseInit.InitIn(7, 31, 4096, 0).encode(s, o)));
        assertEquals(0, init.getInt(4));
        assertEquals(7, init.getInt(16), "major");
        assertTrue(board.interrupts().test(IntxRouter.source(3, 1)).level(), "INTA of slot 3 raised");
        assertEquals(1, drv.readIsr() & 1, "ISR: queue interrupt");

        ByteBuffer lookup = send(drv, req, notify, FuseRequest.of(FuseOpcode.LOOKUP, 1).unique(2).name("motd"));
        assertEquals(0, lookup.getInt(4));
        EntryOut e = EntryOut.decode(MemorySegment.ofArray(lookup.array()), FuseHeaders.OutHeader.SIZE);
        assertEquals(15, e.attr().size());
        assertTrue(machine.metrics().numbers().get("virtq.virtio-fs.1.notifications") >= 2, "notifications counted");
        assertEquals(1L, machine.metrics().numbers().get("fuse.myfs.lookup.requests"));
    }

    private ByteBuffer send(VirtioPciDriver drv, VirtqueueDriver q, long notify, FuseRequest r) {
        byte[] bytes = r.build(arena).toArray(ValueLayout.JAVA_BYTE);
        long out = q.alloc(4096);
        int head = q.add(Buf.in(q.allocWith(bytes), bytes.length), Buf.out(out, 4096));
        drv.kick(notify, 1);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (VirtqueueDriver.Used u : q.pollUsed()) {
                assertEquals(head, u.id());
                return ByteBuffer.wrap(q.read(out, u.len())).order(ByteOrder.LITTLE_ENDIAN);
            }
            Thread.onSpinWait();
        }
        fail("no completion; device status " + drv.status());
        return null;
    }
}
