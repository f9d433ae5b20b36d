package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.sys.EventFd;
import io.drydock.kernel.sys.Sys;
import io.drydock.kernel.sys.UnixSocket;
import io.drydock.virtiofs.device.VhostUserFsDevice;
import io.drydock.virtiofs.device.VirtioFsGuest;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.passthrough.PassthroughFileSystem;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drydock's vhost-user frontend (the virtio-fs device with {@code socket:}) against Drydock's vhost-user
 * backend, both in this JVM but talking only over a Unix socket, eventfds and a memfd — as QEMU and
 * virtiofsd do. Malformed frontend messages end a connection, never the backend.
 */
class VhostUserTest {
    @TempDir Path share;
    @TempDir Path run;
    private VhostUserDaemon daemon;
    private Thread daemonThread;
    private final AtomicInteger sessions = new AtomicInteger();

    @BeforeEach
    void startBackend() throws Exception {
        daemon = VhostUserDaemon.bind(run.resolve("vhost.sock"), () -> {
            sessions.incrementAndGet();
            PassthroughFileSystem fs = PassthroughFileSystem.open(share.toString(), PassthroughOptions.defaults().withXattr(false));
            return new VhostUserDaemon.Session(new FuseServer(fs, FuseServerConfig.defaults(), null, null), fs);
        });
        daemonThread = Thread.ofPlatform().daemon().start(() -> {
            try {
                daemon.run(false);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @AfterEach
    void stopBackend() throws Exception {
        daemon.close();
        daemonThread.join(10_000);
    }

    private VhostUserFrontend frontend() throws Exception { return VhostUserFrontend.connect(daemon.path().toString()); }

    private static VirtioFsGuest guest(VhostUserFrontend f) {
        return new VirtioFsGuest(new VhostUserFsDevice("myfs", 1, 256, f)).start();
    }

    @Test
    void aGuestReadsAndWritesThroughTheBackendProcess() throws Exception {
        byte[] content = new byte[200_000];
        new Random(3).nextBytes(content);
        Files.write(share.resolve("data.bin"), content);
        try (VhostUserFrontend f = frontend(); VirtioFsGuest g = guest(f)) {
            assertEquals(7, g.init().major());
            var r = g.send(FuseRequest.of(FuseOpcode.LOOKUP, 1).name("data.bin"), 4096);
            assertEquals(0, r.error());
            EntryOut e = EntryOut.decode(MemorySegment.ofArray(r.payload()), 0);
            assertEquals(content.length, e.attr().size());
            var open = g.send(FuseRequest.of(FuseOpcode.OPEN, e.nodeid())
                    .struct(8, (s, o) -> new FuseFileIo.OpenIn(2, 0).encode(s, o)), 4096);
            long fh = FuseFileIo.OpenOut.decode(MemorySegment.ofArray(open.payload()), 0).fh();
            var read = g.send(FuseRequest.of(FuseOpcode.READ, e.nodeid())
                    .struct(40, (s, o) -> new FuseFileIo.ReadIn(fh, 10, 128 * 1024, 0, 0, 0).encode(s, o)), 16, 64 * 1024, 64 * 1024);
            assertEquals(0, read.error());
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 10, 10 + 128 * 1024), read.payload());
            byte[] data = "from the guest\n".getBytes(StandardCharsets.UTF_8);
            var w = g.send(FuseRequest.of(FuseOpcode.WRITE, e.nodeid())
                    .struct(40, (s, o) -> new FuseFileIo.WriteIn(fh, 0, data.length, 0, 0, 0).encode(s, o)).bytes(data), 64);
            assertEquals(0, w.error());
            assertEquals("from the guest\n", new String(Files.readAllBytes(share.resolve("data.bin")), 0, data.length, StandardCharsets.UTF_8));
            assertTrue(g.counter("virtq.virtio-fs.1.interrupts") > 0, "the backend's call eventfd became guest interrupts");

            // A driver reset stops the rings (GET_VRING_BASE); the next DRIVER_OK hands fresh rings over.
            g.restart();
            assertEquals(7, g.init().major());
            assertEquals(0, g.send(FuseRequest.of(FuseOpcode.LOOKUP, 1).name("data.bin"), 4096).error());
        }
        // The frontend went away; a new one (a new guest) gets a new session.
        try (VhostUserFrontend f = frontend(); VirtioFsGuest g = guest(f)) {
            assertEquals(7, g.init().major());
        }
        assertEquals(2, sessions.get());
    }

    /** Sends raw bytes (and descriptors) as a frontend would, then waits until the backend hangs up. */
    private boolean backendHangsUpAfter(byte[] message, List<Integer> fds) throws Exception {
        try (UnixSocket s = UnixSocket.connect(daemon.path().toString()); Arena a = Arena.ofConfined()) {
            s.send(a.allocateFrom(ValueLayout.JAVA_BYTE, message), fds);
            MemorySegment b = a.allocate(4096);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                UnixSocket.Received r = s.receive(b); // replies (GET_*) are read and ignored
                r.fds().forEach(Sys::closeQuietly);
                if (r.length() == 0) return true;
            }
            return false;
        }
    }

    private static byte[] message(int request, int flags, byte[] payload) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + payload.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(request).putInt(flags).putInt(payload.length).put(payload);
        return b.array();
    }

    private static byte[] le(long... words) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * words.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long w : words) b.putLong(w);
        return b.array();
    }

    @Test
    void hostileMessagesEndTheConnectionNotTheBackend() throws Exception {
        int notEventFd = Sys.openat(Sys.AT_FDCWD, share.toString().getBytes(), Sys.O_RDONLY | Sys.O_CLOEXEC, 0);
        int memfd = io.drydock.kernel.memory.MemoryBacking.sharedFile("small", 1 << 16).fd();
        int eventfd = EventFd.create();
        List<Object[]> cases = List.of(
                new Object[]{message(VhostUserMessage.GET_FEATURES, 0x2, new byte[0]), List.of()},              // version 2
                new Object[]{message(VhostUserMessage.GET_FEATURES, 0x1 | 0x4, new byte[0]), List.of()},        // REPLY set by a frontend
                new Object[]{message(99, 0x1, new byte[0]), List.of()},                                           // unknown request
                new Object[]{message(VhostUserMessage.SET_FEATURES, 0x1, le(-1L)), List.of()},                  // features never offered
                new Object[]{message(VhostUserMessage.SET_VRING_NUM, 0x1, le(200L | 256L << 32)), List.of()},   // vring 200
                new Object[]{message(VhostUserMessage.SET_VRING_NUM, 0x1, le(1L | 100L << 32)), List.of()},     // size not a power of 2
                new Object[]{message(VhostUserMessage.SET_VRING_KICK, 0x1, le(1)), List.of(notEventFd)},        // a directory as kick
                new Object[]{message(VhostUserMessage.SET_VRING_CALL, 0x1, le(1)), List.of(eventfd, eventfd)},  // two descriptors
                new Object[]{message(VhostUserMessage.SET_VRING_KICK, 0x1, le(1)), List.of(eventfd)},           // kick before size/addresses
                // a region larger than its memory file (the backend would SIGBUS on touching it)
                new Object[]{message(VhostUserMessage.SET_MEM_TABLE, 0x1, concat(le(1L), le(0x8000_0000L, 1L << 20, 0x7f00_0000_0000L, 0))), List.of(memfd)},
                new Object[]{message(VhostUserMessage.SET_MEM_TABLE, 0x1, concat(le(9L), new byte[32 * 9])), List.of()}, // 9 regions
                new Object[]{concat(le(VhostUserMessage.SET_OWNER | 1L << 32), new byte[]{(byte) 0xff, (byte) 0xff, 0, 0x10}), List.of()}); // 256 MiB payload
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked") List<Integer> fds = (List<Integer>) c[1];
            assertTrue(backendHangsUpAfter((byte[]) c[0], fds), "the backend ends a connection after a bad message");
        }
        // Random bytes: whatever they are, the connection ends and the daemon stays.
        Random rnd = new Random(17);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[12 + rnd.nextInt(64)];
            rnd.nextBytes(junk);
            junk[4] = 1; // mostly version 1, so the handlers see the payloads
            junk[5] = junk[6] = junk[7] = 0;
            junk[8] = (byte) (junk.length - 12);
            junk[9] = junk[10] = junk[11] = 0;
            junk[0] = (byte) (1 + rnd.nextInt(40));
            junk[1] = junk[2] = junk[3] = 0;
            backendHangsUpOrAnswers(junk);
        }
        Sys.closeQuietly(notEventFd);
        Sys.closeQuietly(eventfd);
        assertTrue(daemonThread.isAlive(), "the daemon still serves");
        try (VhostUserFrontend f = frontend(); VirtioFsGuest g = guest(f)) {
            assertEquals(7, g.init().major(), "a well-behaved frontend is served after all that");
        }
    }

    /** A random message may be valid (GET_FEATURES): then the connection stays until we close it. */
    private void backendHangsUpOrAnswers(byte[] message) throws Exception {
        try (UnixSocket s = UnixSocket.connect(daemon.path().toString()); Arena a = Arena.ofConfined()) {
            s.send(a.allocateFrom(ValueLayout.JAVA_BYTE, message), List.of());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
