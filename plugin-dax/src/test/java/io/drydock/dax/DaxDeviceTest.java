package io.drydock.dax;

import io.drydock.kernel.machine.Extensions;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.testing.TestBoard;
import io.drydock.kernel.virtio.VirtioDevice;
import io.drydock.kernel.virtio.VirtioTransport;
import io.drydock.kernel.virtio.VirtioTransportFactory;
import io.drydock.virtiofs.device.VirtioFsDevice;
import io.drydock.virtiofs.device.VirtioFsWord;
import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.virtio.SharedMemoryRegion;
import io.drydock.virtiofs.device.VirtioFsConfig;
import io.drydock.virtiofs.device.VirtioFsGuest;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseDax;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;

import static io.drydock.virtiofs.fuse.abi.FuseDax.FLAG_READ;
import static io.drydock.virtiofs.fuse.abi.FuseDax.FLAG_WRITE;
import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end: a test guest drives the virtio-fs device over its virtqueues (as a Linux or OSv driver would),
 * maps host files with SETUPMAPPING and reads them at guest-physical window addresses (BAR base + moffset).
 */
class DaxDeviceTest {
    static final long MIB = 1 << 20, BAR = 0x4_0000_0000L; // where a transport would put the window (virt's 64-bit MMIO window)
    @TempDir Path share;

    private VirtioFsGuest guest(boolean readonly, long daxSize) {
        PassthroughOptions o = PassthroughOptions.defaults().withReadonly(readonly).withXattr(false);
        VirtioFsGuest g = new VirtioFsGuest(new VirtioFsConfig("myfs", share, 1, 1024, o, true),
                daxSize == 0 ? null : new DaxFactory(), daxSize);
        g.device.sharedMemoryPlaced(0, daxSize == 0 ? OptionalLong.empty() : OptionalLong.of(BAR)); // the transport's BAR assignment
        return g.start();
    }

    private static long lookup(VirtioFsGuest g, String name) {
        var r = g.send(FuseRequest.of(FuseOpcode.LOOKUP, 1).name(name), 4096);
        assertEquals(0, r.error(), "LOOKUP " + name);
        return EntryOut.decode(MemorySegment.ofArray(r.payload()), 0).nodeid();
    }

    private static long open(VirtioFsGuest g, long node, int flags) {
        var r = g.send(FuseRequest.of(FuseOpcode.OPEN, node).struct(8, (s, o) -> new FuseFileIo.OpenIn(flags, 0).encode(s, o)), 4096);
        assertEquals(0, r.error(), "OPEN");
        return FuseFileIo.OpenOut.decode(MemorySegment.ofArray(r.payload()), 0).fh();
    }

    private static int setup(VirtioFsGuest g, long node, long fh, long foffset, long len, long flags, long moffset) {
        return g.send(FuseRequest.of(FuseOpcode.SETUPMAPPING, node).struct(FuseDax.SetupmappingIn.SIZE,
                (s, o) -> new FuseDax.SetupmappingIn(fh, foffset, len, flags, moffset).encode(s, o)), 64).error();
    }

    private static FuseRequest remove(int count, List<FuseDax.RemovemappingOne> ranges) {
        FuseRequest r = FuseRequest.of(FuseOpcode.REMOVEMAPPING, 0).struct(4, (s, o) -> new FuseDax.RemovemappingIn(count).encode(s, o));
        for (FuseDax.RemovemappingOne one : ranges) r.struct(16, (s, o) -> one.encode(s, o));
        return r;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void theGuestReadsAHostFileThroughTheWindowAndRemovemappingZeroesItAtOnce() throws Exception {
        byte[] content = new byte[(int) (6 * MIB + 12345)];
        new Random(42).nextBytes(content);
        Files.write(share.resolve("big.bin"), content);
        try (VirtioFsGuest g = guest(false, 16 * MIB)) {
            assertEquals(List.of(new SharedMemoryRegion(0, 16 * MIB, "dax window")), g.device.sharedMemoryRegions());
            FuseInit.InitOut init = g.init();
            assertTrue((init.flags() & FuseInit.MAP_ALIGNMENT) != 0, "MAP_ALIGNMENT negotiated");
            assertEquals(12, init.mapAlignment());
            long node = lookup(g, "big.bin");
            long fh = open(g, node, 0);
            // 2 MiB chunks as Linux (fh -1, by nodeid) and OSv (real fh, flags 0) map them, in reverse order
            for (int chunk = 0; chunk < 4; chunk++) {
                long moffset = (3 - chunk) * 2 * MIB;
                assertEquals(0, chunk % 2 == 0 ? setup(g, node, -1, chunk * 2 * MIB, 2 * MIB, FLAG_READ, moffset)
                        : setup(g, node, fh, chunk * 2 * MIB, 2 * MIB, 0, moffset));
            }
            byte[] seen = new byte[content.length];
            for (int chunk = 0; chunk < 4; chunk++) {
                int from = (int) (chunk * 2 * MIB), n = Math.min((int) (2 * MIB), content.length - from);
                g.ram.memory().read(BAR + (3 - chunk) * 2 * MIB, MemorySegment.ofArray(seen), from, n);
            }
            assertEquals(sha256(content), sha256(seen), "every byte through the window");
            assertEquals(content[7] & 0xff, g.ram.bus().read(BAR + 6 * MIB + 7, 1), "and through the system bus");
            assertEquals(0, g.ram.bus().read(BAR + 2 * MIB - 8, 8), "past EOF in the last chunk: zero");
            long notifications = g.counter("virtq.virtio-fs.1.notifications");
            for (int i = 0; i < 1000; i++) g.ram.memory().read64(BAR + i * 8L);
            assertEquals(notifications, g.counter("virtq.virtio-fs.1.notifications"), "loads need no requests");

            assertEquals(0, g.send(remove(1, List.of(new FuseDax.RemovemappingOne(6 * MIB, 2 * MIB))), 64).error());
            assertEquals(0, g.ram.bus().read(BAR + 6 * MIB + 7, 1), "unmapped at once");
            assertEquals(3, g.counter("dax.myfs.mappings"));
            assertEquals(4, g.counter("dax.myfs.mapsTotal"));
            assertEquals(1, g.counter("dax.myfs.unmapsTotal"));
            assertTrue(g.device.dax().toString().contains("big.bin"), g.device.dax().toString());

            g.core.reset(); // device reset empties the window
            assertEquals(0, g.counter("dax.myfs.mappings"));
            assertEquals(0, g.ram.memory().read64(BAR + 7));
        }
    }

    @Test
    void removemappingWithAThousandEntriesAndWithACountTheRequestDoesNotHold() throws Exception {
        Files.write(share.resolve("f"), new byte[(int) MIB]);
        try (VirtioFsGuest g = guest(false, 8 * MIB)) {
            g.init();
            long node = lookup(g, "f");
            List<FuseDax.RemovemappingOne> ranges = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                assertEquals(0, setup(g, node, -1, 0, 4096, FLAG_READ, i * 8192L));
                ranges.add(new FuseDax.RemovemappingOne(i * 8192L, 4096));
            }
            assertEquals(1000, g.counter("dax.myfs.mappings"));
            assertEquals(Errno.EINVAL, g.send(remove(1001, ranges), 64).error(), "count past the request's end");
            assertEquals(Errno.EINVAL, g.send(remove(-1, ranges), 64).error(), "count 2^32-1");
            assertEquals(1000, g.counter("dax.myfs.mappings"), "nothing removed");
            assertEquals(0, g.send(remove(1000, ranges), 64).error());
            assertEquals(0, g.counter("dax.myfs.mappings"));
        }
    }

    @Test
    void writeMappingsReachTheHostAndAreBoundedByTheHandleAndTheExport() throws Exception {
        Files.write(share.resolve("w"), new byte[8192]);
        try (VirtioFsGuest g = guest(false, 4 * MIB)) {
            g.init();
            long node = lookup(g, "w");
            long ro = open(g, node, 0), rw = open(g, node, 2);
            assertEquals(Errno.EACCES, setup(g, node, ro, 0, 8192, FLAG_READ | FLAG_WRITE, 0), "O_RDONLY handle, WRITE mapping");
            assertEquals(Errno.EBADF, setup(g, node, 999, 0, 8192, FLAG_READ, 0));
            assertEquals(0, setup(g, node, rw, 0, 8192, FLAG_READ | FLAG_WRITE, 0));
            g.ram.memory().write64(BAR + 4096, 0x0102030405060708L);
            assertEquals(0x08, Files.readAllBytes(share.resolve("w"))[4096]);
            assertEquals(Errno.EINVAL, setup(g, 1, -1, 0, 4096, FLAG_READ, 0), "a directory");
            assertEquals(Errno.EINVAL, setup(g, node, -1, 0, 4096, FLAG_READ, 4 * MIB), "past the window end");
        }
        try (VirtioFsGuest g = guest(true, 4 * MIB)) {
            g.init();
            long node = lookup(g, "w");
            assertEquals(Errno.EROFS, setup(g, node, -1, 0, 4096, FLAG_READ | FLAG_WRITE, 0), "read-only export");
            assertEquals(0, setup(g, node, -1, 0, 4096, FLAG_READ, 0));
        }
    }

    @Test
    void withoutDaxThereIsNoWindowAndMappingIsEnosys() throws Exception {
        Files.write(share.resolve("f"), new byte[4096]);
        try (VirtioFsGuest g = guest(false, 0)) {
            assertEquals(List.of(), g.device.sharedMemoryRegions());
            assertEquals(0, g.init().mapAlignment());
            assertEquals(Errno.ENOSYS, setup(g, lookup(g, "f"), -1, 0, 4096, FLAG_READ, 0));
        }
    }

    /** A BUS part offering a virtio "pci" transport that only records what is attached. */
    private record RecordingTransport(List<VirtioDevice> attached) implements MachinePart {
        @Override public Phase phase() { return Phase.BUS; }

        @Override public String describe() { return "recording transport"; }

        @Override public void assemble(MachineAssembly a) {
            a.services().add(VirtioTransportFactory.class, new VirtioTransportFactory() {
                @Override public String kind() { return "pci"; }

                @Override public VirtioTransport attach(VirtioDevice d, OptionalInt at) {
                    attached.add(d);
                    return null;
                }
            });
        }
    }

    private MachineSpec daxMachine() {
        var word = new VirtioFsWord().create(new Options("virtioFs",
                Map.of("tag", "myfs", "dir", share.toString(), "dax", "1M")), List.of());
        return new MachineSpec().memory(16 * MIB).add(new TestBoard()).add(word);
    }

    @Test
    void theWordFindsTheFactoryThroughTheMachinesExtensionsOnly() {
        // no extensions given to the machine: no window, a clear error (there is no global registry to fall back on)
        var e = assertThrows(MachineException.class, () -> daxMachine().add(new RecordingTransport(new ArrayList<>())).build());
        assertTrue(e.getMessage().contains("no DAX window implementation is loaded"), e.getMessage());
        // the factory among the machine's extensions (as PF4J gives plugin-dax's @Extension): the device gets its window
        List<VirtioDevice> attached = new ArrayList<>();
        try (var m = daxMachine().add(new RecordingTransport(attached)).extensions(Extensions.of(new DaxFactory())).build()) {
            var device = assertInstanceOf(VirtioFsDevice.class, attached.getFirst());
            assertInstanceOf(DaxWindowEngine.class, device.dax());
            assertEquals(MIB, device.dax().size());
            assertEquals(List.of(new SharedMemoryRegion(0, MIB, "dax window")), device.sharedMemoryRegions());
        }
    }
}
