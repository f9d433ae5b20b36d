package io.drydock.dax;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.EventFd;
import io.drydock.kernel.sys.Sys;
import io.drydock.kernel.sys.UnixSocket;
import io.drydock.kernel.testing.FakeGuestMemory;
import io.drydock.virtiofs.fuse.abi.FuseDax;
import io.drydock.virtiofs.fuse.abi.FuseDax.RemovemappingOne;
import io.drydock.virtiofs.fuse.abi.FuseDax.SetupmappingIn;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.vhostuser.VhostUserDaxChannel;
import io.drydock.virtiofs.vhostuser.VhostUserDaxRequests;
import io.drydock.virtiofs.vhostuser.VhostUserFsMessage;
import io.drydock.virtiofs.vhostuser.VhostUserFsMessage.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

import static io.drydock.virtiofs.vhostuser.VhostUserMessage.*;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DAX across the process boundary, both ends over a real socket pair: the backend's {@link VhostUserDaxChannel}
 * sends FS_MAP/FS_UNMAP, the frontend's {@link VhostUserDaxRequests} maps them into plugin-dax's window engine
 * (its checks and caps), and the guest reads the file through the window. Then a hostile backend: malformed
 * messages end the channel, refused ones get an errno, the JVM and the window are untouched.
 */
class VhostUserDaxTest {
    static final long MIB = 1 << 20, WINDOW = 0x10_0000_0000L;
    @TempDir Path dir;
    FakeGuestMemory ram;
    DaxWindowEngine window;
    VhostUserDaxRequests frontend;
    UnixSocket backend;
    final FuseContext ctx = new FuseContext(1, 2, 0, 0, 1);
    Path file;
    byte[] content = new byte[3 * 4096 + 100];

    @BeforeEach void setUp() throws Exception {
        new Random(17).nextBytes(content);
        file = Files.write(dir.resolve("data"), content);
        ram = new FakeGuestMemory();
        window = (DaxWindowEngine) new DaxFactory().create("fs", 4 * MIB, 12, ram.bus(), ram.metrics());
        window.place(OptionalLong.of(WINDOW));
        UnixSocket[] pair = UnixSocket.pair();
        backend = pair[0];
        frontend = VhostUserDaxRequests.start("test", pair[1], window);
    }

    @AfterEach void tearDown() {
        frontend.close();
        backend.close();
        window.close();
        ram.close();
    }

    private int open(boolean writable) throws IOException {
        return Sys.openat(Sys.AT_FDCWD, file.toString().getBytes(StandardCharsets.UTF_8), (writable ? Sys.O_RDWR : Sys.O_RDONLY) | Sys.O_CLOEXEC, 0);
    }

    private byte[] guest(long moffset, int len) {
        byte[] b = new byte[len];
        ram.memory().read(WINDOW + moffset, b);
        return b;
    }

    @Test
    void theBackendMapsAFileIntoTheFrontendsWindow() throws Exception {
        VhostUserDaxChannel dax = new VhostUserDaxChannel(12);
        dax.attach(backend);
        dax.setupMapping(ctx, 2, new SetupmappingIn(-1, 4096, 2 * MIB, FuseDax.FLAG_READ, 2 * MIB), (n, fh, w) -> open(w));
        assertArrayEquals(Arrays.copyOfRange(content, 4096, content.length), guest(2 * MIB, content.length - 4096));
        assertArrayEquals(new byte[4096], guest(2 * MIB + 3 * 4096, 4096), "past the file's last page: zero");
        assertEquals(1, window.mappingCount());
        // outside the window: the frontend's engine refuses, the backend gets its errno, the channel stays
        var e = assertThrows(FuseException.class, () -> dax.setupMapping(ctx, 2,
                new SetupmappingIn(-1, 0, 2 * MIB, FuseDax.FLAG_READ, 4 * MIB), (n, fh, w) -> open(w)));
        assertEquals(Errno.EINVAL, e.errno());
        // a writable mapping: stores through the window reach the host file
        dax.setupMapping(ctx, 2, new SetupmappingIn(-1, 0, 4096, FuseDax.FLAG_READ | FuseDax.FLAG_WRITE, 0), (n, fh, w) -> open(w));
        ram.memory().write(WINDOW, new byte[]{42, 43});
        assertArrayEquals(new byte[]{42, 43}, Arrays.copyOf(Files.readAllBytes(file), 2));
        dax.removeMapping(ctx, List.of(new RemovemappingOne(2 * MIB, 2 * MIB), new RemovemappingOne(0, 4096)));
        assertEquals(0, window.mappingCount());
        assertArrayEquals(new byte[4096], guest(2 * MIB, 4096), "unmapped: zero again");
        assertTrue(frontend.alive());
        dax.detach();
    }

    /** Sends one raw backend request; returns the u64 answer, or null when the frontend closed the channel. */
    private Long raw(int request, int flags, int size, List<Entry> entries, List<Integer> fds) throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(HEADER_SIZE + Math.max(size, VhostUserFsMessage.SIZE), 8);
            m.set(JAVA_INT_UNALIGNED, 0, request);
            m.set(JAVA_INT_UNALIGNED, 4, flags);
            m.set(JAVA_INT_UNALIGNED, 8, size);
            if (!entries.isEmpty()) VhostUserFsMessage.encode(m.asSlice(HEADER_SIZE), entries);
            backend.send(m.asSlice(0, HEADER_SIZE + size), fds);
            MemorySegment r = a.allocate(HEADER_SIZE + 8, 8);
            try {
                if (!backend.readFully(r)) return null;
            } catch (io.drydock.kernel.sys.ErrnoException e) {
                if (e.errno() == 104) return null; // ECONNRESET: closed with part of our message unread
                throw e;
            }
            assertEquals(request, r.get(JAVA_INT_UNALIGNED, 0));
            assertEquals(VERSION | FLAG_REPLY, r.get(JAVA_INT_UNALIGNED, 4));
            return r.get(JAVA_LONG_UNALIGNED, HEADER_SIZE);
        }
    }

    private Long map(Entry e, int fd) throws Exception {
        return raw(BACKEND_FS_MAP, VERSION | FLAG_NEED_REPLY, VhostUserFsMessage.SIZE, List.of(e), List.of(fd));
    }

    @Test
    void refusedRequestsGetAnErrnoAndTheChannelGoesOn() throws Exception {
        int ro = open(false);
        try {
            long R = VhostUserFsMessage.MAP_R, W = VhostUserFsMessage.MAP_W;
            assertEquals(Errno.EINVAL, map(new Entry(0, 4 * MIB, 4096, R), ro), "past the window end");
            assertEquals(Errno.EINVAL, map(new Entry(0, -4096, 8192, R), ro), "c_offset + len wraps around 2^64");
            assertEquals(Errno.EINVAL, map(new Entry(-4096, 0, 4096, R), ro), "fd_offset past 2^63");
            assertEquals(Errno.EINVAL, map(new Entry(0, 100, 4096, R), ro), "misaligned");
            assertEquals(Errno.EINVAL, map(new Entry(0, 0, 4096, 0), ro), "not readable");
            assertEquals(Errno.EACCES, map(new Entry(0, 0, 4096, R | W), ro), "a writable mapping of a read-only descriptor");
            int efd = EventFd.create();
            try {
                assertEquals(Errno.EBADF, map(new Entry(0, 0, 4096, R), efd), "not a regular file: never mmapped");
            } finally {
                Sys.closeQuietly(efd);
            }
            assertEquals(Errno.EINVAL, raw(BACKEND_FS_UNMAP, VERSION | FLAG_NEED_REPLY, VhostUserFsMessage.SIZE,
                    List.of(new Entry(0, 4096, VhostUserFsMessage.WHOLE_WINDOW, 0)), List.of()), "whole window from a nonzero offset");
            assertEquals(0L, map(new Entry(0, 0, 4096, R), ro));
            assertEquals(1, window.mappingCount());
            assertEquals(0L, raw(BACKEND_FS_UNMAP, VERSION | FLAG_NEED_REPLY, VhostUserFsMessage.SIZE,
                    List.of(new Entry(0, 0, VhostUserFsMessage.WHOLE_WINDOW, 0)), List.of()), "~0: the whole window");
            assertEquals(0, window.mappingCount());
            assertTrue(frontend.alive());
        } finally {
            Sys.closeQuietly(ro);
        }
    }

    /** Each malformed message ends the channel (logged); the window and the JVM stay. */
    @Test
    void malformedMessagesEndTheChannel() throws Exception {
        record Case(String what, int request, int flags, int size, List<Entry> entries, boolean withFd) {}
        Entry ok = new Entry(0, 0, 4096, VhostUserFsMessage.MAP_R);
        List<Case> cases = List.of(
                new Case("FS_MAP without its descriptor", BACKEND_FS_MAP, VERSION | FLAG_NEED_REPLY, VhostUserFsMessage.SIZE, List.of(ok), false),
                new Case("FS_UNMAP with a descriptor", BACKEND_FS_UNMAP, VERSION | FLAG_NEED_REPLY, VhostUserFsMessage.SIZE, List.of(ok), true),
                new Case("short payload", BACKEND_FS_MAP, VERSION | FLAG_NEED_REPLY, 64, List.of(ok), true),
                new Case("unknown flag bit", BACKEND_FS_MAP, VERSION | FLAG_NEED_REPLY, VhostUserFsMessage.SIZE, List.of(new Entry(0, 0, 4096, 7)), true),
                new Case("REPLY set on a request", BACKEND_FS_MAP, VERSION | FLAG_REPLY, VhostUserFsMessage.SIZE, List.of(ok), true),
                new Case("version 2", BACKEND_FS_MAP, 2 | FLAG_NEED_REPLY, VhostUserFsMessage.SIZE, List.of(ok), true),
                new Case("unknown request (FS_SYNC is not served)", 8, VERSION | FLAG_NEED_REPLY, VhostUserFsMessage.SIZE, List.of(ok), true),
                new Case("no range", BACKEND_FS_UNMAP, VERSION | FLAG_NEED_REPLY, VhostUserFsMessage.SIZE, List.of(), false));
        for (Case c : cases) {
            tearDownChannel();
            int fd = open(false);
            try {
                assertNull(raw(c.request(), c.flags(), c.size(), c.entries(), c.withFd() ? List.of(fd) : List.of()), c.what());
            } finally {
                Sys.closeQuietly(fd);
            }
            for (int i = 0; i < 100 && frontend.alive(); i++) Thread.sleep(10);
            assertFalse(frontend.alive(), c.what() + ": the channel ended");
            assertEquals(0, window.mappingCount(), c.what());
        }
    }

    private void tearDownChannel() throws Exception {
        frontend.close();
        backend.close();
        UnixSocket[] pair = UnixSocket.pair();
        backend = pair[0];
        frontend = VhostUserDaxRequests.start("test", pair[1], window);
    }
}
