package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.Sys;
import io.drydock.kernel.sys.UnixSocket;
import io.drydock.virtiofs.fuse.abi.FuseDax;
import io.drydock.virtiofs.fuse.abi.FuseDax.RemovemappingOne;
import io.drydock.virtiofs.fuse.abi.FuseDax.SetupmappingIn;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.vhostuser.VhostUserFsMessage.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static io.drydock.virtiofs.vhostuser.VhostUserMessage.*;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The backend's side of DAX over vhost-user: SETUPMAPPING/REMOVEMAPPING become FS_MAP/FS_UNMAP on the
 * backend-request channel, checked before anything is sent; the frontend's answer becomes the errno. The
 * frontend here is a fake on the other end of a socket pair that records what arrives and answers as told.
 */
class VhostUserDaxChannelTest {
    @TempDir Path dir;
    private final FuseContext ctx = new FuseContext(1, 2, 0, 0, 1);
    private final VhostUserDaxChannel dax = new VhostUserDaxChannel(12);
    private UnixSocket frontend;
    private Thread fake;
    /** What the fake frontend got: request, flags, entries, the inode of the passed descriptor (or -1). */
    record Got(int request, int flags, List<Entry> entries, long ino) {}
    private final List<Got> got = new CopyOnWriteArrayList<>();
    private final AtomicLong answer = new AtomicLong();
    private volatile boolean badReply;
    private Path file;

    @BeforeEach void pair() throws Exception {
        file = Files.write(dir.resolve("f"), new byte[8192]);
        UnixSocket[] p = UnixSocket.pair();
        frontend = p[1];
        assertFalse(dax.available(), "no channel yet: INIT offers no map_alignment, requests are ENOSYS");
        dax.attach(p[0]);
        assertTrue(dax.available());
        fake = Thread.ofPlatform().daemon().start(this::serveFake);
    }

    @AfterEach void close() throws Exception {
        dax.detach();
        frontend.shutdown();
        fake.join(5_000);
        frontend.close();
    }

    private void serveFake() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment head = a.allocate(HEADER_SIZE), payload = a.allocate(VhostUserFsMessage.SIZE);
            while (true) {
                UnixSocket.Received r = frontend.receive(head);
                if (r.length() == 0) return;
                if (r.length() < HEADER_SIZE && !frontend.readFully(head.asSlice(r.length()))) return;
                Header h = Header.decode(head);
                if (!frontend.readFully(payload.asSlice(0, h.size()))) return;
                long ino = -1;
                for (int fd : r.fds()) {
                    ino = Sys.statx(fd).ino();
                    Sys.closeQuietly(fd);
                }
                got.add(new Got(h.request(), h.flags(), VhostUserFsMessage.decode(payload, h.size()), ino));
                MemorySegment m = a.allocate(HEADER_SIZE + 8);
                m.set(JAVA_INT_UNALIGNED, 0, badReply ? h.request() + 1 : h.request());
                m.set(JAVA_INT_UNALIGNED, 4, VERSION | FLAG_REPLY);
                m.set(JAVA_INT_UNALIGNED, 8, 8);
                m.set(JAVA_LONG_UNALIGNED, HEADER_SIZE, answer.get());
                frontend.send(m, List.of());
            }
        } catch (Exception e) {
            // the test closed the pair
        }
    }

    private int open(long nodeid, long fh, boolean writable) throws java.io.IOException {
        return Sys.openat(Sys.AT_FDCWD, file.toString().getBytes(StandardCharsets.UTF_8), (writable ? Sys.O_RDWR : Sys.O_RDONLY) | Sys.O_CLOEXEC, 0);
    }

    private int errno(SetupmappingIn in) {
        try {
            dax.setupMapping(ctx, 2, in, this::open);
            return 0;
        } catch (FuseException e) {
            return e.errno();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void setupmappingSendsFsMapWithTheFileAndNeedReply() throws Exception {
        dax.setupMapping(ctx, 2, new SetupmappingIn(-1, 4096, 8192, FuseDax.FLAG_READ, 0x20_0000), this::open);
        dax.setupMapping(ctx, 2, new SetupmappingIn(-1, 0, 4096, FuseDax.FLAG_READ | FuseDax.FLAG_WRITE, 0), this::open);
        long ino = Sys.statx(Sys.openat(Sys.AT_FDCWD, file.toString().getBytes(StandardCharsets.UTF_8), Sys.O_RDONLY | Sys.O_CLOEXEC, 0)).ino();
        assertEquals(2, got.size());
        assertEquals(new Got(BACKEND_FS_MAP, VERSION | FLAG_NEED_REPLY, List.of(new Entry(4096, 0x20_0000, 8192, VhostUserFsMessage.MAP_R)), ino), got.get(0));
        assertEquals(List.of(new Entry(0, 0, 4096, VhostUserFsMessage.MAP_R | VhostUserFsMessage.MAP_W)), got.get(1).entries(),
                "FUSE's WRITE (bit 0) is the backend message's MAP_W (bit 1)");
    }

    @Test
    void theFrontendsAnswerIsTheErrno() {
        answer.set(Errno.ENOMEM);
        assertEquals(Errno.ENOMEM, errno(new SetupmappingIn(-1, 0, 4096, FuseDax.FLAG_READ, 0)));
        answer.set(-1); // QEMU's development branch answers -1 for every failure
        assertEquals(Errno.EIO, errno(new SetupmappingIn(-1, 0, 4096, FuseDax.FLAG_READ, 0)));
        answer.set(0);
        assertEquals(0, errno(new SetupmappingIn(-1, 0, 4096, FuseDax.FLAG_READ, 0)));
    }

    @Test
    void whatCanBeCheckedHereIsNeverSent() {
        assertEquals(Errno.EINVAL, errno(new SetupmappingIn(-1, 0, 4096, 4, 0)), "unknown flag");
        assertEquals(Errno.EINVAL, errno(new SetupmappingIn(-1, 0, 4096, FuseDax.FLAG_READ, 100)), "moffset not aligned");
        assertEquals(Errno.EINVAL, errno(new SetupmappingIn(-1, 100, 4096, FuseDax.FLAG_READ, 0)), "foffset not aligned");
        assertEquals(Errno.EINVAL, errno(new SetupmappingIn(-1, 0, 0, FuseDax.FLAG_READ, 0)), "empty");
        assertEquals(Errno.EINVAL, errno(new SetupmappingIn(-1, 0, 4096, FuseDax.FLAG_READ, Long.MAX_VALUE - 4095)), "moffset + len overflows");
        assertEquals(Errno.EINVAL, errno(new SetupmappingIn(-1, Long.MAX_VALUE - 4095, 8192, FuseDax.FLAG_READ, 0)), "foffset + len overflows");
        assertEquals(Errno.EINVAL, errno(new SetupmappingIn(-1, -4096, 4096, FuseDax.FLAG_READ, 0)), "u64 foffset past 2^63");
        assertThrows(FuseException.class, () -> dax.removeMapping(ctx, List.of(new RemovemappingOne(0, 4096), new RemovemappingOne(4096, 100))));
        assertEquals(List.of(), got, "nothing reached the frontend");
    }

    @Test
    void removemappingIsBatchedEightRangesAMessage() throws Exception {
        List<RemovemappingOne> ranges = new ArrayList<>();
        for (int i = 0; i < 10; i++) ranges.add(new RemovemappingOne(i * 0x20_0000L, 0x20_0000));
        dax.removeMapping(ctx, ranges);
        assertEquals(2, got.size());
        assertEquals(BACKEND_FS_UNMAP, got.get(0).request());
        assertEquals(8, got.get(0).entries().size());
        assertEquals(List.of(new Entry(0, 8 * 0x20_0000L, 0x20_0000, 0), new Entry(0, 9 * 0x20_0000L, 0x20_0000, 0)), got.get(1).entries());
        assertEquals(-1, got.get(0).ino(), "FS_UNMAP carries no descriptor");
    }

    @Test
    void aBadReplyClosesTheChannelAndLaterRequestsFail() {
        badReply = true;
        assertEquals(Errno.EIO, errno(new SetupmappingIn(-1, 0, 4096, FuseDax.FLAG_READ, 0)));
        assertFalse(dax.available(), "closed with a logged reason");
        assertEquals(Errno.ENOSYS, errno(new SetupmappingIn(-1, 0, 4096, FuseDax.FLAG_READ, 0)));
    }

    @Test
    void aFrontendThatGoesAwayFailsTheRequestNotTheBackend() throws Exception {
        frontend.shutdown();
        fake.join(5_000);
        assertEquals(Errno.EIO, errno(new SetupmappingIn(-1, 0, 4096, FuseDax.FLAG_READ, 0)));
        assertFalse(dax.available());
    }
}
