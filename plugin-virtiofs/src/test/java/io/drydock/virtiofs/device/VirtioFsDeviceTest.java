package io.drydock.virtiofs.device;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.virtio.VirtioStatus;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseDirs;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseMisc;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The virtio-fs device driven by a test guest over the virtio core: FUSE on virtqueues, end to end. */
class VirtioFsDeviceTest {
    @TempDir Path share;

    private VirtioFsGuest guest(boolean inline, boolean readonly) {
        PassthroughOptions o = PassthroughOptions.defaults().withReadonly(readonly).withXattr(false);
        return new VirtioFsGuest(new VirtioFsConfig("myfs", share, 1, 1024, o, inline)).start();
    }

    private static FuseRequest lookup(long parent, String name) { return FuseRequest.of(FuseOpcode.LOOKUP, parent).name(name); }

    @Test
    void configSpaceHoldsTheTagAndQueueCount() {
        try (VirtioFsGuest g = guest(true, false)) {
            assertEquals(40, g.device.configSize());
            byte[] tag = new byte[36];
            for (int i = 0; i < 36; i++) tag[i] = (byte) g.core.readConfig(i, 1);
            assertEquals("myfs", new String(tag, StandardCharsets.UTF_8).replace("\0", ""));
            assertEquals(1, g.core.readConfig(36, 4));
            assertEquals(26, g.device.deviceId());
            assertEquals(2, g.core.numQueues());
        }
    }

    @ParameterizedTest(name = "inline={0}")
    @ValueSource(booleans = {true, false})
    void readsAFileIntoScatteredGuestBuffers(boolean inline) throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Files.write(share.resolve("data.bin"), content);
        try (VirtioFsGuest g = guest(inline, false)) {
            var init = g.init();
            assertEquals(7, init.major());
            assertEquals(1 << 20, init.maxWrite());

            var r = g.send(lookup(1, "data.bin"), 4096);
            assertEquals(0, r.error());
            EntryOut e = EntryOut.decode(MemorySegment.ofArray(r.payload()), 0);
            assertEquals(content.length, e.attr().size());

            var open = g.send(FuseRequest.of(FuseOpcode.OPEN, e.nodeid())
                    .struct(8, (s, o) -> new FuseFileIo.OpenIn(0, 0).encode(s, o)), 4096);
            long fh = FuseFileIo.OpenOut.decode(MemorySegment.ofArray(open.payload()), 0).fh();

            // A 256 KiB READ whose reply spans a 16-byte header buffer and three data buffers.
            var read = g.send(FuseRequest.of(FuseOpcode.READ, e.nodeid())
                    .struct(40, (s, o) -> new FuseFileIo.ReadIn(fh, 1000, 256 * 1024, 0, 0, 0).encode(s, o)),
                    16, 100_000, 100_000, 100_000);
            assertEquals(0, read.error());
            assertEquals(16 + 256 * 1024, read.usedLength());
            assertArrayEquals(Arrays.copyOfRange(content, 1000, 1000 + 256 * 1024), read.payload());

            assertEquals(1, g.counter("fuse.myfs.read.requests"));
            assertEquals(4, g.counter("fuse.myfs.requests"));
            assertTrue(g.counter("virtq.virtio-fs.1.notifications") >= 4, "notifications counted per queue");
            assertTrue(g.line.level() || g.counter("virtq.virtio-fs.1.interrupts") > 0, "the driver was interrupted");
        }
    }

    @Test
    void writesReachTheHostAndTheTraceShowsEachRequest() throws Exception {
        try (VirtioFsGuest g = guest(true, false)) {
            g.init();
            g.device.trace().on();
            var c = g.send(FuseRequest.of(FuseOpcode.CREATE, 1)
                    .struct(16, (s, o) -> new FuseFileIo.CreateIn(0101 | 0200, 0644, 0, 0).encode(s, o)).name("new.txt"), 4096);
            assertEquals(0, c.error());
            long node = EntryOut.decode(MemorySegment.ofArray(c.payload()), 0).nodeid();
            long fh = FuseFileIo.OpenOut.decode(MemorySegment.ofArray(c.payload()), 128).fh();
            byte[] data = "written by the guest\n".getBytes(StandardCharsets.UTF_8);
            var w = g.send(FuseRequest.of(FuseOpcode.WRITE, node)
                    .struct(40, (s, o) -> new FuseFileIo.WriteIn(fh, 0, data.length, 0, 0, 0).encode(s, o)).bytes(data), 64);
            assertEquals(0, w.error());
            assertEquals(data.length, w.args().getInt(0));
            assertEquals("written by the guest\n", Files.readString(share.resolve("new.txt")));
            var lines = g.device.trace().lines();
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("CREATE"), lines.get(0));
            assertTrue(lines.get(1).contains("WRITE") && lines.get(1).contains("ok"), lines.get(1));
            g.device.trace().off();
            g.send(lookup(1, "new.txt"), 4096);
            assertEquals(2, g.device.trace().lines().size(), "no lines while off");
        }
    }

    /** A WRITE larger than the transport's first request buffer: the buffer grows and the bytes arrive whole. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aWriteLargerThanTheFirstBufferArrivesWhole(boolean inline) throws Exception {
        try (VirtioFsGuest g = guest(inline, false)) {
            g.init();
            var c = g.send(FuseRequest.of(FuseOpcode.CREATE, 1)
                    .struct(16, (s, o) -> new FuseFileIo.CreateIn(0101 | 0200, 0644, 0, 0).encode(s, o)).name("big.bin"), 4096);
            assertEquals(0, c.error());
            long node = EntryOut.decode(MemorySegment.ofArray(c.payload()), 0).nodeid();
            long fh = FuseFileIo.OpenOut.decode(MemorySegment.ofArray(c.payload()), 128).fh();
            byte[] data = new byte[3 * (int) io.drydock.virtiofs.fuse.transport.VirtqueueTransport.FIRST_BUFFER + 123];
            new java.util.Random(15).nextBytes(data);
            var w = g.send(FuseRequest.of(FuseOpcode.WRITE, node)
                    .struct(40, (s, o) -> new FuseFileIo.WriteIn(fh, 0, data.length, 0, 0, 0).encode(s, o)).bytes(data), 64);
            assertEquals(0, w.error());
            assertEquals(data.length, w.args().getInt(0));
            assertArrayEquals(data, Files.readAllBytes(share.resolve("big.bin")));
            assertEquals(0, g.send(lookup(1, "big.bin"), 4096).error(), "small requests still go through after it");
        }
    }

    @Test
    void readOnlyExportRefusesChangesWithoutTouchingTheHost() throws Exception {
        try (VirtioFsGuest g = guest(true, true)) {
            g.init();
            var r = g.send(FuseRequest.of(FuseOpcode.MKDIR, 1)
                    .struct(8, (s, o) -> new FuseDirs.MkdirIn(0755, 0).encode(s, o)).name("d"), 4096);
            assertEquals(Errno.EROFS, r.error());
            assertFalse(Files.exists(share.resolve("d")));
        }
    }

    @Test
    void confinementHoldsThroughTheDevice() throws Exception {
        Files.createSymbolicLink(share.resolve("etc"), Path.of("/etc"));
        try (VirtioFsGuest g = guest(true, false)) {
            g.init();
            assertEquals(Errno.EINVAL, g.send(lookup(1, ".."), 4096).error());
            var link = g.send(lookup(1, "etc"), 4096);
            assertEquals(0, link.error());
            long symlinkNode = EntryOut.decode(MemorySegment.ofArray(link.payload()), 0).nodeid();
            assertNotEquals(0, g.send(lookup(symlinkNode, "passwd"), 4096).error(), "no LOOKUP under a symlink");
        }
    }

    @Test
    void badRequestsGetErrnosAndTheDeviceGoesOn() {
        try (VirtioFsGuest g = guest(true, false)) {
            assertEquals(Errno.EIO, g.send(lookup(1, "x"), 4096).error(), "nothing before INIT");
            g.init();
            assertEquals(Errno.ENOSYS, g.send(FuseRequest.raw(4242, 1), 4096).error(), "unknown opcode");
            // A writable part too small for fuse_out_header: no reply, completed with 0 bytes.
            assertEquals(0, g.send(lookup(1, "x"), 8).usedLength());
            assertEquals(Errno.ENOENT, g.send(lookup(1, "missing"), 4096).error());
            assertEquals(0, g.core.status() & VirtioStatus.DEVICE_NEEDS_RESET, "guest mistakes in FUSE are errnos, not resets");
        }
    }

    @Test
    void forgetOnHiprioIsServedInlineWithoutAReply() throws Exception {
        Files.writeString(share.resolve("f"), "x");
        try (VirtioFsGuest g = guest(false, false)) {
            g.init();
            long node = EntryOut.decode(MemorySegment.ofArray(g.send(lookup(1, "f"), 4096).payload()), 0).nodeid();
            int used = g.sendHiprio(FuseRequest.of(FuseOpcode.FORGET, node).struct(8, (s, o) -> new FuseMisc.ForgetIn(1).encode(s, o)));
            assertEquals(0, used);
            assertEquals(1, g.counter("fuse.myfs.forget.requests"));
        }
    }

    @Test
    void resetEndsTheSessionAndANewOneStarts() throws Exception {
        Files.writeString(share.resolve("f"), "hello");
        try (VirtioFsGuest g = guest(false, false)) {
            g.init();
            assertEquals(0, g.send(lookup(1, "f"), 4096).error());
            g.core.writeStatus(0); // driver reset (virtio 1.2 §2.1.2)
            assertEquals(0, g.core.status());
            // The same device, initialised again by the driver on fresh rings, serves a new session.
            g.restart();
            g.init();
            assertEquals(0, g.send(lookup(1, "f"), 4096).error());
        }
    }
}
